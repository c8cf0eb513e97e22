"""Loyalty's part of `manage.py ledger_reconcile` (referrals.ledger.reconcile calls it): what the
loyalty entries must look like, checked against what is stored.

- Each order's entries (earning module docstring): the award and its reversals add up to the
  points the order supports now (floor(award × net / total); 0 once cancelled), never more than
  the award; once released, nothing of it is left pending and the approved part equals what was
  released.
- Signs: awards are positive, order reversals and expiries negative.
- Every entry of a loyalty kind has a loyalty source key (loyalty:…), and its member is the one
  its source names where the key names a member.
- An expiry takes exactly the approved balance the member had just before it.
Members' sums are checked by ledger.reconcile for every entry alike.
"""

from collections import defaultdict

from django.db.models import Q, Sum

from shop.models import Order

from ..models import LedgerEntry
from .earning import order_target

Kind, PENDING, APPROVED = LedgerEntry.Kind, LedgerEntry.Status.PENDING, LedgerEntry.Status.APPROVED
AWARD_KINDS = (Kind.REVIEW, Kind.PHOTO_POST, Kind.SOLVED_ANSWER, Kind.BIRTHDAY, Kind.SIGNUP, Kind.PROFILE)
LOYALTY_KINDS = (*AWARD_KINDS, Kind.ORDER, Kind.ORDER_REFUND, Kind.EXPIRY)
MEMBER_KEYED = {Kind.BIRTHDAY: "birthday", Kind.SIGNUP: "signup", Kind.PROFILE: "profile", Kind.EXPIRY: "expiry"}


def _d(what, member_id, key, expected, actual):
    from ..ledger import Difference

    return Difference(what, member_id, key, expected, actual)


def loyalty_differences(batch=500):
    out = []
    entries = LedgerEntry.objects.filter(kind__in=LOYALTY_KINDS).only(
        "member_id", "points", "kind", "status", "source_key", "created_at")
    orders = defaultdict(dict)  # order pk -> {step: entry}
    for entry in entries.iterator(chunk_size=2000):
        key, kind = entry.source_key, entry.kind
        if not key.startswith("loyalty:"):
            out.append(_d("orphan", entry.member_id, key, "a loyalty source", kind))
            continue
        parts = key.split(":")
        if kind in MEMBER_KEYED and (len(parts) < 3 or parts[1] != MEMBER_KEYED[kind]
                                     or parts[2] != str(entry.member_id)):
            out.append(_d("different", entry.member_id, key, f"a {MEMBER_KEYED[kind]} key of this member", key))
        if kind in AWARD_KINDS and entry.points <= 0:
            out.append(_d("different", entry.member_id, key, "a positive award", f"{entry.points:+d}"))
        if kind in (Kind.ORDER_REFUND, Kind.EXPIRY) and entry.points >= 0:
            out.append(_d("different", entry.member_id, key, "a negative entry", f"{entry.points:+d}"))
        if kind in (Kind.ORDER, Kind.ORDER_REFUND):
            if parts[1] != "order" or len(parts) < 3 or not parts[2].isdigit():
                out.append(_d("orphan", entry.member_id, key, "an order key", key))
                continue
            orders[int(parts[2])][":".join(parts[3:])] = entry
        if kind == Kind.EXPIRY:
            out.extend(_expiry_check(entry))
    pks = sorted(orders)
    for start in range(0, len(pks), batch):
        chunk = pks[start:start + batch]
        found = Order.objects.in_bulk(chunk)
        for pk in chunk:
            out.extend(_order_check(pk, found.get(pk), orders[pk]))
    return out


def _order_check(pk, order, group):
    out = []
    first = group.get("")
    member_id = next(iter(group.values())).member_id
    key = f"loyalty:order:{pk}"
    if first is None:
        return [_d("orphan", member_id, key, "the order's award", "only reversals or moves")]
    if any(e.member_id != first.member_id for e in group.values()):
        out.append(_d("different", member_id, key, "one member", "entries of several members"))
    kept = sum(e.points for step, e in group.items() if step not in ("release", "approve"))
    if order is not None:
        want = order_target(first.points, order)
        if kept != want:
            out.append(_d("different", member_id, key, f"{want:+d} for the order as it stands", f"{kept:+d}"))
    if not 0 <= kept <= first.points:
        out.append(_d("different", member_id, key, f"between 0 and {first.points}", f"{kept:+d}"))
    release, approve = group.get("release"), group.get("approve")
    if release is not None:
        pending_left = sum(e.points for e in group.values() if e.status == PENDING)
        if pending_left != 0:
            out.append(_d("different", member_id, f"{key}:release", "nothing left pending", f"{pending_left:+d}"))
        if (approve.points if approve else 0) != -release.points:
            out.append(_d("different", member_id, f"{key}:approve", f"{-release.points:+d}",
                          f"{approve.points if approve else 0:+d}"))
    elif approve is not None:
        out.append(_d("unexpected", member_id, f"{key}:approve", "a release first", f"{approve.points:+d}"))
    return out


def _expiry_check(entry):
    before = LedgerEntry.objects.filter(member_id=entry.member_id, status=APPROVED).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    ).aggregate(total=Sum("points"))["total"] or 0
    if entry.points != -before or entry.status != APPROVED:
        return [_d("different", entry.member_id, entry.source_key, f"{-before:+d} approved (the balance)",
                   f"{entry.points:+d} {entry.status}")]
    return []
