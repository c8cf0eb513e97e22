from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Refer-and-earn. Sits above community and shop and reacts to their signals."""

    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        # signal receivers: the engine's, the member side's, and data export / deletion
        from . import notification_kinds_member, privacy, receivers, receivers_member  # noqa: F401
        from .notification_kinds import register

        register()
        notification_kinds_member.register()
        receivers_member.connect()
        # loyalty (a sub-package of this app): its notification kinds and the signals it listens to
        from .loyalty import notification_kinds as loyalty_kinds
        from .loyalty import privacy as loyalty_privacy  # noqa: F401 (data export and deletion receivers)
        from .loyalty import receivers as loyalty_receivers

        loyalty_kinds.register()
        loyalty_receivers.connect()
        # loyalty redemption: codes used in the shop's orders
        from .loyalty import receivers_redeem

        receivers_redeem.connect()
