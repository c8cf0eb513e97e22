from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Report
from .permissions import can_start_topic

BODY_MAX = 20_000
TITLE_MIN = 5
MAX_TAGS = 5
TAG_MAX = 30


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        kwargs.setdefault("help_text", _("Markdown: **bold**, *italic*, [link](https://…), > quote, - list, `code`. "
                                         "@username tells a member."))
        super().__init__(min_length=2, max_length=BODY_MAX, strip=True,
                         widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}), **kwargs)


def clean_tags(value):
    names = []
    for raw in (value or "").split(","):
        name = " ".join(raw.split()).lstrip("#").lower()
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise forms.ValidationError(_("A tag has at most %(n)d characters.") % {"n": TAG_MAX})
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise forms.ValidationError(_("At most %(n)d tags.") % {"n": MAX_TAGS})
    return names


class TopicForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      error_messages={"invalid_choice": _("Choose one of the categories in the list.")})
    title = forms.CharField(label=_("Title"), min_length=TITLE_MIN, max_length=150, strip=True,
                            help_text=_("A short sentence that says what the topic is about."))
    body = BodyField()
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200,
                           help_text=_("Optional: up to 5, separated by commas."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [c.pk for c in Category.objects.select_related("parent") if can_start_topic(user, c)]
        self.fields["category"].queryset = Category.objects.filter(pk__in=allowed).select_related("parent")

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < TITLE_MIN:
            raise forms.ValidationError(_("The title needs at least %(n)d characters.") % {"n": TITLE_MIN})
        if not any(c.isalnum() for c in title):
            raise forms.ValidationError(_("The title needs some letters or digits."))
        return title

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"])


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=TITLE_MIN, max_length=150, strip=True, required=False)
    body = BodyField()
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200)

    def __init__(self, *args, opening_post, **kwargs):
        super().__init__(*args, **kwargs)
        self.opening_post = opening_post
        if not opening_post:
            del self.fields["title"]
            del self.fields["tags"]
        else:
            self.fields["title"].required = True

    def clean_title(self):
        return TopicForm.clean_title(self)

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"])


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with this post?"), choices=Report.Reason.choices,
                               widget=forms.RadioSelect)
    text = forms.CharField(label=_("Anything moderators should know (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.select_related("parent"))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into topic number"), min_value=1)
