"""The earning rules: what a member does, turned into ledger entries once.

Every award has a unique source key (the ledger's constraint makes a replayed signal, a retried
task or a concurrent worker add nothing), is multiplied by the member's tier multiplier (rounded
down) and is capped per rule where the programme says (awards of that kind in the member's current
day or month, settings.TIME_ZONE). The member's row is locked while an award is decided, so two
awards at once cannot both take the last place under a cap. Nothing is awarded to an inactive or
deleted member, or while the programme (or the rule) is off.

    order paid        +P pending   loyalty:order:<order id>            P = floor(total × rate) × tier
    refund            -R           loyalty:order:<id>:refund:<refunded total>   in proportion, below
    cancelled         -rest        loyalty:order:<id>:cancel
    return window     -X pending   loyalty:order:<id>:release          X = what is left pending
    ends              +X approved  loyalty:order:<id>:approve
    review published  +P approved  loyalty:review:<review id>          the same for every rating
    photo post        +P approved  loyalty:photo_post:<post id>
    solved answer     +P approved  loyalty:solved:<topic id>           once per topic (see below)
    birthday          +P approved  loyalty:birthday:<member id>:<year> P = points + tier's bonus
    sign-up           +P approved  loyalty:signup:<member id>
    complete profile  +P approved  loyalty:profile:<member id>

Orders. Points per currency unit of a paid order in the programme's currency, on its total; they
are pending for `order_pending_days` (the return window, as referral rewards are) and approved by
the daily run. A refund takes back points in proportion: after it the order's points are
floor(P × net / total), where net is what was kept; the entry is keyed by the refunded total, so
each new refund takes back its part once, and a full refund or a cancellation takes back all.
A reversal takes from the pending points while the window is open, else from the approved ones
(the balance may then go below zero, as with referral rewards). Orders are matched to members as
referrals match them: the order's member, set by the shop or when the member verifies the e-mail
address the order was placed with (that verification awards the orders it attached).

Solved answers. The author of the answer first marked as a topic's solution earns, once per topic:
unmarking keeps the points, and marking another answer later earns nothing more (simple, and no
reason to game marking). Marking one's own reply in one's own topic earns nothing.

Profile. Complete means a display name, a picture and a short bio; awarded once, when a save
first makes it complete.
"""

import datetime
import logging
import math
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from shop.models import Order

from .. import ledger
from ..models import LedgerEntry
from .models import LoyaltyAccount, TierBasis
from .rules import CAPPED, period_start, programme, rule
from .tiers import tier_update

logger = logging.getLogger(__name__)

Kind, PENDING, APPROVED = LedgerEntry.Kind, LedgerEntry.Status.PENDING, LedgerEntry.Status.APPROVED


def _eligible(member):
    return member is not None and member.pk is not None and member.is_active and member.deleted_at is None


def multiplier(member):
    """The member's tier multiplier (1 without a tier). One query."""
    account = LoyaltyAccount.objects.select_related("tier").filter(member=member).first()
    if account is not None and account.tier is not None:
        return account.tier.multiplier
    from .models import Tier

    lowest = Tier.objects.order_by("threshold").first()
    return lowest.multiplier if lowest is not None else Decimal(1)


def _lock_member(member):
    list(get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True))


def _under_cap(member, r, now):
    if not r.cap:
        return True
    made = LedgerEntry.objects.filter(member=member, kind=r.kind, points__gt=0,
                                      created_at__gte=period_start(now, r.cap_period)).count()
    return made < r.cap


def award(member, kind, base_points, *, source_key, status=APPROVED, now=None, note="", cap_rule=None):
    """Award `base_points` × the member's multiplier once under `source_key`. Returns the new
    LedgerEntry, or None (nothing new: a replay, the cap reached, 0 points, an ineligible member)."""
    if not _eligible(member) or base_points <= 0:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        _lock_member(member)
        if cap_rule is not None and not _under_cap(member, cap_rule, now):
            return None
        points = math.floor(Decimal(base_points) * multiplier(member))
        if points <= 0:
            return None
        entry, created = ledger.append(member, points, kind=kind, status=status, source_key=source_key, note=note,
                                       at=now)
        if not created:
            return None
        if status == APPROVED:
            tier_update(member, now=now)
    return entry


def _rule_award(member, kind, key, *, now=None, extra=0):
    prog = programme()
    r = rule(prog, kind)
    if not r.enabled:
        return None
    return award(member, kind, r.points + extra, source_key=key, now=now,
                 cap_rule=r if kind in CAPPED else None)


# --- community and members -----------------------------------------------------------------------

def review_award(review, *, now=None):
    """A published review earns its author the review points: the same for every rating (the
    rating is never read here)."""
    return _rule_award(review.author, Kind.REVIEW, f"loyalty:review:{review.pk}", now=now)


def photo_post_award(post, *, now=None):
    return _rule_award(post.author, Kind.PHOTO_POST, f"loyalty:photo_post:{post.pk}", now=now)


def solved_answer_award(topic, post, *, now=None):
    if post is None or post.author_id is None or post.author_id == topic.author_id:
        return None
    return _rule_award(post.author, Kind.SOLVED_ANSWER, f"loyalty:solved:{topic.pk}", now=now)


def signup_award(member, *, now=None):
    return _rule_award(member, Kind.SIGNUP, f"loyalty:signup:{member.pk}", now=now)


def profile_complete(member):
    return bool(member.display_name.strip() and member.avatar and member.bio.strip())


def profile_award(member, *, now=None):
    if not profile_complete(member):
        return None
    return _rule_award(member, Kind.PROFILE, f"loyalty:profile:{member.pk}", now=now)


def birthday_award(member, *, now=None):
    """The birthday points (plus the member's tier's birthday bonus), once in the year of `now`."""
    now = now or timezone.now()
    account = LoyaltyAccount.objects.select_related("tier").filter(member=member).first()
    bonus = account.tier.birthday_bonus if account is not None and account.tier is not None else 0
    year = timezone.localtime(now).year
    return _rule_award(member, Kind.BIRTHDAY, f"loyalty:birthday:{member.pk}:{year}", now=now, extra=bonus)


def birthdays_award(*, now=None):
    """Every active member whose birthday is today (settings.TIME_ZONE; 29 February counts on 28
    February in other years). Returns how many were awarded now."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    members = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True,
                                              birthday__month=today.month, birthday__day=today.day)
    if today.month == 2 and today.day == 28 and not _leap(today.year):
        members = get_user_model().objects.filter(
            is_active=True, deleted_at__isnull=True, birthday__month=2, birthday__day__in=[28, 29])
    return sum(birthday_award(member, now=now) is not None for member in members.iterator())


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- orders --------------------------------------------------------------------------------------

def order_key(order_pk, step=None):
    return f"loyalty:order:{order_pk}" + (f":{step}" if step else "")


EARNS = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)


def order_award(order, *, now=None):
    """Points for a paid order of a member, once (pending until the return window ends). If the
    order was already partly refunded (an order attached late), the refund is taken back at once."""
    prog = programme()
    if not prog.enabled or not prog.order_enabled:
        return None
    # locks in one order everywhere: the order, then the member, then their loyalty account
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("member").filter(pk=order.pk).first()
        if (order is None or order.member_id is None or order.status not in EARNS
                or order.currency.upper() != prog.currency.upper()):
            return None
        base = math.floor(order.total * prog.order_points_per_unit)
        entry = award(order.member, Kind.ORDER, base, source_key=order_key(order.pk), status=PENDING, now=now,
                      note=order.external_id)
        if entry is not None and order.refunded_total:
            order_points_adjust(order, now=now)
        if entry is not None and prog.tier_basis == TierBasis.SPENT:
            tier_update(order.member, now=now, prog=prog)  # the amount spent moved, not the points
    return entry


def _order_group(order_pk):
    """The order's loyalty entries: {step or "": entry}."""
    prefix = order_key(order_pk)
    entries = LedgerEntry.objects.filter(Q(source_key=prefix) | Q(source_key__startswith=f"{prefix}:"))
    return {entry.source_key[len(prefix) + 1:]: entry for entry in entries}


def order_target(award_points, order):
    """What the order's points should be now: in proportion to what the member kept."""
    if order.status == Order.Status.CANCELLED or order.total <= 0:
        return 0
    net = max(Decimal(0), order.total - order.refunded_total)
    return min(award_points, math.floor(Decimal(award_points) * net / order.total))


def order_points_adjust(order, *, now=None):
    """After a refund or a cancellation: take back the part of the order's points the member no
    longer has a claim to (see the module docstring). Returns the new entry or None."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order.pk).first()
        if order is None:
            return None
        group = _order_group(order.pk)
        first = group.get("")
        if first is None:
            return None
        current = sum(entry.points for step, entry in group.items() if step not in ("release", "approve"))
        delta = order_target(first.points, order) - current
        if delta >= 0:
            return None
        status = APPROVED if "approve" in group or "release" in group else PENDING
        step = "cancel" if order.status == Order.Status.CANCELLED else f"refund:{order.refunded_total}"
        entry, created = ledger.append(first.member, delta, kind=Kind.ORDER_REFUND, status=status,
                                       source_key=order_key(order.pk, step), note=order.external_id, at=now)
        if created and (status == APPROVED or programme().tier_basis == TierBasis.SPENT):
            tier_update(first.member, now=now)
    return entry if created else None


def order_points_approve(order_pk, *, now=None):
    """Approve what is left pending of an order's points once its return window has ended: the
    pending sum leaves "pending" and comes back approved. Returns True if approved now."""
    prog = programme()
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_pk).first()
        group = _order_group(order_pk)
        first = group.get("")
        if order is None or first is None or "release" in group:
            return False
        if first.created_at + datetime.timedelta(days=prog.order_pending_days) > now:
            return False
        left = sum(e.points for e in group.values() if e.status == PENDING)
        ledger.append(first.member, -left, kind=Kind.ORDER, status=PENDING, source_key=order_key(order_pk, "release"),
                      note=order.external_id, at=now)
        if left > 0:
            ledger.append(first.member, left, kind=Kind.ORDER, status=APPROVED,
                          source_key=order_key(order_pk, "approve"), note=order.external_id, at=now)
            tier_update(first.member, now=now)
    return True


def order_points_approve_due(*, now=None):
    """Approve every order's points whose return window has ended. Returns how many orders."""
    prog = programme()
    now = now or timezone.now()
    released = LedgerEntry.objects.filter(source_key=Concat(OuterRef("source_key"), Value(":release")))
    due = (LedgerEntry.objects.filter(kind=Kind.ORDER, status=PENDING, points__gt=0,
                                      created_at__lte=now - datetime.timedelta(days=prog.order_pending_days))
           .filter(source_key__regex=r"^loyalty:order:\d+$").filter(~Exists(released))
           .values_list("source_key", flat=True))
    return sum(order_points_approve(int(key.rsplit(":", 1)[1]), now=now) for key in list(due))


def orders_award_missed(member=None, *, now=None, days=90):
    """Award the paid orders of the last `days` days that have no points yet (a lost signal, or
    orders just attached to `member` by a verified address). Returns how many were awarded."""
    now = now or timezone.now()
    orders = Order.objects.filter(status__in=EARNS, member__isnull=False,
                                  paid_at__gte=now - datetime.timedelta(days=days)).select_related("member")
    if member is not None:
        orders = orders.filter(member=member)
    awarded = set(LedgerEntry.objects.filter(kind=Kind.ORDER, source_key__regex=r"^loyalty:order:\d+$")
                  .filter(member__in=orders.values("member")).values_list("source_key", flat=True))
    count = 0
    for order in orders.iterator():
        if order_key(order.pk) not in awarded:
            count += order_award(order, now=now) is not None
    return count

