"""Writes of redemption: points into discount codes, codes used in the shop, unused codes expiring
with their points given back, and staff's manual adjustments.

Redeeming (`points_redeem`). In one transaction: the member's row is locked (select_for_update;
on SQLite the IMMEDIATE transaction already serialises writers), the balance is read under that
lock, the code is made and the points leave the ledger (kind REDEMPTION, approved, source key
`redeem:<code id>`), and the "discount_code.created" event is queued for the shop (sent after
commit). So concurrent redemptions by one member queue behind the lock, and each sees the balance
the one before it left: the balance never goes below zero by redeeming. The form's one-time key
(DiscountCode.request_key, unique) makes a double-clicked or replayed POST one code.

Codes. "PTS-" and 16 characters of referrals.models.CODE_ALPHABET (28 symbols: no 0/O, 1/I/L, no
vowels but Y) from `secrets`, in groups of four: 28^16 ≈ 1.4·10^23, 77 bits, not guessable; unique
in the database (a clash, astronomically rare, draws again). Single use, valid for the option's
`valid_days`.

Used. The shop's paid orders carry the codes used (Order.discount_codes): `codes_mark_used` marks
ours used, once.

Expiry. `codes_expire` (scheduled: `manage.py loyalty_codes_expire`, hourly or nightly) closes
ready codes whose expiry passed more than LOYALTY_CODE_REFUND_GRACE_HOURS ago (so an order paid
just before the expiry, whose webhook arrives late, still finds its code) and gives their points
back (kind CODE_REFUND, `code-refund:<id>`), and tells the shop the code is cancelled. A code that
turns out to have been used after all (an order later still) takes its points again
(`redeem:<id>:used-after-refund`): the ledger may then go below zero, as with a reversal. A
deleted account's codes expire without a refund: nobody is there to receive it.

Adjustments (`points_adjust`): staff add or remove points with a required reason (kind
ADJUSTMENT, approved), logged in Wagtail's log with the staff member; a one-time key makes a
re-submitted form one entry.
"""

import datetime
import secrets
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import ledger
from ..app_settings import app_settings
from ..models import CODE_ALPHABET, DiscountCode, LedgerEntry, RedemptionOption
from .shop_codes import ORIGIN_REDEMPTION, code_cancelled_push, code_created_push

CODE_PREFIX = "PTS-"
CODE_GROUPS, CODE_GROUP = 4, 4  # 16 characters: 28^16 ≈ 1.4·10^23 (77 bits)
ADJUST_LIMIT = 1_000_000  # the largest adjustment in one go, either way

APPROVED = LedgerEntry.Status.APPROVED
ADJUST_ACTION = "referrals.points_adjust"  # Wagtail log action (registered in wagtail_hooks)


class RedeemError(ValidationError):
    """Why a redemption was refused; `code` is "unavailable", "insufficient" or "inactive"."""


def code_new():
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP)) for _ in range(CODE_GROUPS))
    return CODE_PREFIX + "-".join(groups)


def redeem_key_new():
    """The one-time key the redeem form carries."""
    return uuid.uuid4().hex


def _lock_member(member):
    """Lock the member's row for the rest of the transaction: every change to their points that
    depends on their balance takes this lock first."""
    list(get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True))


def points_available(member):
    """Approved points the member can spend (the ledger's approved sum; never below zero)."""
    return max(0, ledger.balance(member).approved)


def points_redeem(member, option_pk, *, request_key=None, now=None):
    """Turn `option.points` of the member's points into a discount code. Returns (code, created):
    created False when this request_key made a code already (that code). Raises RedeemError."""
    if member is None or not member.is_active or getattr(member, "deleted_at", None):
        raise RedeemError(_("Only members can redeem points."), code="inactive")
    now = now or timezone.now()
    request_key = (request_key or "")[:64] or None
    with transaction.atomic():
        _lock_member(member)
        if request_key:
            done = DiscountCode.objects.filter(request_key=request_key, member=member).first()
            if done is not None:
                return done, False
        option = RedemptionOption.objects.filter(pk=option_pk, enabled=True).first()
        if option is None:
            raise RedeemError(_("That reward is not offered any more. Choose another one."), code="unavailable")
        available = points_available(member)
        if available < option.points:
            raise RedeemError(
                _("You have %(available)s points; this reward needs %(points)s.") % {
                    "available": available, "points": option.points},
                code="insufficient")
        code = _code_create(member, option, request_key, now)
        ledger.append(member, -option.points, kind=LedgerEntry.Kind.REDEMPTION, status=APPROVED,
                      source_key=f"redeem:{code.pk}", note=f"{code.value} {code.currency} discount code", at=now)
        code_created_push(code.code, value=code.value, currency=code.currency, expires_at=code.expires_at,
                          origin=ORIGIN_REDEMPTION)
    return code, True


def _code_create(member, option, request_key, now):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return DiscountCode.objects.create(
                    member=member, option=option, code=code_new(), request_key=request_key, points=option.points,
                    value=option.value, currency=option.currency.upper(), created_at=now,
                    expires_at=now + datetime.timedelta(days=option.valid_days),
                )
        except IntegrityError:
            if request_key and DiscountCode.objects.filter(request_key=request_key).exists():
                raise  # another member's key (cannot happen with random keys): refuse loudly
            # else a code clash: draw again
    raise IntegrityError("could not make a unique discount code")


# --- used in the shop ----------------------------------------------------------------------------

def codes_mark_used(order, *, now=None):
    """Mark the codes of a paid order as used, once. Returns how many were marked now."""
    codes = {str(c).strip().upper() for c in (order.discount_codes or []) if str(c).strip()}
    codes = {c for c in codes if c.startswith(CODE_PREFIX)}
    if not codes:
        return 0
    now = now or timezone.now()
    marked = 0
    for pk in DiscountCode.objects.filter(code__in=codes).values_list("pk", flat=True):
        with transaction.atomic():
            code = DiscountCode.objects.select_for_update().select_related("member").get(pk=pk)
            if code.state == DiscountCode.State.USED:
                continue
            if code.state in (DiscountCode.State.EXPIRED, DiscountCode.State.CANCELLED):
                # its points came back (or it was withdrawn) before the shop's order arrived: it was
                # spent after all, so the points leave again
                if LedgerEntry.objects.filter(source_key=f"code-refund:{code.pk}").exists():
                    ledger.append(code.member, -code.points, kind=LedgerEntry.Kind.REDEMPTION, status=APPROVED,
                                  source_key=f"redeem:{code.pk}:used-after-refund",
                                  note=f"{code.code} was used after its points came back", at=now)
            code.state, code.used_at, code.used_order = DiscountCode.State.USED, now, order
            code.save(update_fields=["state", "used_at", "used_order"])
            marked += 1
    return marked


# --- expiry ----------------------------------------------------------------------------------------

def codes_expire(*, now=None):
    """Close every ready code past its expiry (and the grace hours) and give its points back.
    Safe to repeat and to run concurrently. Returns how many codes expired now."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=app_settings.CODE_REFUND_GRACE_HOURS)
    due = DiscountCode.objects.filter(state=DiscountCode.State.READY, expires_at__lte=cutoff).order_by("pk")
    expired, last = 0, 0
    while batch := list(due.filter(pk__gt=last).values_list("pk", flat=True)[:500]):
        last = batch[-1]
        expired += sum(code_expire(pk, now=now) for pk in batch)
    return expired


def code_expire(pk, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        code = DiscountCode.objects.select_for_update(of=("self",)).select_related("member").filter(pk=pk).first()
        if code is None or code.state != DiscountCode.State.READY:
            return False
        code.state, code.closed_at = DiscountCode.State.EXPIRED, now
        code.save(update_fields=["state", "closed_at"])
        if code.member.deleted_at is None:
            ledger.append(code.member, code.points, kind=LedgerEntry.Kind.CODE_REFUND, status=APPROVED,
                          source_key=f"code-refund:{code.pk}", note=f"{code.code} expired unused", at=now)
        code_cancelled_push(code.code, reason="expired")
    return True


# --- staff -----------------------------------------------------------------------------------------

def points_adjust(member, points, *, reason, staff, key=None, now=None):
    """Add (or, negative, remove) points by hand. `reason` is required and kept in the entry's
    note; the staff member is recorded in Wagtail's log. Returns (entry, created)."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason for the adjustment."), code="reason")
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise ValidationError(_("Enter a whole number of points."), code="points") from None
    if points == 0 or abs(points) > ADJUST_LIMIT:
        raise ValidationError(_("Enter a number of points other than 0, at most %(limit)s either way.")
                              % {"limit": ADJUST_LIMIT}, code="points")
    key = key or uuid.uuid4().hex
    with transaction.atomic():
        _lock_member(member)
        entry, created = ledger.append(member, points, kind=LedgerEntry.Kind.ADJUSTMENT, status=APPROVED,
                                       source_key=f"adjust:{key}", note=reason[:300], at=now)
        if created:
            from wagtail.log_actions import log

            # titled by the entry's id, not the member's name: the log outlives an account's deletion
            log(instance=entry, action=ADJUST_ACTION, user=staff, title=f"ledger entry {entry.pk}",
                data={"member_id": member.pk, "points": points, "reason": reason[:300]})
    return entry, created


# --- reconciliation ----------------------------------------------------------------------------------

def redemption_differences():
    """Redemption's part of `manage.py ledger_reconcile`: every code has exactly its redemption
    entry (−points, approved, the code's member), an expired code its refund (+points) unless its
    member's account was deleted, a code used after its refund both; and no redemption or refund
    entry points at a code that does not exist. Three queries."""
    from ..ledger import Difference

    out = []
    wanted = {}
    for code in DiscountCode.objects.select_related("member").only(
            "pk", "member_id", "points", "state", "member__deleted_at").iterator(chunk_size=2000):
        wanted[f"redeem:{code.pk}"] = (code.member_id, -code.points, LedgerEntry.Kind.REDEMPTION)
        if code.state == DiscountCode.State.EXPIRED and code.member.deleted_at is None:
            wanted[f"code-refund:{code.pk}"] = (code.member_id, code.points, LedgerEntry.Kind.CODE_REFUND)
    entries = LedgerEntry.objects.filter(kind__in=[LedgerEntry.Kind.REDEMPTION, LedgerEntry.Kind.CODE_REFUND]).only(
        "member_id", "points", "kind", "status", "source_key")
    found = {}
    for entry in entries.iterator(chunk_size=2000):
        found[entry.source_key] = entry
    # a refunded code that was used after all keeps its refund and takes the points again
    for key in [k for k in found if k.endswith(":used-after-refund")]:
        base = key.removesuffix(":used-after-refund")
        refund = found.get(base.replace("redeem:", "code-refund:", 1))
        if base in wanted and refund is not None:
            member_id, points, _kind = wanted[base]
            wanted[refund.source_key] = (member_id, -points, LedgerEntry.Kind.CODE_REFUND)
            wanted[key] = (member_id, points, LedgerEntry.Kind.REDEMPTION)
    for key, (member_id, points, kind) in wanted.items():
        entry = found.get(key)
        expected = f"{points:+d} approved {kind} (member {member_id})"
        if entry is None:
            out.append(Difference("missing", member_id, key, expected, "nothing"))
        elif (entry.member_id, entry.points, entry.kind, entry.status) != (member_id, points, kind, APPROVED):
            out.append(Difference("different", member_id, key, expected,
                                  f"{entry.points:+d} {entry.status} {entry.kind} (member {entry.member_id})"))
    for key, entry in found.items():
        if key not in wanted:
            out.append(Difference("orphan", entry.member_id, key, "a discount code", entry.kind))
    return out
