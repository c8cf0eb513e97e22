"""The kinds of notification loyalty sends (community.members.notification_kinds; referrals and
loyalty share orders 400-499: loyalty uses 440-469). Tier changes and expiry warnings are
e-mailed by default (the member's notification settings decide)."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

TIER_UP = "loy_tier_up"
TIER_DOWN = "loy_tier_down"
EXPIRY_WARNING = "loy_expiry_warning"


def register():
    group = _("Points and tiers")
    notification_kind_register(
        TIER_UP, label=_("A new tier"), group=group, order=440, email_by_default=True,
        help_text=_("You reached a higher tier."),
    )
    notification_kind_register(
        TIER_DOWN, label=_("A tier change ahead"), group=group, order=450, email_by_default=True,
        help_text=_("A month before your tier would become a lower one, with what keeps it, and on the day it does."),
    )
    notification_kind_register(
        EXPIRY_WARNING, label=_("Points about to expire"), group=group, order=460, email_by_default=True,
        help_text=_("Before points expire for want of activity."),
    )
