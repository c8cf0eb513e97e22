from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "community.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from . import signals  # noqa: F401
