"""Reads of redemption: what the redeem part of /me/points/ shows, and each code's state in plain
words. A fixed number of queries whatever the number of options and codes."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.versions import version_get

from ..app_settings import app_settings
from ..models import DiscountCode, RedemptionOption
from .redemption import points_available, redeem_key_new

CODES_SHOWN = 20


def day(value):
    return date_format(timezone.localtime(value), "DATE_FORMAT")


@dataclass
class CodeLine:
    code: DiscountCode
    state: str  # "ready", "used", "expired" or "cancelled", as the member should see it now
    label: str
    explanation: str


def code_line(code, now=None):
    """Where a code stands, in plain words. A ready code past its expiry already reads as expired
    (its points come back once the grace hours pass)."""
    now = now or timezone.now()
    state = code.state
    if state == DiscountCode.State.READY and code.expires_at <= now:
        state = DiscountCode.State.EXPIRED

    if state == DiscountCode.State.READY:
        explanation = _("Use it once in the shop by %(date)s.") % {"date": day(code.expires_at)}
    elif state == DiscountCode.State.USED:
        explanation = _("Used on %(date)s.") % {"date": day(code.used_at or now)}
    elif state == DiscountCode.State.EXPIRED and code.state == DiscountCode.State.EXPIRED:
        explanation = _("Expired on %(date)s unused: its %(points)s points came back to you.") % {
            "date": day(code.expires_at), "points": code.points}
    elif state == DiscountCode.State.EXPIRED:
        back = code.expires_at + datetime.timedelta(hours=app_settings.CODE_REFUND_GRACE_HOURS)
        explanation = _("Expired on %(date)s. If it was not used, its %(points)s points come back on %(back)s.") % {
            "date": day(code.expires_at), "points": code.points, "back": day(back)}
    else:
        explanation = _("Cancelled: it can no longer be used.")
    return CodeLine(code=code, state=state, label=str(DiscountCode.State(state).label), explanation=explanation)


OPTIONS_VERSION = "loyalty:options:version"  # moved when editors save or delete an option
OPTIONS_SECONDS = 3600


def redemption_options():
    """The options offered, in editors' order, from the cache (receivers_redeem moves its version
    when an option is saved or deleted); a query only when it is cold."""
    key = f"loyalty:options:{version_get(OPTIONS_VERSION)}"
    options = cache.get(key)
    if options is None:
        options = list(RedemptionOption.objects.filter(enabled=True).order_by("position", "points", "pk"))
        cache.set(key, options, OPTIONS_SECONDS)
    return options


def member_codes(member, limit=CODES_SHOWN):
    now = timezone.now()
    return [code_line(code, now) for code in
            DiscountCode.objects.filter(member=member).order_by("-created_at", "-pk")[:limit]]


@dataclass
class RedeemOffer:
    option: RedemptionOption
    affordable: bool
    missing: int  # points still needed
    key: str  # the form's one-time key


def redeem_panel(member, available=None):
    """What the redeem part of /me/points/ shows: the points to spend (`available`, if the caller
    has read them already), the options with whether each is within reach, and the member's newest
    codes (three queries, two with `available`)."""
    if available is None:
        available = points_available(member)
    key = redeem_key_new()
    offers = [RedeemOffer(option=o, affordable=available >= o.points, missing=max(0, o.points - available),
                          key=f"{key}-{o.pk}") for o in redemption_options()]
    return {"available": available, "offers": offers, "codes": member_codes(member)}
