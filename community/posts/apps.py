from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "community.posts"
    label = "posts"
    verbose_name = _("Photo posts")

    def ready(self):
        # Signals, notification kinds and moderation kinds are wired here as they are written.
        from . import campaigns, showcase

        showcase.connect()  # what shows posts off the wall follows their changes
        campaigns.connect()
