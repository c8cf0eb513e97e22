"""Loyalty among the demo members for `manage.py load_demo` (after the referrals demo). Idempotent
and deterministic: every ledger entry has a demo source key, every redemption a one-time key, so a
second run finds them and changes nothing.

- Redemption options: 500 points → 5 EUR, 1,000 → 12 EUR, 2,500 → 35 EUR (only when editors have
  made none).
- Tiers: the tier whose benefits promise free shipping (VIP in the starting table) gives it, so
  Eleni has a free-shipping code. Eleni earns her way to the top tier, Maya to the middle one, Åsne and Jonas stay in the
  first (points for reviews, photo posts and solved answers over the last year).
- Redemptions: Eleni has a code she used in the shop and one ready; Maya one ready; Åsne one that
  expired unused, its points given back.
- Zoltán's points have had no activity for long enough that they expire in about three weeks: the
  warning is due and sent.
- Referral staff may adjust points in the demo; Jonas has one adjustment ("parcel lost in the
  post").
While SHOP_OUTBOUND_URL is unset (the embedded default) the codes' events wait in Shop → Sent to
the shop, with the reason.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from core.versions import version_bump
from shop import payloads
from shop import services as shop_services

from .. import ledger
from ..models import DiscountCode, LedgerEntry, RedemptionOption, Tier
from ..staff_permissions import STAFF_GROUP
from . import expiry, perks, redemption, tiers
from .redeem_selectors import OPTIONS_VERSION
from .rules import programme

Kind, APPROVED = LedgerEntry.Kind, LedgerEntry.Status.APPROVED
SOURCE = "demo-loyalty"
OPTIONS = [(500, "5.00", 90), (1000, "12.00", 90), (2500, "35.00", 60)]
# username: [(days ago, kind, points)]: what they earned
EARNED = {
    "eleni": [(300, Kind.REVIEW, 900), (200, Kind.PHOTO_POST, 800), (120, Kind.SOLVED_ANSWER, 900),
              (40, Kind.REVIEW, 1200)],
    "maya": [(150, Kind.REVIEW, 700), (60, Kind.PHOTO_POST, 900)],
    "asne": [(130, Kind.REVIEW, 400), (110, Kind.PHOTO_POST, 400)],
    "jonas": [(20, Kind.REVIEW, 150)],
}
# username: [(days ago, option points, used days later or None)]
REDEEMED = {
    "eleni": [(90, 1000, 5), (10, 500, None)],
    "maya": [(15, 500, None)],
    "asne": [(100, 500, None)],  # valid 90 days: expired unused, points back
}
EXPIRING = "zoltan"


def _options():
    if not RedemptionOption.objects.exists():
        RedemptionOption.objects.bulk_create([
            RedemptionOption(points=points, value=Decimal(value), currency="EUR", valid_days=days, position=i)
            for i, (points, value, days) in enumerate(OPTIONS)
        ])
        version_bump(OPTIONS_VERSION)  # bulk_create sends no post_save: the cached table is read again
    return {option.points: option for option in RedemptionOption.objects.filter(currency="EUR")}


def _earn(member, now):
    for i, (days, kind, points) in enumerate(EARNED.get(member.username, [])):
        ledger.append(member, points, kind=kind, status=APPROVED, source_key=f"loyalty:demo:{member.username}:{i}",
                      note="demo", at=now - datetime.timedelta(days=days))


def _used(code, when):
    """An order in the shop that used the code."""
    data = payloads.OrderData(
        external_id=f"LOY-{code.pk}", email=code.member.email, placed_at=when, currency=code.currency,
        subtotal=Decimal("80.00"), discount_total=code.value, total=Decimal("80.00") - code.value,
        lines=[payloads.LineData(external_id="1", sku="", name="Demo order with a points code", quantity=1,
                                 unit_price=Decimal("80.00"))],
        paid=True, discount_codes=[code.code],
    )
    with transaction.atomic():
        order = shop_services.order_upsert(SOURCE, data, raw={"demo": True})
        shop_services.order_mark_paid(order, paid_at=when)
    redemption.codes_mark_used(order, now=when)


def _redeem(member, options, now):
    for i, (days, points, used_after) in enumerate(REDEEMED.get(member.username, [])):
        option = options.get(points)
        if option is None:
            continue
        when = now - datetime.timedelta(days=days)
        try:
            code, _created = redemption.points_redeem(member, option.pk, request_key=f"demo-loyalty-{member.username}-{i}",
                                                      now=when)
        except redemption.RedeemError:
            continue
        if used_after is not None and code.state == DiscountCode.State.READY:
            _used(code, when + datetime.timedelta(days=used_after))


def _expiring(member, now, prog):
    """Points whose last activity was long enough ago that they expire in about three weeks."""
    if not prog.expiry_days:
        return
    last = now - datetime.timedelta(days=max(1, prog.expiry_days - 21))
    ledger.append(member, 640, kind=Kind.REVIEW, status=APPROVED, source_key=f"loyalty:demo:{member.username}:quiet",
                  note="demo", at=last)


def load(stdout):
    now = timezone.now().replace(second=0, microsecond=0)
    prog = programme()
    User = get_user_model()
    members = {m.username: m for m in User.objects.filter(username__in=[*EARNED, EXPIRING])}
    options = _options()
    for member in members.values():
        _earn(member, now)
        if member.username == EXPIRING:
            _expiring(member, now, prog)
    for member in members.values():
        _redeem(member, options, now)
    expired = redemption.codes_expire(now=now)
    # the starting table's VIP tier promises free shipping: make it the benefit, with its codes
    for tier in Tier.objects.filter(free_shipping=False, benefits__icontains="free shipping"):
        tier.free_shipping = True
        tier.save(update_fields=["free_shipping"])
    for member in members.values():
        tiers.tier_update(member, now=now, prog=prog)
    perks.shipping_codes_catch_up(now=now)  # members already in the tier when it got free shipping
    warned = expiry.expiry_warnings_send(now=now)
    staff = User.objects.filter(groups__name=STAFF_GROUP).order_by("pk").first()
    if staff is not None:
        staff.user_permissions.add(Permission.objects.get(content_type__app_label="referrals", codename="adjust_points"))
        jonas = members.get("jonas")
        if jonas is not None:
            redemption.points_adjust(jonas, 100, reason="Parcel lost in the post: sorry for the wait", staff=staff,
                                     key="demo-loyalty-jonas")
    by_tier = {}
    for member in members.values():
        tier = getattr(getattr(member, "loyalty", None), "tier", None)
        by_tier[tier.name if tier else "-"] = by_tier.get(tier.name if tier else "-", 0) + 1
    codes = DiscountCode.objects.filter(member__in=members.values()).count()
    stdout.write(
        f"Demo loyalty: {len(options)} redemption options, {codes} discount codes ({expired} expired just now), "
        f"members per tier {dict(sorted(by_tier.items()))}, {warned} expiry warnings sent"
    )
