from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .image_alt import image_alt_texts_changed

        model = self.get_model("ImageAltText")
        post_save.connect(image_alt_texts_changed, sender=model, dispatch_uid="core-image-alt-save")
        post_delete.connect(image_alt_texts_changed, sender=model, dispatch_uid="core-image-alt-delete")
