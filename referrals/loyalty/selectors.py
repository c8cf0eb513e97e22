"""Reads of loyalty: a member's balance, tier and progress, their ledger in plain words, the ways
to earn, and the monthly leaderboard. Nothing here takes a request or writes; each function runs a
fixed number of queries, whatever the number of ledger entries (tests pin them).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from core.pagination import cursor_paginate
from core.versions import version_get

from ..ledger import Balance
from ..ledger import balance as ledger_balance
from ..models import LedgerEntry, Referral
from .models import LoyaltyAccount, TierBasis
from .rules import TIER_KINDS, TIER_WINDOW, period_start, programme, ways_to_earn
from .tiers import tier_basis, tier_for, tiers_all

Kind = LedgerEntry.Kind
ENTRIES_SHOWN = 20  # entries a page of the points history shows
LEADERBOARD_SIZE = 10
CONTRIBUTION_KINDS = (Kind.REVIEW, Kind.PHOTO_POST, Kind.SOLVED_ANSWER)


def points_balance(member):
    """The member's approved (spendable) and pending points: ledger.Balance. One query."""
    return ledger_balance(member)


def points_state(member, *, prog, now=None):
    """(ledger.Balance, tier basis) for the points page: with tiers by points, one aggregate over
    the member's entries gives the approved, pending and trailing-year sums together (the
    (member, status) and (member, created_at) indexes); by amount spent, one more for the orders."""
    now = now or timezone.now()
    window = Q(status=LedgerEntry.Status.APPROVED, kind__in=TIER_KINDS, created_at__gt=now - TIER_WINDOW)
    sums = LedgerEntry.objects.filter(member=member).aggregate(
        approved=Coalesce(Sum("points", filter=Q(status=LedgerEntry.Status.APPROVED)), 0),
        pending=Coalesce(Sum("points", filter=Q(status=LedgerEntry.Status.PENDING)), 0),
        basis=Coalesce(Sum("points", filter=window), 0))
    balance = Balance(approved=sums["approved"], pending=sums["pending"])
    if prog.tier_basis == TierBasis.SPENT:
        return balance, tier_basis(member, prog=prog, now=now)
    return balance, sums["basis"]


TIERS_VERSION = "loyalty:tiers:version"  # moved when editors save or delete a tier
TIERS_SECONDS = 3600


def tiers_cached():
    """Every tier, lowest threshold first, from the cache (editors' changes move its version: see
    receivers.connect); a query only when it is cold."""
    key = f"loyalty:tiers:{version_get(TIERS_VERSION)}"
    tiers = cache.get(key)
    if tiers is None:
        tiers = tiers_all()
        cache.set(key, tiers, TIERS_SECONDS)
    return tiers


def loyalty_account(member):
    """The member's LoyaltyAccount with its tiers, or None. One query."""
    return (LoyaltyAccount.objects.select_related("tier", "downgrade_to").filter(member=member).first())


def member_tier(member):
    """The member's tier now (a Tier), or None when editors made no tiers. One query (two with a
    cold cache and no account yet)."""
    account = loyalty_account(member)
    if account is not None and account.tier is not None:
        return account.tier
    tiers = tiers_cached()
    return tiers[0] if tiers else None


def tier_needed(member, tier, *, now=None, prog=None):
    """What the member still lacks to reach `tier`: (amount, by_amount, currency), the amount in
    points or whole currency units (0 when reached). Two queries (the programme, the basis)."""
    prog = prog or programme()
    basis = tier_basis(member, prog=prog, now=now)
    return max(0, tier.threshold - basis), prog.tier_basis == "spent", prog.currency


@dataclass(frozen=True)
class TierProgress:
    tier: object  # Tier or None
    next_tier: object  # Tier or None at the top
    basis: int  # points earned (or whole currency units spent) in the last 12 months
    by_amount: bool  # the basis is an amount spent, not points
    currency: str
    downgrade_to: object = None  # Tier announced, or None
    downgrade_on: object = None  # datetime or None
    on_leaderboard: bool = False  # the member's choice

    @property
    def needed(self):
        """What is still missing to reach the next tier (0 at the top)."""
        return max(0, self.next_tier.threshold - self.basis) if self.next_tier else 0

    @property
    def start(self):
        return self.tier.threshold if self.tier else 0

    @property
    def span(self):
        """The progress bar's length: from this tier's threshold to the next one's."""
        return max(1, self.next_tier.threshold - self.start) if self.next_tier else 1

    @property
    def value(self):
        """Where the member is on the bar, clipped to it."""
        if not self.next_tier:
            return self.span
        return min(self.span, max(0, self.basis - self.start))

    @property
    def percent(self):
        return int(100 * self.value / self.span)


def tier_progress(member, *, now=None, prog=None, basis=None, tiers=None):
    """The member's tier, the next one and how far they are from it, and any announced move down.
    Three queries (tiers, the member's account, the basis); one given `basis` and `tiers`."""
    prog = prog or programme()
    tiers = tiers_all() if tiers is None else tiers
    account = loyalty_account(member)
    basis = tier_basis(member, prog=prog, now=now) if basis is None else basis
    tier = (account.tier if account is not None and account.tier is not None else None) or (tiers[0] if tiers else None)
    above = [t for t in tiers if tier is None or t.threshold > tier.threshold]
    # the tier the basis already reaches (it may be above the stored one, until the update runs)
    reached = tier_for(basis, tiers)
    if reached is not None and tier is not None and reached.threshold > tier.threshold:
        tier = reached
        above = [t for t in tiers if t.threshold > tier.threshold]
    return TierProgress(
        tier=tier, next_tier=above[0] if above else None, basis=basis, by_amount=prog.tier_basis == "spent",
        currency=prog.currency,
        downgrade_to=account.downgrade_to if account is not None and account.downgrade_on else None,
        downgrade_on=account.downgrade_on if account is not None else None,
        on_leaderboard=bool(account is not None and account.leaderboard),
    )


# --- the ledger, explained -----------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerLine:
    """One entry as the page shows it, every string made here (a template tag per line costs more
    than the whole query)."""

    entry: LedgerEntry
    title: str
    explanation: str
    amount: str  # "+50 points"
    status: str  # "approved" / "pending", translated
    date: str  # in the member's language
    iso: str  # for <time datetime>


def _step(entry):
    return entry.source_key.rsplit(":", 1)[-1]


# What the entries of a fixed meaning say (translated when shown, once per entry).
FIXED = {
    Kind.REVIEW: (_lazy("Points for a review"), _lazy("The same for every rating: thank you for sharing your view.")),
    Kind.PHOTO_POST: (_lazy("Points for a photo post"), _lazy("Your post was published on the wall.")),
    Kind.SOLVED_ANSWER: (_lazy("Points for a solved answer"), _lazy("Your forum answer was marked as the solution.")),
    Kind.BIRTHDAY: (_lazy("Happy birthday!"), _lazy("Birthday points, once a year.")),
    Kind.SIGNUP: (_lazy("Welcome points"), _lazy("For joining the community.")),
    Kind.PROFILE: (_lazy("Points for your profile"), _lazy("Your profile has a display name, a picture and a bio.")),
    Kind.REFERRAL_REFERRER: (_lazy("Referral reward"), _lazy("A friend you invited placed a first order.")),
    Kind.REFERRAL_FRIEND: (_lazy("Welcome reward"), _lazy("You joined through a friend's invitation.")),
    Kind.REVERSAL: (_lazy("Reward taken back"), _lazy("The order behind it was refunded or cancelled.")),
}


def entry_explain(entry, prog):
    """What one ledger entry means, in plain words: (title, explanation)."""
    kind, step, note = entry.kind, _step(entry), entry.note
    pending = entry.status == LedgerEntry.Status.PENDING
    if step == "release":
        return (_("Pending points moved on"), _("The return window ended: these points left “pending”, "
                                                 "and the same points were added as approved."))
    if step == "approve":
        return (_("Points approved"), _("The return window ended with nothing returned, so these points "
                                        "can be spent now."))
    if kind == Kind.ORDER:
        due = entry.created_at + datetime.timedelta(days=prog.order_pending_days)
        text = _("Points for your order %(order)s.") % {"order": note} if note else _("Points for your order.")
        if pending:
            return (text, _("Pending until %(date)s, the end of the return window.") % {
                "date": date_format(timezone.localtime(due), "DATE_FORMAT")})
        return (text, "")
    if kind == Kind.ORDER_REFUND:
        if step == "cancel":
            return (_("Order cancelled"), _("The order's points were taken back."))
        return (_("Order refunded"), _("Points taken back in proportion to the amount refunded."))
    if kind == Kind.EXPIRY:
        return (_("Points expired"), _("There was no activity on your points for %(days)s days.") % {
            "days": prog.expiry_days})
    if kind == Kind.ADJUSTMENT:
        return (_("Adjustment by our team"), note)
    if kind == Kind.CHALLENGE:
        return (_("Challenge completed"), note)
    if kind in FIXED:
        title, text = FIXED[kind]
        return (str(title), str(text))
    return (entry.get_kind_display().capitalize() if entry.kind in Kind.values else entry.kind, note)


def _line(entry, prog):
    title, explanation = entry_explain(entry, prog)
    amount = ngettext("%(points)s point", "%(points)s points", abs(entry.points)) % {
        "points": f"{entry.points:+d}"}
    at = timezone.localtime(entry.created_at)
    return LedgerLine(entry=entry, title=title, explanation=explanation, amount=amount,
                      status=entry.get_status_display(), date=date_format(at, "DATE_FORMAT"),
                      iso=entry.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


LEDGER_ORDER = ["-created_at", "-pk"]
LEDGER_FIELDS = ("pk", "kind", "status", "points", "source_key", "note", "created_at")


def ledger_page(member, cursor, *, prog=None, per_page=ENTRIES_SHOWN):
    """One page of the member's ledger, newest first, after `cursor` (`?cursor=`, core.pagination's
    keyset cursor: a mangled one is the first page): (CursorPage, [LedgerLine]). One query, on the
    (member, created_at) index, whatever the ledger's length or the page's depth: no COUNT."""
    prog = prog or programme()
    entries = LedgerEntry.objects.filter(member=member).exclude(points=0).only(*LEDGER_FIELDS)
    page = cursor_paginate(entries, cursor, per_page, LEDGER_ORDER)
    return page, [_line(entry, prog) for entry in page.items]


def earning_ways(prog=None):
    return ways_to_earn(prog or programme())


# --- the leaderboard -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Leader:
    name: str
    score: int


LEADERBOARD_VERSION = "loyalty:leaderboard:version"  # moved when a member joins or leaves it
LEADERBOARD_SECONDS = 300  # new points and referrals show within five minutes


def _leaders(rows, size):
    """[Leader] from rows of (username, display name, deleted_at, score), public names only."""
    User = get_user_model()
    out = []
    for username, display_name, deleted_at, score in rows[:size]:
        out.append(Leader(User(username=username, display_name=display_name, deleted_at=deleted_at).public_name,
                          score))
    return out


def leaderboard(*, now=None, size=LEADERBOARD_SIZE):
    """This month's top referrers (friends who placed a first order) and contributors (points for
    reviews, photo posts and solved answers), among members who opted in: ([Leader], [Leader]).
    Public names only. Read from this month's rows alone (their created_at / qualified_at
    indexes), two queries, kept in the cache for LEADERBOARD_SECONDS under a version that joining
    or leaving moves (so a member who leaves is gone at once)."""
    now = now or timezone.now()
    start = period_start(now, "month")
    key = f"loyalty:leaderboard:{version_get(LEADERBOARD_VERSION)}:{start:%Y-%m}:{size}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    shown = {"is_active": True, "deleted_at__isnull": True, "loyalty__leaderboard": True}
    names = ("username", "display_name", "deleted_at")
    referrers = (Referral.objects.filter(qualified_at__gte=start, **{f"referrer__{k}": v for k, v in shown.items()})
                 .values_list(*(f"referrer__{n}" for n in names))
                 .annotate(score=Count("pk")).order_by("-score", "referrer_id")[:size])
    contributors = (LedgerEntry.objects.filter(kind__in=CONTRIBUTION_KINDS, created_at__gte=start,
                                               **{f"member__{k}": v for k, v in shown.items()})
                    .values_list(*(f"member__{n}" for n in names))
                    .annotate(score=Sum("points")).filter(score__gt=0).order_by("-score", "member_id")[:size])
    result = (_leaders(list(referrers), size), _leaders(list(contributors), size))
    cache.set(key, result, LEADERBOARD_SECONDS)
    return result


def leaderboard_joined(member):
    account = loyalty_account(member)
    return bool(account and account.leaderboard)

