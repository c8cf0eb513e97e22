from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "community.reviews"
    label = "reviews"
    verbose_name = _("Product reviews")

    def ready(self):
        from . import admin_hooks, moderation, notify, receivers, receivers_member, receivers_requests  # noqa: F401 - connect on import
        from .notification_kinds import register

        moderation.register()
        register()
