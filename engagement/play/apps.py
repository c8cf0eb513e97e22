from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlayConfig(AppConfig):
    """Badges, seasonal challenges and the "Ask the team" support timings (issue 20, items 3-5).
    Sits in the engagement layer: listens to the forum's, posts', reviews' and referrals' events and
    pays challenge points through the loyalty ledger."""

    name = "engagement.play"
    label = "play"
    verbose_name = _("Badges and challenges")

    def ready(self):
        from . import privacy, receivers  # noqa: F401 (data export and deletion receivers)
        from .notification_kinds import register

        register()
        receivers.connect()
        post_migrate.connect(_rule_badges, sender=self, dispatch_uid="play_rule_badges")


def _rule_badges(sender, using="default", **kwargs):
    """One badge per rule, after every migrate (also where the test database is built without migrations)."""
    from .services import rule_badges_ensure

    rule_badges_ensure(using=using)
