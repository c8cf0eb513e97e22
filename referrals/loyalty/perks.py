"""The free-shipping benefit of a tier (Tier.free_shipping): a member who reaches such a tier gets a
free-shipping code, pushed to the shop by the same signed outbound webhook as redemption codes
(shop_codes.code_created_push, kind "free_shipping").

One code per tier period. A period starts when the member enters a tier (LoyaltyAccount.tier_since);
ShippingCode is unique on (member, period_start), so however often this runs (a replayed award, the
nightly run, two processes at once) a period has one code and the shop hears of it once (the
outbound event's key is the code). The code is good for every order of that member while the
period lasts: the shop gets the member's e-mail address with it and honours it for that customer
only (so a shared code is worth nothing to others). Leaving the tier (moving down, or up into a tier without free
shipping) withdraws an unused code: the shop is told `discount_code.cancelled`, reason
"tier_ended". Reaching a free-shipping tier again is a new period and a new code.

`shipping_code_sync(account)` runs inside the tier change's transaction (the account row is
locked there: tiers._locked_account or the nightly batch's lock). `shipping_codes_catch_up()`, in
the daily run, gives codes to members already in a tier when editors turn its free shipping on, and
withdraws the unused codes of a tier whose free shipping was turned off.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import CODE_ALPHABET
from .models import LoyaltyAccount, ShippingCode
from .shop_codes import ORIGIN_TIER, code_cancelled_push, free_shipping_push

CODE_PREFIX = "SHIP-"
READY = ShippingCode.State.READY


def shipping_code_new():
    """"SHIP-" and 16 characters of CODE_ALPHABET from `secrets` in groups of four (77 bits)."""
    return CODE_PREFIX + "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4))


def _entitled(account):
    return account is not None and account.tier is not None and account.tier.free_shipping


def shipping_code_sync(account, *, now=None):
    """Bring the member's free-shipping code in line with their tier now: a code for this tier
    period if the tier has free shipping (made once), and every other unused code withdrawn.
    Call with the account's row locked, inside a transaction. Returns the period's code or None."""
    now = now or timezone.now()
    current = None
    if _entitled(account):
        current = ShippingCode.objects.filter(member_id=account.member_id, period_start=account.tier_since).first()
        if current is None:
            current = _create(account, now)
    stale = ShippingCode.objects.filter(member_id=account.member_id, state=READY)
    if current is not None:
        stale = stale.exclude(pk=current.pk)
    for code in stale.select_for_update():
        code.state, code.closed_at = ShippingCode.State.CANCELLED, now
        code.save(update_fields=["state", "closed_at"])
        code_cancelled_push(code.code, reason="tier_ended")
    return current


def _create(account, now):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                code = ShippingCode.objects.create(member_id=account.member_id, tier=account.tier,
                                                   period_start=account.tier_since, code=shipping_code_new(),
                                                   created_at=now)
        except IntegrityError:
            # the period's code made meanwhile (its key), or, astronomically rare, a code clash
            made = ShippingCode.objects.filter(member_id=account.member_id, period_start=account.tier_since).first()
            if made is not None:
                return made
            continue
        free_shipping_push(code.code, email=_email(account.member_id), origin=ORIGIN_TIER)
        return code
    raise IntegrityError("could not make a unique free-shipping code")


def _email(member_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=member_id).values_list("email", flat=True).first() or ""


def shipping_codes_catch_up(*, now=None):
    """The daily run's part: members in a free-shipping tier without their period's code get one;
    unused codes of members no longer entitled (the tier's free shipping turned off, the account
    gone) are withdrawn. Each member under its own lock. Returns {"made": n, "withdrawn": n}."""
    now = now or timezone.now()
    counts = {"made": 0, "withdrawn": 0}
    entitled = LoyaltyAccount.objects.filter(tier__free_shipping=True)
    has_code = ShippingCode.objects.filter(member_id=OuterRef("member_id"), period_start=OuterRef("tier_since"))
    missing = set(entitled.filter(~Exists(has_code)).values_list("member_id", flat=True))
    # unused codes whose period is not the member's entitled period now
    ready = ShippingCode.objects.filter(state=READY).values_list("member_id", "period_start")
    current = dict(entitled.values_list("member_id", "tier_since"))
    stale = {member_id for member_id, start in ready if current.get(member_id) != start}
    for member_id in sorted(missing | stale):
        with transaction.atomic():
            account = (LoyaltyAccount.objects.select_for_update(of=("self",)).select_related("tier")
                       .filter(member_id=member_id).first())
            before = set(ShippingCode.objects.filter(member_id=member_id, state=READY).values_list("pk", flat=True))
            if account is None:
                account = LoyaltyAccount(member_id=member_id, tier=None)
            code = shipping_code_sync(account, now=now)
            if code is not None and code.pk not in before and code.state == READY:
                counts["made"] += 1
            counts["withdrawn"] += len(before - ({code.pk} if code is not None else set()))
    return counts


def member_shipping_code(member):
    """The member's free-shipping code to show: the newest ready one, or None. One query."""
    return ShippingCode.objects.filter(member=member, state=READY).select_related("tier").order_by("-pk").first()


def shipping_codes_mark_used(order, *, now=None):
    """Note when the free-shipping codes a paid order carries were last used (they stay ready: good
    for every order while the tier lasts). Returns how many were noted."""
    codes = {str(c).strip().upper() for c in (order.discount_codes or []) if str(c).strip()}
    codes = [c for c in codes if c.startswith(CODE_PREFIX)]
    if not codes:
        return 0
    return ShippingCode.objects.filter(code__in=codes, state=READY).update(used_at=now or timezone.now())
