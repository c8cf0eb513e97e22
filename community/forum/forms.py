from django import forms
from django.utils.translation import gettext_lazy as _

from core.images import IMAGE_ACCEPT, image_process, image_use

from .models import Category
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


class PictureMixin(forms.Form):
    """An optional picture for the post: checked and re-encoded here, stored by the view, which
    adds it to the text as Markdown. Works without JavaScript."""

    picture = forms.FileField(
        label=_("Add a picture"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    picture_alt = forms.CharField(label=_("What the picture shows"), required=False, max_length=200,
                                  help_text=_("For people who cannot see it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picture"].help_text = _("JPEG, PNG, WebP, GIF, AVIF or HEIC, up to %(mb)s MB. It is added at the "
                                             "end of your text.") % {"mb": f"{image_use('forum_picture').max_bytes / 1048576:g}"}

    def set_body(self, body):
        """Show `body` in the form from now on (the text with the picture's Markdown added)."""
        self.data = self.data.copy()
        self.data["body"] = body
        self.cleaned_data["body"] = body

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        return image_process(upload, "forum_picture").content


class TopicForm(PictureMixin, forms.Form):
    field_order = ["category", "title", "body", "picture", "picture_alt", "tags"]

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


class ReplyForm(PictureMixin, forms.Form):
    field_order = ["body", "picture", "picture_alt", "reply_to"]

    body = BodyField(label=_("Your reply"))
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class EditForm(PictureMixin, forms.Form):
    field_order = ["title", "body", "picture", "picture_alt", "tags"]

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


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.select_related("parent"))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into topic number"), min_value=1)
