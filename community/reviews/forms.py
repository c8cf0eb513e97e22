"""The review form: stars as radio buttons, a title and text, the product type's questions, and up
to four photos with their alt texts. Photos are checked and re-encoded here (core.images); the
rules of a review are the services' (the view shows a ReviewError on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.images import IMAGE_ACCEPT, image_process, image_use

from .models import ALT_MAX, BODY_MAX, PHOTOS_MAX, TITLE_MAX, ReviewAttribute
from .services import BODY_MIN, PhotoInput

STARS = [(str(n), ngettext_lazy("%(n)d star", "%(n)d stars", n) % {"n": n}) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=STARS, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars-input"}),
        error_messages={"required": _("Choose a rating from 1 to 5 stars."),
                        "invalid_choice": _("Choose a rating from 1 to 5 stars.")})
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, strip=True,
                            help_text=_("Sum it up in a few words."),
                            error_messages={"required": _("Give your review a title.")})
    body = forms.CharField(label=_("Your review"), min_length=BODY_MIN, max_length=BODY_MAX, strip=True,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}),
                           help_text=_("What did you like or not? How do you use it? Plain text."),
                           error_messages={"required": _("Write a few words about the product.")})

    def __init__(self, *args, questions=(), photos=(), **kwargs):
        """`questions`: the product type's ReviewAttribute rows; `photos`: the review's photos
        already stored (when editing), which get a "remove" box and an alt-text field each."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.existing_photos = list(photos)
        for q in self.questions:
            if q.kind == ReviewAttribute.Kind.YES_NO:
                choices = [("yes", _("Yes")), ("no", _("No"))]
            elif q.kind == ReviewAttribute.Kind.SCALE:
                from .selectors import answer_label

                choices = [(str(n), answer_label(q, n)) for n in range(1, 6)]
            else:
                choices = [(str(n), f"{n}/5") for n in range(1, 6)]
            self.fields[f"attr_{q.code}"] = forms.ChoiceField(
                label=q.label, choices=choices, required=False, widget=forms.RadioSelect,
                help_text=_("Optional."), error_messages={"invalid_choice": _("Choose one of the answers.")})
        for photo in self.existing_photos:
            self.fields[f"keep_alt_{photo.pk}"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": photo.position + 1}, required=False, max_length=ALT_MAX,
                initial=photo.alt_text)
            self.fields[f"remove_{photo.pk}"] = forms.BooleanField(
                label=_("Remove photo %(n)d") % {"n": photo.position + 1}, required=False)
        free = max(PHOTOS_MAX - len(self.existing_photos), 0)
        mb = f"{image_use('review_photo').max_bytes / 1048576:g}"
        for i in range(1, free + 1):
            self.fields[f"photo_{i}"] = forms.FileField(
                label=_("Photo %(n)d") % {"n": len(self.existing_photos) + i}, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
                help_text=_("Optional. JPEG, PNG, WebP, GIF, AVIF or HEIC, up to %(mb)s MB.") % {"mb": mb})
            self.fields[f"photo_{i}_alt"] = forms.CharField(
                label=_("What photo %(n)d shows") % {"n": len(self.existing_photos) + i}, required=False,
                max_length=ALT_MAX, help_text=_("For people who cannot see it."))
        self.free_photos = free

    def clean(self):
        data = super().clean()
        for i in range(1, self.free_photos + 1):
            upload = data.get(f"photo_{i}")
            if upload:
                try:
                    data[f"photo_{i}"] = image_process(upload, "review_photo")
                except forms.ValidationError as error:
                    self.add_error(f"photo_{i}", error)
        return data

    def attributes(self):
        return {q.code: self.cleaned_data.get(f"attr_{q.code}") for q in self.questions}

    def new_photos(self):
        return [PhotoInput(self.cleaned_data[f"photo_{i}"], self.cleaned_data.get(f"photo_{i}_alt", ""))
                for i in range(1, self.free_photos + 1) if self.cleaned_data.get(f"photo_{i}")]

    def removed_photos(self):
        return [p.pk for p in self.existing_photos if self.cleaned_data.get(f"remove_{p.pk}")]

    def alt_texts(self):
        return {p.pk: self.cleaned_data.get(f"keep_alt_{p.pk}", "") for p in self.existing_photos
                if self.cleaned_data.get(f"keep_alt_{p.pk}", "") != p.alt_text}

    def question_fields(self):
        return [self[f"attr_{q.code}"] for q in self.questions]

    def photo_fields(self):
        return [(self[f"photo_{i}"], self[f"photo_{i}_alt"]) for i in range(1, self.free_photos + 1)]

    def existing_photo_fields(self):
        return [(p, self[f"keep_alt_{p.pk}"], self[f"remove_{p.pk}"]) for p in self.existing_photos]
