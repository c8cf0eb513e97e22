"""The points ledger: appending entries, reading balances, and checking the ledger against the
rewards it should reflect (see the module docstring of referrals.models for the entry scheme) and
against loyalty's rules for its entries (referrals.loyalty.reconcile).

Entries are only ever inserted. `append` relies on the unique `source_key`: the insert runs in a
savepoint, and a second insert of the same key (a replayed webhook, a concurrent worker) fails
there and returns the entry already stored. Nothing looks first.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from .models import LedgerEntry, Reward

PENDING, APPROVED = LedgerEntry.Status.PENDING, LedgerEntry.Status.APPROVED


@dataclass(frozen=True)
class Balance:
    approved: int
    pending: int


def balance(member):
    """The member's approved points and points still pending: sums of their entries."""
    sums = LedgerEntry.objects.filter(member=member).aggregate(
        approved=Coalesce(Sum("points", filter=Q(status=APPROVED)), 0),
        pending=Coalesce(Sum("points", filter=Q(status=PENDING)), 0),
    )
    return Balance(approved=sums["approved"], pending=sums["pending"])


def append(member, points, *, kind, status, source_key, reward=None, note="", at=None):
    """Insert one entry once: returns (entry, created). A repeated source_key returns the stored
    entry unchanged (created False), whatever the other arguments say. `at`: when it happened
    (default now; the loyalty rules pass the moment they decided at)."""
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                member=member, points=points, kind=kind, status=status, source_key=source_key, reward=reward,
                note=note[:300], **({"created_at": at} if at is not None else {}),
            )
    except IntegrityError:
        return LedgerEntry.objects.get(source_key=source_key), False
    return entry, True


# --- what a reward's entries should be -----------------------------------------------------------

def reward_kind(reward):
    return LedgerEntry.Kind.REFERRAL_REFERRER if reward.side == Reward.Side.REFERRER else LedgerEntry.Kind.REFERRAL_FRIEND


@dataclass(frozen=True)
class Expected:
    source_key: str
    member_id: int
    points: int
    status: str
    kind: str


def reward_steps(reward):
    """The moves a reward in its state has made, in order: names of the ledger steps."""
    steps = ["pending"]
    if reward.state in (Reward.State.APPROVED, Reward.State.REVERSED):
        steps += ["release", "approve"]
    if reward.state == Reward.State.REVERSED:
        steps.append("reverse")
    if reward.state in (Reward.State.VOID, Reward.State.REJECTED):
        steps.append("void")
    return steps


STEP = {  # step -> (sign, status, kind or None for the reward's own kind)
    "pending": (+1, PENDING, None),
    "release": (-1, PENDING, None),
    "approve": (+1, APPROVED, None),
    "void": (-1, PENDING, LedgerEntry.Kind.REVERSAL),
    "reverse": (-1, APPROVED, LedgerEntry.Kind.REVERSAL),
}


def step_key(reward, step):
    return f"reward:{reward.pk}:{step}"


def expected_entries(reward):
    """The entries a reward in its current state must have (none for a reward of 0 points, such
    as a discount code)."""
    if not reward.points:
        return []
    out = []
    for step in reward_steps(reward):
        sign, status, kind = STEP[step]
        out.append(Expected(step_key(reward, step), reward.member_id, sign * reward.points, status,
                            kind or reward_kind(reward)))
    return out


def append_step(reward, step, note=""):
    """Append the entry of one step of a reward (no-op for 0 points, or if already there)."""
    if not reward.points:
        return None, False
    sign, status, kind = STEP[step]
    return append(reward.member, sign * reward.points, kind=kind or reward_kind(reward), status=status,
                  source_key=step_key(reward, step), reward=reward, note=note)


# --- reconciliation ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    what: str  # "missing", "unexpected", "different", "orphan", "sum"
    member_id: int | None
    source_key: str
    expected: str
    actual: str

    def __str__(self):
        return (f"{self.what}: member {self.member_id} {self.source_key}: expected {self.expected}, "
                f"found {self.actual}")


def _describe(points, status, member_id):
    return f"{points:+d} {status} (member {member_id})"


def reconcile(batch=500):
    """Recompute every reward's expected entries and every member's sums from them, and compare
    with the ledger. Returns the differences (an empty list when the ledger is right)."""
    differences = []
    expected_sums = defaultdict(int)  # (member_id, status) -> points
    rewards = Reward.objects.order_by("pk")
    last = 0
    while True:
        chunk = list(rewards.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        actual = defaultdict(dict)
        for entry in LedgerEntry.objects.filter(reward__in=chunk):
            actual[entry.reward_id][entry.source_key] = entry
        for reward in chunk:
            found = actual.get(reward.pk, {})
            wanted = {e.source_key: e for e in expected_entries(reward)}
            for key, exp in wanted.items():
                expected_sums[(exp.member_id, exp.status)] += exp.points
                entry = found.get(key)
                if entry is None:
                    differences.append(Difference("missing", exp.member_id, key,
                                                  _describe(exp.points, exp.status, exp.member_id), "nothing"))
                elif (entry.points, entry.status, entry.member_id) != (exp.points, exp.status, exp.member_id):
                    differences.append(Difference("different", exp.member_id, key,
                                                  _describe(exp.points, exp.status, exp.member_id),
                                                  _describe(entry.points, entry.status, entry.member_id)))
            for key, entry in found.items():
                if key not in wanted:
                    differences.append(Difference("unexpected", entry.member_id, key, "nothing",
                                                  _describe(entry.points, entry.status, entry.member_id)))
    # Entries of a referral kind that no reward accounts for (a reward key pointing nowhere).
    referral_kinds = [LedgerEntry.Kind.REFERRAL_REFERRER, LedgerEntry.Kind.REFERRAL_FRIEND]
    orphans = LedgerEntry.objects.filter(
        Q(reward__isnull=True) & (Q(kind__in=referral_kinds) | Q(source_key__startswith="reward:"))
    )
    for entry in orphans.iterator():
        differences.append(Difference("orphan", entry.member_id, entry.source_key, "nothing",
                                      _describe(entry.points, entry.status, entry.member_id)))
    # Loyalty's entries: orders, awards and expiries (referrals.loyalty.reconcile).
    from .loyalty.reconcile import loyalty_differences

    differences.extend(loyalty_differences())
    # Redemption's: discount codes and their redemption and refund entries.
    from .loyalty.redemption import redemption_differences

    differences.extend(redemption_differences())
    # Each member's sums: rewards' expected entries plus what no reward explains (adjustments and
    # other kinds, taken as they stand) against the sums of what is stored.
    for row in LedgerEntry.objects.filter(reward__isnull=True).exclude(pk__in=orphans.values("pk")).values(
            "member_id", "status").annotate(total=Sum("points")):
        expected_sums[(row["member_id"], row["status"])] += row["total"]
    stored = {(row["member_id"], row["status"]): row["total"]
              for row in LedgerEntry.objects.values("member_id", "status").annotate(total=Sum("points"))}
    for key in sorted(set(stored) | set(expected_sums), key=lambda k: (k[0], k[1])):
        want, have = expected_sums.get(key, 0), stored.get(key, 0)
        if want != have:
            differences.append(Difference("sum", key[0], f"member:{key[0]}:{key[1]}", f"{want:+d}", f"{have:+d}"))
    return differences
