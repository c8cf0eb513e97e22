"""The earning rules as plain values, read from LoyaltyProgramme, and the ledger kinds loyalty uses.

Nothing here writes. earning.py applies the rules; the points page lists them ("ways to earn").
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import LedgerEntry
from .models import CapPeriod, LoyaltyProgramme

Kind = LedgerEntry.Kind

# What counts as "earned" for tiers: awards and their reversals (an order refund, a referral
# reward taken back). Redemptions, expiry and staff adjustments are not earning.
EARNING_KINDS = (Kind.ORDER, Kind.REVIEW, Kind.PHOTO_POST, Kind.SOLVED_ANSWER, Kind.BIRTHDAY, Kind.SIGNUP,
                 Kind.PROFILE, Kind.REFERRAL_REFERRER, Kind.REFERRAL_FRIEND)
TIER_KINDS = (*EARNING_KINDS, Kind.ORDER_REFUND, Kind.REVERSAL)
# Kinds whose award is capped per member per day or month (the rule's prefix in LoyaltyProgramme).
CAPPED = {Kind.REVIEW: "review", Kind.PHOTO_POST: "photo_post", Kind.SOLVED_ANSWER: "solved_answer"}

TIER_WINDOW = datetime.timedelta(days=365)  # "the last 12 months"


def programme():
    return LoyaltyProgramme.load()


PROGRAMME_VERSION = "loyalty:programme:version"  # moved when editors save the programme


def programme_cached():
    """The programme for pages that only read it (/me/points/), from the cache; saving it moves the
    version (receivers.connect). Writes keep reading the row (programme())."""
    from django.core.cache import cache

    from core.versions import version_get

    key = f"loyalty:programme:{version_get(PROGRAMME_VERSION)}"
    prog = cache.get(key)
    if prog is None:
        prog = programme()
        cache.set(key, prog, 3600)
    return prog


@dataclass(frozen=True)
class Rule:
    kind: str
    enabled: bool
    points: int
    cap: int = 0  # 0: no limit
    cap_period: str = CapPeriod.MONTH


def rule(prog, kind):
    """The rule for one capped or once-only kind (not ORDER, whose points depend on the amount)."""
    prefix = {Kind.REVIEW: "review", Kind.PHOTO_POST: "photo_post", Kind.SOLVED_ANSWER: "solved_answer",
              Kind.BIRTHDAY: "birthday", Kind.SIGNUP: "signup", Kind.PROFILE: "profile"}[kind]
    return Rule(kind=kind, enabled=prog.enabled and getattr(prog, f"{prefix}_enabled"),
                points=getattr(prog, f"{prefix}_points"), cap=getattr(prog, f"{prefix}_cap", 0),
                cap_period=getattr(prog, f"{prefix}_cap_period", CapPeriod.MONTH))


def period_start(now, period):
    """The start of the day or the month `now` is in (settings.TIME_ZONE)."""
    local = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.replace(day=1) if period == CapPeriod.MONTH else local


def ways_to_earn(prog):
    """What earns points now, in plain words, for the points page: [str]."""
    if not prog.enabled:
        return []
    out = []
    if prog.order_enabled and prog.order_points_per_unit:
        rate = prog.order_points_per_unit
        out.append(ngettext(
            "%(points)s point for every %(unit)s you spend (net of refunds); it is pending for %(days)s days, "
            "the return window.",
            "%(points)s points for every %(unit)s you spend (net of refunds); they are pending for "
            "%(days)s days, the return window.", 1 if rate == 1 else 2) % {
            "points": _number(prog.order_points_per_unit), "unit": f"1 {prog.currency}",
            "days": prog.order_pending_days})
    texts = {
        Kind.REVIEW: _("%(points)s points for each product review you publish, whatever its rating."),
        Kind.PHOTO_POST: _("%(points)s points for each photo post published on the wall."),
        Kind.SOLVED_ANSWER: _("%(points)s points when your forum answer is marked as the solution."),
        Kind.BIRTHDAY: _("%(points)s points on your birthday, once a year (add it to your profile)."),
        Kind.SIGNUP: _("%(points)s points for joining."),
        Kind.PROFILE: _("%(points)s points once your profile has a display name, a picture and a short bio."),
    }
    limits = {
        CapPeriod.DAY: _("at most %(n)s a day"),
        CapPeriod.MONTH: _("at most %(n)s a month"),
    }
    for kind, text in texts.items():
        r = rule(prog, kind)
        if not r.enabled or not r.points:
            continue
        line = text % {"points": r.points}
        if r.cap:
            line = f"{line} ({limits[r.cap_period] % {'n': r.cap}})"
        out.append(line)
    return out


def _number(value):
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
