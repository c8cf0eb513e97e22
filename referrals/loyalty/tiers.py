"""Tiers: the level a member's last 12 months earn them.

The basis (LoyaltyProgramme.tier_basis) is either
- points: the member's approved points of earning kinds (rules.TIER_KINDS: awards, and their
  reversals when an order is refunded or a referral reward taken back) whose entries were made in
  the last 365 days. An entry counts from the moment it is made until exactly 365 days later: on
  that instant it has left the window. Pending order points count once approved (dated then).
  Spending points (redemptions), expiry and staff adjustments do not lower it.
- spent: the amount paid, net of refunds, of the member's orders in the programme's currency paid
  in the last 365 days (whole currency units, rounded down).
The tier is the one with the highest threshold the basis reaches (Tier.threshold, editors' table).

Moving up happens at once (`tier_update` runs whenever points arrive) and notifies. Moving down is
announced first (and notified again when it is made): the nightly `tiers_recompute` (task and
`manage.py loyalty_daily`) finds a member whose basis fell under their tier's threshold (old
activity leaving the window), stores the announcement (LoyaltyAccount.downgrade_on = now +
downgrade_notice_days) and notifies; once that day comes, if the basis is still short, the member
moves down (to the tier the basis then earns). Earning enough meanwhile cancels the announcement.
Every change runs with the member's loyalty row locked, so the nightly run and an award arriving
at the same time cannot undo each other.
"""

import datetime
import math

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from shop.models import Order

from ..models import LedgerEntry
from .models import LoyaltyAccount, Tier, TierBasis
from .perks import shipping_code_sync
from .rules import TIER_KINDS, TIER_WINDOW, programme

APPROVED = LedgerEntry.Status.APPROVED
PAID_STATES = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED)
_NET = ExpressionWrapper(F("total") - F("refunded_total"), output_field=DecimalField(max_digits=14, decimal_places=2))


def tiers_all():
    """Every tier, lowest threshold first. One query."""
    return list(Tier.objects.order_by("threshold"))


def tier_for(basis, tiers):
    """The tier a basis reaches: the highest threshold at or under it; None when there is none."""
    reached = None
    for tier in tiers:
        if tier.threshold <= basis:
            reached = tier
    return reached


def _points_filter(now):
    return Q(status=APPROVED, kind__in=TIER_KINDS, created_at__gt=now - TIER_WINDOW)


def _orders_filter(prog, now):
    return Q(status__in=PAID_STATES, currency__iexact=prog.currency, paid_at__gt=now - TIER_WINDOW)


def tier_basis(member, *, prog=None, now=None):
    """What the member's last 12 months count for tiers (points, or whole currency units). One query."""
    prog = prog or programme()
    now = now or timezone.now()
    if prog.tier_basis == TierBasis.SPENT:
        spent = Order.objects.filter(_orders_filter(prog, now), member=member).aggregate(
            net=Coalesce(Sum(_NET), 0, output_field=DecimalField(max_digits=14, decimal_places=2)))["net"]
        return max(0, math.floor(spent))
    return LedgerEntry.objects.filter(_points_filter(now), member=member).aggregate(
        total=Coalesce(Sum("points"), 0))["total"]


def tier_bases(member_ids, *, prog, now):
    """{member_id: basis} for many members in one query (members with nothing are left out)."""
    if prog.tier_basis == TierBasis.SPENT:
        rows = (Order.objects.filter(_orders_filter(prog, now), member_id__in=member_ids)
                .values("member_id").annotate(total=Sum(_NET)).values_list("member_id", "total"))
        return {member_id: max(0, math.floor(total or 0)) for member_id, total in rows}
    rows = (LedgerEntry.objects.filter(_points_filter(now), member_id__in=member_ids)
            .values("member_id").annotate(total=Sum("points")).values_list("member_id", "total"))
    return dict(rows)


def _rank(tier):
    return -1 if tier is None else tier.threshold


def _decide(account, target, lowest, prog, now):
    """Apply the rules to one locked account; returns what happened: "up", "announced", "down",
    "cleared" or "" (nothing)."""
    current = account.tier or lowest
    target = target or lowest
    if _rank(target) > _rank(current):
        account.tier, account.tier_since = target, now
        account.downgrade_to = account.downgrade_announced_at = account.downgrade_on = None
        return "up"
    if _rank(target) == _rank(current):
        if account.tier is None and target is not None:
            account.tier = target  # the lowest tier, named (no news for the member)
        if account.downgrade_on is not None:
            account.downgrade_to = account.downgrade_announced_at = account.downgrade_on = None
            return "cleared"
        return ""
    # below the current tier
    if account.downgrade_on is None:
        account.downgrade_to, account.downgrade_announced_at = target, now
        account.downgrade_on = now + datetime.timedelta(days=prog.downgrade_notice_days)
        return "announced"
    if now >= account.downgrade_on:
        account.tier, account.tier_since = target, now
        account.downgrade_to = account.downgrade_announced_at = account.downgrade_on = None
        return "down"
    if account.downgrade_to_id != getattr(target, "pk", None):
        account.downgrade_to = target
        return "retargeted"
    return ""


FIELDS = ["tier", "tier_since", "downgrade_to", "downgrade_announced_at", "downgrade_on"]


def _locked_account(member_id):
    LoyaltyAccount.objects.get_or_create(member_id=member_id)
    return (LoyaltyAccount.objects.select_for_update(of=("self",)).select_related("tier", "downgrade_to")
            .get(member_id=member_id))


def tier_update(member, *, now=None, prog=None, tiers=None):
    """Bring the member's tier up to date with their basis now; notifies a move up or an announced
    move down (after commit). Returns what happened ("up", "announced", "down", "cleared", "")."""
    prog = prog or programme()
    now = now or timezone.now()
    tiers = tiers if tiers is not None else tiers_all()
    if not tiers:
        return ""
    with transaction.atomic():
        account = _locked_account(member.pk)
        target = tier_for(tier_basis(member, prog=prog, now=now), tiers)
        before = (account.tier_id, account.downgrade_to_id, account.downgrade_on)
        what = _decide(account, target, tiers[0], prog, now)
        if (account.tier_id, account.downgrade_to_id, account.downgrade_on) != before:
            account.save(update_fields=FIELDS)
        if account.tier_id != before[0] and _free_shipping_moved(before[0], account.tier, tiers):
            shipping_code_sync(account, now=now)
        _notify(account, what)
    return what


def _free_shipping_moved(old_tier_id, new_tier, tiers):
    """Whether a tier change can touch free-shipping codes: the new tier gives free shipping (a
    code to make) or the old one did (a code to withdraw). Most changes (every account's first
    naming of the lowest tier, moves between tiers without it) cost no query."""
    old = next((tier for tier in tiers if tier.pk == old_tier_id), None)
    return bool((new_tier is not None and new_tier.free_shipping) or (old is not None and old.free_shipping))


def _notify(account, what):
    """After commit: a move up, an announced move down, and a move down once it is made, each
    once (the key is the moment of the change)."""
    if what not in ("up", "announced", "down"):
        return
    from .tasks import tier_changed_notify

    key = (account.downgrade_announced_at if what == "announced" else account.tier_since).isoformat()
    transaction.on_commit(lambda: tier_changed_notify.enqueue(account.member_id, what, key), robust=True)


def tiers_recompute(*, now=None, batch=1000):
    """The nightly run: every member with a loyalty account (and every member with points in the
    window who has none yet) brought up to date, in batches, each batch's rows locked while it is
    decided. Returns {what: count}."""
    prog = programme()
    now = now or timezone.now()
    tiers = tiers_all()
    counts = {}
    if not tiers:
        return counts
    # members earning for the first time in a while may have no account yet
    if prog.tier_basis == TierBasis.SPENT:
        with_basis = Order.objects.filter(_orders_filter(prog, now), member__isnull=False).values("member_id")
    else:
        with_basis = LedgerEntry.objects.filter(_points_filter(now)).values("member_id")
    missing = with_basis.exclude(member_id__in=LoyaltyAccount.objects.values("member_id")).distinct()
    LoyaltyAccount.objects.bulk_create([LoyaltyAccount(member_id=row["member_id"]) for row in missing],
                                       ignore_conflicts=True, batch_size=batch)
    last = 0
    while True:
        with transaction.atomic():
            accounts = list(LoyaltyAccount.objects.select_for_update().filter(member_id__gt=last)
                            .order_by("member_id")[:batch])
            if not accounts:
                break
            last = accounts[-1].member_id
            by_pk = {tier.pk: tier for tier in tiers}
            bases = tier_bases([a.member_id for a in accounts], prog=prog, now=now)
            changed = []
            for account in accounts:
                # the tiers already read: no query per account
                account.tier = by_pk.get(account.tier_id)
                account.downgrade_to = by_pk.get(account.downgrade_to_id)
                before = (account.tier_id, account.downgrade_to_id, account.downgrade_on)
                what = _decide(account, tier_for(bases.get(account.member_id, 0), tiers), tiers[0], prog, now)
                if (account.tier_id, account.downgrade_to_id, account.downgrade_on) != before:
                    changed.append(account)
                if account.tier_id != before[0] and _free_shipping_moved(before[0], account.tier, tiers):
                    shipping_code_sync(account, now=now)
                if what:
                    counts[what] = counts.get(what, 0) + 1
                    _notify(account, what)
            _save_grouped(changed)
    return counts


def _column(name):
    return f"{name}_id" if name in ("tier", "downgrade_to") else name


def _save_grouped(accounts):
    """Save changed accounts with one UPDATE per set of new values: in a nightly batch nearly all
    of them share a few (the same tier, the same `now`), and bulk_update's CASE per row is slow."""
    columns = [_column(name) for name in FIELDS]
    groups = {}
    for account in accounts:
        groups.setdefault(tuple(getattr(account, column) for column in columns), []).append(account.member_id)
    for values, member_ids in groups.items():
        LoyaltyAccount.objects.filter(member_id__in=member_ids).update(**dict(zip(columns, values, strict=True)))
