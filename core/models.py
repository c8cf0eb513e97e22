"""core's one model: an image's alt text in another language than the site's default.

Wagtail's image keeps one alt text (its description, else its title), written in the site's default
language. Editors give the other languages' on the image's edit page (core.image_alt.ImageForm);
templates read them with {% image_alt %} (core.templatetags.alt_text)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class ImageAltText(models.Model):
    image = models.ForeignKey(get_image_model_string(), on_delete=models.CASCADE, related_name="alt_texts",
                              verbose_name=_("image"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    alt_text = models.CharField(_("alt text"), max_length=255)

    class Meta:
        verbose_name = _("image alt text")
        verbose_name_plural = _("image alt texts")
        constraints = [models.UniqueConstraint(fields=["image", "language"], name="core_image_alt_text_once_per_language")]

    def __str__(self):
        return f"{self.language}: {self.alt_text}"
