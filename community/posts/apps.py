from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "community.posts"
    label = "posts"
    verbose_name = _("Photo posts")

    def ready(self):
        # posts-social: the interactions' signals, notification kinds and moderation kinds.
        from . import moderation, signals  # noqa: F401
        from .notification_kinds import register

        register()
        moderation.register()

        from . import campaigns, showcase

        showcase.connect()  # what shows posts off the wall follows their changes
        campaigns.connect()
