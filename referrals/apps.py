from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Refer-and-earn. Sits above community and shop and reacts to their signals."""

    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from . import privacy, receivers  # noqa: F401  (signal receivers: the engine's, and data export / deletion)
        from .notification_kinds import register

        register()
