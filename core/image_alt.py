"""An image's alt text in each of the site's languages.

Wagtail's image has one alt text: its description (else its title), written in the site's default
language. core.models.ImageAltText holds the others, one row per image and language; editors fill
them in on the image's edit page (ImageForm, settings.WAGTAILIMAGES_IMAGE_FORM_BASE) and templates
read them with {% image_alt %}, which falls back to the default alt text and says in which language
the text it gives is, so the <img> carries the right `lang`.

Reads are one cached dictionary per language ({image id: alt text}), rebuilt when a row changes
(its version moves), so a page of forty pictures costs no query per picture. In the default
language nothing is looked up at all.
"""

import dataclasses

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from core.versions import version_bump, version_get

ALT_VERSION_KEY = "core:image-alt"
CACHE_SECONDS = 24 * 3600
MAX_LENGTH = 255


def alt_languages():
    """The languages an image's alt text can be given in besides the default one."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@dataclasses.dataclass(frozen=True)
class ImageAlt:
    """An alt text and the language it is in (None: the language of the text around it)."""

    text: str
    lang: str | None = None

    def __str__(self):
        return self.text


def image_alt_texts(language):
    """{image id: alt text} of every image with an alt text in `language` (cached per version)."""
    from core.models import ImageAltText

    key = f"{ALT_VERSION_KEY}:{language}:{version_get(ALT_VERSION_KEY)}"
    texts = cache.get(key)
    if texts is None:
        texts = dict(ImageAltText.objects.filter(language=language).values_list("image_id", "alt_text"))
        cache.set(key, texts, CACHE_SECONDS)
    return texts


def active_language():
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def image_alt(image, own_text="", *, language=None, texts=None):
    """The alt text to show for `image` in `language` (the active one by default).

    `own_text`, the alt text written beside the image where it is used (a block's), comes first: it
    is in the language of the text around it (lang None). Else the image's alt text in the language
    (marked with it: the text around may be the default language's, on a page not translated yet),
    else its default one, marked with the default language. `texts` is image_alt_texts(language),
    when the caller already has it."""
    if own_text:
        return ImageAlt(str(own_text))
    if image is None:
        return ImageAlt("")
    language = language or active_language()
    if language != settings.LANGUAGE_CODE:
        text = (texts if texts is not None else image_alt_texts(language)).get(image.pk)
        if text:
            return ImageAlt(text, language)
    # The default alt text is in the default language: marked so on a page in another one. (On a
    # page in the default language everything around it is in that language too.)
    return ImageAlt(image.default_alt_text, None if language == settings.LANGUAGE_CODE else settings.LANGUAGE_CODE)


def image_alt_texts_set(image, texts):
    """Store `image`'s alt texts: {language: text}; an empty text removes that language's. Languages
    not named are left as they are; the default language's is the image's description, not here."""
    from core.models import ImageAltText

    with transaction.atomic():
        for language in alt_languages():
            if language not in texts:
                continue
            text = " ".join(str(texts[language] or "").split())[:MAX_LENGTH]
            if text:
                ImageAltText.objects.update_or_create(image=image, language=language, defaults={"alt_text": text})
            else:
                ImageAltText.objects.filter(image=image, language=language).delete()


def image_alt_texts_changed(**kwargs):
    """A row saved or deleted (connected in CoreConfig.ready): every language's dictionary is rebuilt."""
    version_bump(ALT_VERSION_KEY)


def alt_field_name(language):
    return f"alt_text_{language}"


class ImageForm(BaseImageForm):
    """Wagtail's image form with an alt text field per language after the description (the default
    language's alt text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = dict(self.instance.alt_texts.values_list("language", "alt_text")) if self.instance.pk else {}
        for language in alt_languages():
            name = translation.get_language_info(language)["name_translated"]
            self.fields[alt_field_name(language)] = forms.CharField(
                label=_("Alt text (%(language)s)") % {"language": name}, required=False, max_length=MAX_LENGTH,
                initial=existing.get(language, ""),
                help_text=_("What the picture shows, for people who cannot see it, in this language. "
                            "Left empty, the description is used."),
            )

    def _save_alt_texts(self):
        image_alt_texts_set(self.instance, {
            language: self.cleaned_data.get(alt_field_name(language), "") for language in alt_languages()
            if alt_field_name(language) in self.cleaned_data
        })

    def save(self, commit=True):
        image = super().save(commit=commit)
        if commit:
            self._save_alt_texts()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_alt_texts():
                save_m2m()
                self._save_alt_texts()

            self.save_m2m = save_m2m_and_alt_texts
        return image
