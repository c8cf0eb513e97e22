from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "community.reviews"
    label = "reviews"
    verbose_name = _("Product reviews")

    def ready(self):
        # Signals, notification kinds and moderation kinds are wired here as they are written.
        from . import notify, receivers_requests  # noqa: F401  (receivers)
        from .notification_kinds import register

        register()
