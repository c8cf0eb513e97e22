from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "community.reviews"
    label = "reviews"
    verbose_name = _("Product reviews")

    def ready(self):
        from . import admin_hooks, moderation, receivers  # noqa: F401 - signals and admin hooks connect on import

        moderation.register()
