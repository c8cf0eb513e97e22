from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "community.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from . import moderation, signals  # noqa: F401
        from .notification_kinds import register

        register()
        moderation.register()
