"""Writes of loyalty that are not earning (earning.py), tiers (tiers.py) or expiry (expiry.py):
the member's leaderboard choice."""

from core.versions import version_bump

from .models import LoyaltyAccount
from .selectors import LEADERBOARD_VERSION


def leaderboard_choose(member, join):
    """Show (or stop showing) the member on the monthly leaderboard, at once (the cached board's
    version moves). Returns the choice."""
    LoyaltyAccount.objects.update_or_create(member=member, defaults={"leaderboard": bool(join)})
    version_bump(LEADERBOARD_VERSION)
    return bool(join)


def loyalty_daily(*, now=None):
    """The daily run (task and `manage.py loyalty_daily`): approve order points whose return window
    ended, award paid orders whose signal was lost, birthdays, tiers (moves down announced a month
    ahead, made when due), free-shipping codes editors' changes call for, expiry warnings, then
    expiry. Safe to run twice: every step is keyed or locked. Returns {step: count}."""
    from django.utils import timezone

    from . import earning, expiry, perks, tiers

    now = now or timezone.now()
    done = {
        "order_points_approved": earning.order_points_approve_due(now=now),
        "orders_awarded_late": earning.orders_award_missed(now=now),
        "birthdays": earning.birthdays_award(now=now),
    }
    for what, count in tiers.tiers_recompute(now=now).items():
        done[f"tiers_{what}"] = count
    for what, count in perks.shipping_codes_catch_up(now=now).items():
        done[f"shipping_codes_{what}"] = count
    done["expiry_warnings"] = expiry.expiry_warnings_send(now=now)
    done["expired"] = expiry.points_expire(now=now)
    return done
