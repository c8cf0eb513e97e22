"""Reads for members: who a friend means by a name typed at sign-up, and what /me/referrals/ shows.

Nothing here takes a request or writes. Every function's query count is fixed, whatever the number
of clicks, friends or rewards (the page pins it in a test).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .ledger import balance as ledger_balance
from .models import Channel, Click, FraudFlag, Referral, ReferralProgramme, ReferrerName, Reward
from .names import name_key
from .services import REASONS

FRIENDS_SHOWN = 50  # qualified friends listed on the page; more are counted, not listed
REWARDS_SHOWN = 50  # the newest rewards listed on the page


# --- "Been referred by a friend?" ---------------------------------------------------------------

class NameMatch:
    """What a name (and, when several members share it, an e-mail address) typed at sign-up
    found. The sign-up form tells the friend only which of these it is, never who matched."""

    FOUND = "found"  # exactly one member: `member` is set
    SEVERAL = "several"  # several members share the name: ask for the referrer's e-mail address
    EMAIL_MISMATCH = "email"  # several share the name, and none of them has that e-mail address
    NONE = "none"  # nobody by that name

    def __init__(self, status, member=None):
        self.status = status
        self.member = member

    def __repr__(self):
        return f"NameMatch({self.status!r}, {getattr(self.member, 'pk', None)!r})"


def _members_named(key):
    """Active members whose display name or username folds to `key`."""
    return (
        ReferrerName.objects.filter(Q(name_key=key) | Q(username_key=key))
        .filter(member__is_active=True, member__deleted_at__isnull=True)
        .values_list("member_id", flat=True)
    )


def referrer_find(name, email=""):
    """The member a friend means by `name`, matched accent-, case- and script-insensitively on
    display names and usernames (referrals.names.name_key). If several members share the name,
    `email` (the referrer's address, primary or any verified one, any case) picks one out. An
    e-mail address alone finds nobody, so this cannot be used to test addresses. At most three
    queries."""
    key = name_key(name)
    if not key:
        return NameMatch(NameMatch.NONE)
    found = list(_members_named(key).distinct()[:2])
    if not found:
        return NameMatch(NameMatch.NONE)
    User = get_user_model()
    if len(found) == 1:
        return NameMatch(NameMatch.FOUND, User.objects.get(pk=found[0]))
    email = (email or "").strip()
    if not email:
        return NameMatch(NameMatch.SEVERAL)
    by_email = list(
        User.objects.filter(pk__in=_members_named(key))
        .filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True))
        .distinct()[:2]
    )
    if len(by_email) == 1:
        return NameMatch(NameMatch.FOUND, by_email[0])
    return NameMatch(NameMatch.EMAIL_MISMATCH)


# --- /me/referrals/ -------------------------------------------------------------------------------

@dataclass
class Funnel:
    clicks: int = 0
    by_channel: list = field(default_factory=list)  # [(label, count)], most clicks first
    signups: int = 0
    qualified: int = 0

    @property
    def waiting(self):
        """Friends who joined and have not (yet) placed a qualifying order."""
        return max(0, self.signups - self.qualified)


def referral_funnel(member, code):
    """Clicks on the member's code (in all, and by channel), friends who joined, friends who
    qualified. Two queries."""
    rows = list(Click.objects.filter(code=code).values("channel").annotate(n=Count("pk")).order_by("-n", "channel"))
    labels = dict(Channel.choices)
    counts = Referral.objects.filter(referrer=member).aggregate(
        signups=Count("pk"), qualified=Count("pk", filter=Q(qualified_at__isnull=False)),
    )
    return Funnel(
        clicks=sum(row["n"] for row in rows),
        by_channel=[(labels.get(row["channel"], row["channel"]), row["n"]) for row in rows],
        signups=counts["signups"] or 0,
        qualified=counts["qualified"] or 0,
    )


@dataclass(frozen=True)
class FriendLine:
    name: str  # the friend's public name: display name, else username; never an e-mail address
    qualified_at: object
    note: str = ""  # why their order earned no reward, if it did not


NO_REWARD_EXPLANATIONS = {
    Referral.NoReward.CAP: lambda r: _("No reward for this one: the month's limit of rewards was already reached."),
    Referral.NoReward.OFF: lambda r: _("No reward for this one: the programme was paused when they ordered."),
    Referral.NoReward.REJECTED: lambda r: (
        _("No reward for this one: our team did not approve it. Reason: %(reason)s") % {"reason": r.review_reason}
        if r.review_reason else _("No reward for this one: our team did not approve it.")),
}


def referral_friends_qualified(member, limit=FRIENDS_SHOWN):
    """The member's friends who qualified, newest first: [FriendLine], by public name only. One
    query."""
    referrals = (
        Referral.objects.filter(referrer=member, qualified_at__isnull=False)
        .select_related("friend")
        .only("qualified_at", "no_reward", "review_reason",
              "friend__username", "friend__display_name", "friend__deleted_at")
        .order_by("-qualified_at", "-pk")[:limit]
    )
    return [
        FriendLine(name=referral.friend.public_name, qualified_at=referral.qualified_at,
                   note=NO_REWARD_EXPLANATIONS.get(referral.no_reward, lambda r: "")(referral))
        for referral in referrals
    ]


def referral_points(member):
    """The member's points, approved and pending: the ledger's sums (ledger.balance). One query."""
    return ledger_balance(member)


# Why a friend's sign-up is being checked, in the words the referrer reads ("Why: ..."). The
# checks catch households and offices too, so none of them accuses anyone.
FLAG_EXPLANATIONS = {
    FraudFlag.Rule.SELF: lambda: _("The new account looks like your own."),
    FraudFlag.Rule.SAME_MAILBOX: lambda: _("Your friend's e-mail address leads to the same mailbox as yours."),
    FraudFlag.Rule.SAME_DEVICE: lambda: _("Your friend joined in a browser you have used."),
    FraudFlag.Rule.SAME_NETWORK: lambda: _("Your friend joined from the same internet connection as you, "
                                            "as often happens at home or at work."),
    FraudFlag.Rule.DISPOSABLE: lambda: _("Your friend used a temporary e-mail address."),
    FraudFlag.Rule.BURST: lambda: _("Many friends joined with your link in a short time."),
}


@dataclass(frozen=True)
class RewardLine:
    reward: Reward
    title: str  # what the reward is for
    explanation: str  # where it stands and why, in plain words
    checks: tuple = ()  # for a reward held for a check: why, one plain sentence per reason


def _amount(reward):
    if reward.points:
        return _("%(points)s points") % {"points": reward.points}
    if reward.discount_value is not None:
        return _("a %(value)s %(currency)s discount") % {"value": reward.discount_value, "currency": reward.currency}
    return _("a reward")


def reward_checks(reward):
    """Why a reward held for a check is held: the plain reasons (FLAG_EXPLANATIONS) of the rules
    that matched its referral; () for any other reward. They are addressed to the referrer (they
    speak of "your friend"), so the friend's own reward never carries them."""
    if reward.state != Reward.State.FLAGGED or reward.side != Reward.Side.REFERRER:
        return ()
    return tuple(FLAG_EXPLANATIONS[flag.rule]() for flag in reward.referral.flags.all() if flag.rule in FLAG_EXPLANATIONS)


def _reason(reward):
    """What a member reads for the reward's REASONS code; "" for none (or one not known)."""
    return str(REASONS.get(reward.reason, ""))


def reward_explain(reward):
    """Where `reward` stands and why, as one or two plain sentences (the current language).
    Staff's written reason (Referral.review_reason) is for the referrer only: the friend reads that
    their reward was held for a check, or not approved, and no more."""
    state = reward.state
    referral = reward.referral
    if state == Reward.State.PENDING:
        return _("Waiting for the return window to end on %(date)s. If the order is not returned or cancelled "
                 "by then, it is approved.") % {"date": date_format(reward.due_at, "DATE_FORMAT")}
    if state == Reward.State.FLAGGED:
        return _("Our team checks this one by hand. Most checks end in an approval; "
                 "we will tell you when it is decided.")
    if state == Reward.State.APPROVED:
        if reward.decided_at:
            return _("Approved on %(date)s.") % {"date": date_format(reward.decided_at, "DATE_FORMAT")}
        return _("Approved.")
    if state == Reward.State.VOID:
        text = _("The order was refunded or cancelled within the return window, so this reward lapsed.")
        why = _reason(reward)
        return f"{text} {why}" if why else text
    if state == Reward.State.REVERSED:
        text = _("The order was returned after the reward was approved, so it was taken back.")
        why = _reason(reward)
        return f"{text} {why}" if why else text
    if state == Reward.State.REJECTED:
        text = _("Our team checked this reward and did not approve it.")
        if reward.side != Reward.Side.REFERRER:
            return text
        why = referral.review_reason or _reason(reward)
        return _("%(text)s Reason: %(reason)s") % {"text": text, "reason": why} if why else text
    return reward.get_state_display()


def referral_rewards(member, limit=REWARDS_SHOWN):
    """The member's newest rewards, each with what it is for and a plain explanation of where it
    stands: [RewardLine]. Two queries (the rewards with their friends, and the checks' flags)."""
    rewards = (
        Reward.objects.filter(member=member)
        .select_related("referral__friend", "referral__referrer")
        .prefetch_related("referral__flags")
        .order_by("-created_at", "-pk")[:limit]
    )
    lines = []
    for reward in rewards:
        amount = _amount(reward)
        if reward.side == Reward.Side.REFERRER:
            title = _("%(amount)s for inviting %(friend)s") % {
                "amount": amount, "friend": reward.referral.friend.public_name}
        else:
            title = _("%(amount)s welcome reward, from %(referrer)s's invitation") % {
                "amount": amount, "referrer": reward.referral.referrer.public_name}
        lines.append(RewardLine(reward=reward, title=capfirst(title), explanation=reward_explain(reward),
                                checks=reward_checks(reward)))
    return lines


def referral_programme():
    """The offer as editors set it (Settings → Referral programme)."""
    return ReferralProgramme.load()
