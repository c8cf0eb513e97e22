"""Writes of refer-and-earn: attribution, qualification, rewards and their moves, staff review.

The rules (the numbers are ReferralProgramme, edited in the Wagtail admin):

Attribution. A new member is linked to the member whose code brought them (typed at sign-up, or
the attribution cookie of a click). One Referral per friend, enforced by its OneToOne: the first
referrer keeps the friend for good; a later attempt returns the stored referral unchanged. A
member cannot refer themself (refused: a database constraint); everything else suspicious is
flagged by referrals.fraud, not refused.

Qualification. The friend's first paid order placed within `qualify_days` after joining (from the
moment they joined up to and including the last second of the window), in the programme's currency,
whose amount net of refunds is at least `minimum_order`, qualifies (an earlier smaller order does
not spoil it; an order placed before joining never counts). It is checked when an order is paid
(`order_paid`), and when the friend verifies an address, since orders placed before that are only
then attached to them (shop.services.orders_attach_to_member). A referral qualifies once.

Rewards. On qualifying, one Reward per side: `referrer_points` for the referrer and, for the
friend, `friend_points` or a unique single-use discount code worth `friend_code_value` (made with
`secrets`, not guessable). They are pending until the return window (`return_days` after the order
was paid) ends, then approved by `rewards_approve_due` (a task on a backend that can defer, and
`manage.py referral_rewards_approve` for cron). A reward of a flagged referral waits in the flagged
state until staff decide (`referral_review`).
- A cancelled or fully refunded order voids its rewards: pending ones with a void entry, approved
  ones with a reversal entry (points can go below zero if they were spent; nothing is edited).
- A partial refund that leaves the order's net amount under the minimum voids them too: the friend
  would not have qualified with what they kept. A partial refund that keeps it at or above the
  minimum changes nothing. The minimum is the programme's at the time of the refund.
- A voided reward is final: the referral does not qualify again with another order.
- Monthly cap: at most `monthly_cap` referrer rewards (not void or rejected) made per referrer in a
  calendar month (settings.TIME_ZONE). Past the cap the referrer's reward is not made and the
  referral says why (`no_reward = cap`); the friend's welcome reward is made all the same.
- While the programme is off, a friend who qualifies gets no rewards (`no_reward = off`).
Rewards of 0 points (a discount code) have no ledger entries. A friend's discount code is pushed
to the shop (the signed outbound webhook, referrals.loyalty.shop_codes) when the reward is
approved, when the friend also first sees it, and withdrawn there if the reward is reversed.
Reward.reason holds a code from REASONS (why it was voided or rejected); the referrer reads staff's
own words in review_reason.
"""

import datetime
import logging
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Order
from shop.services import orders_attach_to_member

from . import ledger
from .fraud import SIGHTING_DAYS, referral_screen
from .loyalty.shop_codes import ORIGIN_REFERRAL, code_cancelled_push, code_created_push
from .models import CODE_ALPHABET, Channel, Click, Referral, ReferralProgramme, Reward, Sighting

logger = logging.getLogger(__name__)

DISCOUNT_CODE_PREFIX = "FRIEND-"
DISCOUNT_CODE_LENGTH = 12  # 28^12 ≈ 2·10^17: not guessable, not enumerable

# Reward.reason codes, and what a member reads for them.
REASONS = {
    "refunded": _("The order was refunded."),
    "partly_refunded": _("Part of the order was refunded, and what was kept is under the minimum amount."),
    "cancelled": _("The order was cancelled."),
    "rejected": _("Our team reviewed this referral and did not approve it."),
    "account_closed": _("The account it was for was closed before it was approved."),
}

_LIVE = (Reward.State.PENDING, Reward.State.FLAGGED, Reward.State.APPROVED)


def programme():
    return ReferralProgramme.load()


def _enqueue_after_commit(task, *args):
    # robust: a queue that is down is logged, and never undoes what was written
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


# --- attribution ---------------------------------------------------------------------------------

def referral_attach(friend, *, code, via, click_token=None, channel="", ip_hash="", device_hash="", now=None):
    """Link the new member `friend` to the owner of `code` (a ReferralCode), `via` a Referral.Via.
    Runs the fraud rules on it. Returns the new Referral; the stored one when the friend already
    has a referrer (the first keeps them); None when there is nothing to attach (no code, the
    friend's own code, an inactive referrer)."""
    if code is None or friend is None or friend.pk is None:
        return None
    referrer = code.member
    if code.member_id == friend.pk or not referrer.is_active or referrer.deleted_at is not None:
        return None
    if via not in Referral.Via.values:
        raise ValueError(f"unknown way of referral {via!r}")
    now = now or timezone.now()
    click = None
    if click_token is not None:
        click = Click.objects.filter(token=click_token, code=code).first()
    # the click's channel; while the click still waits in the buffer, the one its cookie carried
    # (clicks.clicks_flush links the referral to its click once the click is written)
    if click is not None:
        channel = click.channel
    elif via == Referral.Via.LINK:
        channel = channel if channel in Channel.values else Channel.LINK
    else:
        channel = ""
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                referrer=referrer, friend=friend, code=code, via=via, channel=channel, click=click,
                click_token=click_token if via == Referral.Via.LINK else None, created_at=now,
            )
            referral_screen(referral, ip_hash=ip_hash, device_hash=device_hash, now=now)
    except IntegrityError:  # the friend already has a referrer: the first one keeps them
        return Referral.objects.filter(friend=friend).first()
    from .tasks import friend_joined_notify

    _enqueue_after_commit(friend_joined_notify, referral.pk)
    return referral


def sighting_record(member, *, ip_hash, device_hash, now=None):
    """Remember that `member` was seen with this network and browser (keyed hashes), for the fraud
    rules. One row per member, place and day is enough. Returns the new Sighting or None."""
    if member is None or member.pk is None or not (ip_hash or device_hash):
        return None
    now = now or timezone.now()
    if Sighting.objects.filter(member=member, ip_hash=ip_hash, device_hash=device_hash,
                               at__gte=now - datetime.timedelta(days=1)).exists():
        return None  # not money: a duplicate row would be harmless, this only keeps the table small
    return Sighting.objects.create(member=member, ip_hash=ip_hash, device_hash=device_hash, at=now)


def sightings_prune(now=None):
    """Forget sightings older than SIGHTING_DAYS days; returns how many."""
    now = now or timezone.now()
    deleted, _detail = Sighting.objects.filter(at__lt=now - datetime.timedelta(days=SIGHTING_DAYS)).delete()
    return deleted


# --- qualification -------------------------------------------------------------------------------

def qualifying_orders(referral, prog):
    """The friend's orders that would qualify the referral now, first first."""
    start = referral.created_at
    end = start + datetime.timedelta(days=prog.qualify_days)
    net = ExpressionWrapper(F("total") - F("refunded_total"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return (
        Order.objects.filter(
            member=referral.friend_id, status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED],
            currency__iexact=prog.currency, placed_at__gte=start, placed_at__lte=end,
        )
        .annotate(net=net)
        .filter(net__gte=prog.minimum_order)
        .order_by("placed_at", "pk")
    )


def referral_qualify(friend, *, now=None):
    """Qualify the friend's referral with their first qualifying order and make its rewards, once.
    Safe to call any number of times, concurrently: the referral row is locked, and a referral
    that qualified is left alone. Returns the referral if it qualified now, else None."""
    if friend is None or friend.pk is None:
        return None
    prog = programme()
    now = now or timezone.now()
    with transaction.atomic():
        referral = (Referral.objects.select_for_update(of=("self",)).select_related("referrer", "friend")
                    .filter(friend=friend).first())
        if referral is None or referral.qualified_at is not None:
            return None
        order = qualifying_orders(referral, prog).first()
        if order is None:
            return None
        referral.qualified_at, referral.qualifying_order = now, order
        rewards = _rewards_make(referral, order, prog, now)
        referral.save(update_fields=["qualified_at", "qualifying_order", "no_reward"])
    for reward in rewards:
        _approval_schedule(reward)
    return referral


def referrals_qualify_missed(*, now=None):
    """Qualify every referral still in its window whose friend has a qualifying order (a signal
    that was lost). Returns how many qualified."""
    now = now or timezone.now()
    prog = programme()
    since = now - datetime.timedelta(days=prog.qualify_days)
    waiting = Referral.objects.filter(qualified_at__isnull=True, created_at__gte=since, friend__orders__isnull=False)
    friends = get_user_model().objects.filter(pk__in=waiting.values("friend_id"))
    return sum(referral_qualify(friend, now=now) is not None for friend in friends.iterator())


def _rewards_make(referral, order, prog, now):
    if not prog.enabled:
        referral.no_reward = Referral.NoReward.OFF
        return []
    if referral.review == Referral.Review.REJECTED:
        referral.no_reward = Referral.NoReward.REJECTED
        return []
    state = Reward.State.FLAGGED if referral.review == Referral.Review.FLAGGED else Reward.State.PENDING
    due_at = (order.paid_at or now) + datetime.timedelta(days=prog.return_days)
    common = {"referral": referral, "order": order, "due_at": due_at, "state": state, "now": now}
    made = []
    if prog.referrer_points:
        if _under_cap(referral.referrer_id, prog, now):
            made.append(_reward_create(side=Reward.Side.REFERRER, member=referral.referrer,
                                       points=prog.referrer_points, **common))
        else:
            referral.no_reward = Referral.NoReward.CAP
    if prog.friend_reward == ReferralProgramme.FriendReward.POINTS and prog.friend_points:
        made.append(_reward_create(side=Reward.Side.FRIEND, member=referral.friend, points=prog.friend_points, **common))
    elif prog.friend_reward == ReferralProgramme.FriendReward.CODE and prog.friend_code_value:
        made.append(_reward_create(side=Reward.Side.FRIEND, member=referral.friend, value=prog.friend_code_value,
                                   currency=prog.currency, **common))
    return [reward for reward in made if reward is not None]


def month_start(now):
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _under_cap(referrer_id, prog, now):
    """Whether the referrer may get another reward this month. Locks the referrer's row so that two
    friends qualifying at once cannot both take the last place."""
    if not prog.monthly_cap:
        return True
    list(get_user_model().objects.select_for_update().filter(pk=referrer_id).values_list("pk", flat=True))
    made = (Reward.objects.filter(member=referrer_id, side=Reward.Side.REFERRER, created_at__gte=month_start(now))
            .exclude(state__in=[Reward.State.VOID, Reward.State.REJECTED]).count())
    return made < prog.monthly_cap


def discount_code_new():
    """A fresh discount code: prefix + DISCOUNT_CODE_LENGTH characters of CODE_ALPHABET from
    `secrets`, unguessable. Uniqueness is the database's (Reward's constraint; retried on a clash)."""
    return DISCOUNT_CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(DISCOUNT_CODE_LENGTH))


def _reward_create(*, referral, side, member, order, due_at, state, now, points=0, value=None, currency=""):
    """One reward and its first ledger entry, once per (referral, side)."""
    for _attempt in range(5):
        code = discount_code_new() if value is not None else ""
        try:
            with transaction.atomic():
                reward = Reward.objects.create(
                    referral=referral, side=side, member=member, points=points, discount_code=code,
                    discount_value=value, currency=currency, order=order, due_at=due_at, state=state, created_at=now,
                )
                ledger.append_step(reward, "pending")
            return reward
        except IntegrityError:
            existing = Reward.objects.filter(referral=referral, side=side).first()
            if existing is not None:
                return None  # made already (a replay): nothing new
            if not code:
                raise
            # else a discount code clash (astronomically rare): try another
    raise IntegrityError("could not make a unique discount code")


def _approval_schedule(reward):
    """On a task backend that can run a task later, run the approval when this reward is due. The
    immediate backend cannot (enqueueing with run_after raises InvalidTaskError there): cron runs
    `manage.py referral_rewards_approve` instead, which is also the safety net in production."""
    from .tasks import rewards_approve_due_task

    def enqueue():
        if rewards_approve_due_task.get_backend().supports_defer:
            rewards_approve_due_task.using(run_after=reward.due_at).enqueue()

    transaction.on_commit(enqueue, robust=True)


# --- the moves of a reward -----------------------------------------------------------------------

def _order_void_reason(order, prog):
    """Why this order no longer supports its rewards (a REASONS code), or None."""
    if order is None:
        return None
    if order.status == Order.Status.CANCELLED:
        return "cancelled"
    if order.status == Order.Status.REFUNDED or order.refunded_total >= order.total > 0:
        return "refunded"
    if order.total - order.refunded_total < prog.minimum_order:
        return "partly_refunded"
    return None


def _locked(reward_pk):
    return Reward.objects.select_for_update(of=("self",)).select_related("member").filter(pk=reward_pk).first()


def reward_approve(reward_pk, *, now=None):
    """Approve one pending reward that is due: release its pending points, add them approved. If its
    order was refunded or cancelled meanwhile (a missed signal), it is voided instead. Returns True
    if it was approved now."""
    now = now or timezone.now()
    with transaction.atomic():
        reward = _locked(reward_pk)
        if reward is None or reward.state != Reward.State.PENDING or reward.due_at > now:
            return False
        order = Order.objects.filter(pk=reward.order_id).first()
        reason = _order_void_reason(order, programme())
        if reason:
            _void(reward, reason=reason, now=now)
            return False
        ledger.append_step(reward, "release")
        ledger.append_step(reward, "approve")
        reward.state, reward.decided_at = Reward.State.APPROVED, now
        reward.save(update_fields=["state", "decided_at"])
        if reward.discount_code:  # the friend's welcome code: the shop must honour it from now on
            code_created_push(reward.discount_code, value=reward.discount_value, currency=reward.currency,
                              expires_at=None, origin=ORIGIN_REFERRAL)
    from .tasks import reward_approved_notify

    _enqueue_after_commit(reward_approved_notify, reward.pk)
    return True


def rewards_approve_due(now=None):
    """Approve every pending reward whose return window has ended. Returns how many."""
    now = now or timezone.now()
    due = Reward.objects.filter(state=Reward.State.PENDING, due_at__lte=now).order_by("pk")
    approved, last = 0, 0
    while batch := list(due.filter(pk__gt=last).values_list("pk", flat=True)[:500]):
        approved += sum(reward_approve(pk, now=now) for pk in batch)
        last = batch[-1]
    return approved


def _void(reward, *, reason, now, rejected=False):
    """Reward locked by the caller. pending/flagged -> void (or rejected); approved -> reversed."""
    if reward.state in (Reward.State.PENDING, Reward.State.FLAGGED):
        ledger.append_step(reward, "void")
        reward.state = Reward.State.REJECTED if rejected else Reward.State.VOID
    elif reward.state == Reward.State.APPROVED:
        ledger.append_step(reward, "reverse")
        reward.state = Reward.State.REVERSED
        if reward.discount_code:  # the shop was told to honour it: now to stop
            code_cancelled_push(reward.discount_code, reason="reversed")
    else:
        return False
    reward.reason, reward.decided_at = reason, now
    reward.save(update_fields=["state", "reason", "decided_at"])
    return True


def reward_void(reward_pk, *, reason, now=None, rejected=False):
    """Void (or reverse, once approved) one reward; `reason` a REASONS code. True if it moved."""
    now = now or timezone.now()
    with transaction.atomic():
        reward = _locked(reward_pk)
        return reward is not None and _void(reward, reason=reason, now=now, rejected=rejected)


# --- shop events ---------------------------------------------------------------------------------

def order_paid_handle(order, *, now=None):
    """A paid order may qualify its member's referral."""
    if order.member_id is None:
        return None  # not (yet) a member's: checked again when they verify the address
    return referral_qualify(order.member, now=now)


def order_changed_handle(order, *, now=None):
    """After a refund or a cancellation: void the rewards the order no longer supports. Returns
    how many moved."""
    order = Order.objects.filter(pk=order.pk).first()
    reason = _order_void_reason(order, programme())
    if not reason:
        return 0
    pks = Reward.objects.filter(order=order, state__in=_LIVE).values_list("pk", flat=True)
    return sum(reward_void(pk, reason=reason, now=now) for pk in list(pks))


def member_address_verified(member, email, *, now=None):
    """A member verified `email`: the orders placed with it become theirs (the shop does this too;
    doing it here first makes the order of receivers irrelevant), and may qualify their referral."""
    orders_attach_to_member(member, email)
    return referral_qualify(member, now=now)


# --- staff review --------------------------------------------------------------------------------

def referral_review(referral, *, approve, reason, staff, now=None, expected=None):
    """Staff's decision on a (usually flagged) referral. Approving releases its flagged rewards
    (approved at once if their return window is over); rejecting voids its rewards (reversing any
    approved) and needs a reason, which the referrer reads. Returns the referral.
    `expected`: the review state the deciding person saw; if another decision came first (two
    staff, or a double click), nothing changes and ValidationError(code="decided") is raised."""
    reason = " ".join(str(reason or "").split())[:300]
    if not approve and not reason:
        raise ValidationError(_("Please give a reason: the referrer will read it."), code="reason")
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
        if expected is not None and referral.review != expected:
            raise ValidationError(_("That referral was already decided."), code="decided")
        referral.review = Referral.Review.APPROVED if approve else Referral.Review.REJECTED
        referral.review_reason, referral.reviewed_by, referral.reviewed_at = reason, staff, now
        fields = ["review", "review_reason", "reviewed_by", "reviewed_at"]
        if not approve and referral.qualified_at is not None:
            referral.no_reward = Referral.NoReward.REJECTED
            fields.append("no_reward")
        referral.save(update_fields=fields)
        pks = list(Reward.objects.filter(referral=referral).values_list("pk", flat=True))
        for pk in pks:
            reward = _locked(pk)
            if not approve:
                _void(reward, reason="rejected", now=now, rejected=True)
            elif reward.state == Reward.State.FLAGGED:
                reward.state = Reward.State.PENDING
                reward.save(update_fields=["state"])
    if approve:
        for pk in pks:
            reward_approve(pk, now=now)  # those already due
    return referral
