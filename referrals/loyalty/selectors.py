"""Reads of loyalty: a member's balance, tier and progress, their ledger in plain words, the ways
to earn, and the monthly leaderboard. Nothing here takes a request or writes; each function runs a
fixed number of queries, whatever the number of ledger entries (tests pin them).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..ledger import balance as ledger_balance
from ..models import LedgerEntry
from .models import LoyaltyAccount, Tier
from .rules import period_start, programme, ways_to_earn
from .tiers import tier_basis, tier_for, tiers_all

Kind = LedgerEntry.Kind
ENTRIES_SHOWN = 50
LEADERBOARD_SIZE = 10
CONTRIBUTION_KINDS = (Kind.REVIEW, Kind.PHOTO_POST, Kind.SOLVED_ANSWER)


def points_balance(member):
    """The member's approved (spendable) and pending points: ledger.Balance. One query."""
    return ledger_balance(member)


def loyalty_account(member):
    """The member's LoyaltyAccount with its tiers, or None. One query."""
    return (LoyaltyAccount.objects.select_related("tier", "downgrade_to").filter(member=member).first())


def member_tier(member):
    """The member's tier now (a Tier), or None when editors made no tiers. At most two queries."""
    account = loyalty_account(member)
    if account is not None and account.tier is not None:
        return account.tier
    return Tier.objects.order_by("threshold").first()


@dataclass(frozen=True)
class TierProgress:
    tier: object  # Tier or None
    next_tier: object  # Tier or None at the top
    basis: int  # points earned (or whole currency units spent) in the last 12 months
    by_amount: bool  # the basis is an amount spent, not points
    currency: str
    downgrade_to: object = None  # Tier announced, or None
    downgrade_on: object = None  # datetime or None

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


def tier_progress(member, *, now=None, prog=None):
    """The member's tier, the next one and how far they are from it, and any announced move down.
    Three queries (tiers, the member's account, the basis)."""
    prog = prog or programme()
    tiers = tiers_all()
    account = loyalty_account(member)
    basis = tier_basis(member, prog=prog, now=now)
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
    )


# --- the ledger, explained -----------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerLine:
    entry: LedgerEntry
    title: str
    explanation: str


def _step(entry):
    return entry.source_key.rsplit(":", 1)[-1]


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
    fixed = {
        Kind.REVIEW: (_("Points for a review"), _("The same for every rating: thank you for sharing your view.")),
        Kind.PHOTO_POST: (_("Points for a photo post"), _("Your post was published on the wall.")),
        Kind.SOLVED_ANSWER: (_("Points for a solved answer"), _("Your forum answer was marked as the solution.")),
        Kind.BIRTHDAY: (_("Happy birthday!"), _("Birthday points, once a year.")),
        Kind.SIGNUP: (_("Welcome points"), _("For joining the community.")),
        Kind.PROFILE: (_("Points for your profile"), _("Your profile has a display name, a picture and a bio.")),
        Kind.EXPIRY: (_("Points expired"), _("There was no activity on your points for %(days)s days.") % {
            "days": prog.expiry_days}),
        Kind.REFERRAL_REFERRER: (_("Referral reward"), _("A friend you invited placed a first order.")),
        Kind.REFERRAL_FRIEND: (_("Welcome reward"), _("You joined through a friend's invitation.")),
        Kind.REVERSAL: (_("Reward taken back"), _("The order behind it was refunded or cancelled.")),
        Kind.ADJUSTMENT: (_("Adjustment by our team"), note),
    }
    if kind in fixed:
        return fixed[kind]
    return (entry.get_kind_display().capitalize() if entry.kind in Kind.values else entry.kind, note)


def ledger_lines(member, *, limit=ENTRIES_SHOWN, prog=None):
    """The member's newest ledger entries with what each means: [LedgerLine]. One query."""
    prog = prog or programme()
    entries = LedgerEntry.objects.filter(member=member).exclude(points=0).order_by("-created_at", "-pk")[:limit]
    out = []
    for entry in entries:
        title, explanation = entry_explain(entry, prog)
        out.append(LedgerLine(entry=entry, title=title, explanation=explanation))
    return out


def earning_ways(prog=None):
    return ways_to_earn(prog or programme())


# --- the leaderboard -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Leader:
    name: str
    score: int


def leaderboard(*, now=None, size=LEADERBOARD_SIZE):
    """This month's top referrers (friends who placed a first order) and contributors (points for
    reviews, photo posts and solved answers), among members who opted in: ([Leader], [Leader]).
    Public names only. Two queries."""
    now = now or timezone.now()
    start = period_start(now, "month")
    shown = Q(is_active=True, deleted_at__isnull=True, loyalty__leaderboard=True)
    User = get_user_model()
    referrers = (User.objects.filter(shown)
                 .annotate(score=Count("referrals_made", filter=Q(referrals_made__qualified_at__gte=start)))
                 .filter(score__gt=0).order_by("-score", "pk").only("username", "display_name", "deleted_at")[:size])
    contributors = (User.objects.filter(shown)
                    .annotate(score=Sum("ledger_entries__points", filter=Q(
                        ledger_entries__kind__in=CONTRIBUTION_KINDS, ledger_entries__created_at__gte=start)))
                    .filter(score__gt=0).order_by("-score", "pk")
                    .only("username", "display_name", "deleted_at")[:size])
    return ([Leader(u.public_name, u.score) for u in referrers], [Leader(u.public_name, u.score) for u in contributors])


def leaderboard_joined(member):
    account = loyalty_account(member)
    return bool(account and account.leaderboard)

