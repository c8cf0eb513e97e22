"""Writes of loyalty that are not earning (earning.py), tiers (tiers.py) or expiry (expiry.py):
the member's leaderboard choice."""

from .models import LoyaltyAccount


def leaderboard_choose(member, join):
    """Show (or stop showing) the member on the monthly leaderboard. Returns the choice."""
    LoyaltyAccount.objects.update_or_create(member=member, defaults={"leaderboard": bool(join)})
    return bool(join)
