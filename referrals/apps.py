from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Refer-and-earn. Sits above community and shop and reacts to their signals."""

    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from . import receivers  # noqa: F401
        from .notification_kinds import register

        register()
