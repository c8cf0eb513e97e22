"""Qualification and rewards (referrals.services): windows, minimum, currency, the return window,
refunds and cancellations, the monthly cap, the friend's reward, replays, late verification."""

import datetime
import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from referrals import ledger, services
from referrals.models import CODE_ALPHABET, LedgerEntry, Referral, ReferralProgramme, Reward
from shop.models import Order
from tests.factories import MemberFactory
from tests.referrals.engine_helpers import DAY, SECOND, T0, order_make, referral_make, rewards_of
from tests.shop.helpers import post_shopify, shopify_order, shopify_refund

pytestmark = pytest.mark.django_db


def qualify(referral, **order_kwargs):
    order = order_make(referral.friend, **order_kwargs)
    services.order_paid_handle(order, now=order.paid_at)
    referral.refresh_from_db()
    return order


# --- the qualifying window and the minimum ------------------------------------------------------

@pytest.mark.parametrize("placed_at, total, currency, qualifies", [
    (T0, "40.00", "EUR", True),                        # at the moment of joining
    (T0 - SECOND, "40.00", "EUR", False),              # before joining
    (T0 + 90 * DAY, "40.00", "EUR", True),             # the last moment of the window
    (T0 + 90 * DAY + SECOND, "40.00", "EUR", False),   # just after it
    (T0 + DAY, "30.00", "EUR", True),                  # exactly the minimum
    (T0 + DAY, "29.99", "EUR", False),                 # a cent under
    (T0 + DAY, "40.00", "eur", True),                  # currency case does not matter
    (T0 + DAY, "400.00", "NOK", False),                # another currency cannot be compared
])
def test_qualifying_window_minimum_and_currency(programme, placed_at, total, currency, qualifies):
    referral = referral_make()
    qualify(referral, placed_at=placed_at, total=total, currency=currency)
    assert (referral.qualified_at is not None) is qualifies
    assert referral.rewards.count() == (2 if qualifies else 0)


@pytest.mark.parametrize("status, qualifies", [
    ("paid", True), ("partially_refunded", True), ("pending", False), ("refunded", False), ("cancelled", False),
])
def test_only_paid_orders_qualify(programme, status, qualifies):
    referral = referral_make()
    qualify(referral, status=status)
    assert (referral.qualified_at is not None) is qualifies


def test_a_partially_refunded_order_qualifies_on_what_was_kept(programme):
    referral = referral_make()
    qualify(referral, total="50.00", status="partially_refunded", refunded_total="25.00")
    assert referral.qualified_at is None  # 25 kept < 30


def test_a_smaller_first_order_does_not_spoil_a_later_one(programme):
    referral = referral_make()
    qualify(referral, total="10.00", placed_at=T0 + DAY)
    assert referral.qualified_at is None
    order = qualify(referral, total="35.00", placed_at=T0 + 2 * DAY)
    assert referral.qualifying_order == order


def test_the_first_qualifying_order_wins_and_qualifies_once(programme):
    referral = referral_make()
    later = order_make(referral.friend, placed_at=T0 + 3 * DAY)
    first = order_make(referral.friend, placed_at=T0 + 2 * DAY)
    services.order_paid_handle(later, now=T0 + 3 * DAY)
    services.order_paid_handle(first, now=T0 + 3 * DAY)
    referral.refresh_from_db()
    assert referral.qualifying_order == first  # the earliest placed, whichever signal came first
    assert Reward.objects.count() == 2


def test_rewards_and_their_pending_entries(programme):
    referral = referral_make()
    order = qualify(referral, paid_at=T0 + 2 * DAY)
    rewards = rewards_of(referral)
    assert (rewards["referrer"].member, rewards["referrer"].points) == (referral.referrer, 500)
    assert (rewards["friend"].member, rewards["friend"].points) == (referral.friend, 250)
    for reward in rewards.values():
        assert reward.state == Reward.State.PENDING and reward.order == order
        assert reward.due_at == T0 + 2 * DAY + 30 * DAY  # the return window from payment
    assert ledger.balance(referral.referrer) == ledger.Balance(approved=0, pending=500)
    assert ledger.balance(referral.friend) == ledger.Balance(approved=0, pending=250)


def test_friend_gets_a_unique_unguessable_discount_code(programme):
    programme.friend_reward = ReferralProgramme.FriendReward.CODE
    programme.save()
    codes = set()
    for _ in range(5):
        referral = referral_make()
        qualify(referral)
        reward = rewards_of(referral)["friend"]
        assert reward.points == 0 and reward.discount_value == Decimal("10.00") and reward.currency == "EUR"
        assert re.fullmatch(f"FRIEND-[{CODE_ALPHABET}]{{12}}", reward.discount_code)
        codes.add(reward.discount_code)
        assert not LedgerEntry.objects.filter(reward=reward).exists()  # no points, no entries
    assert len(codes) == 5


def test_discount_code_clash_is_retried(programme, monkeypatch):
    programme.friend_reward = ReferralProgramme.FriendReward.CODE
    programme.save()
    first = referral_make()
    qualify(first)
    taken = rewards_of(first)["friend"].discount_code
    fresh = iter([taken, taken, "FRIEND-BCDFGHJKMNPQ"])
    monkeypatch.setattr(services, "discount_code_new", lambda: next(fresh))
    second = referral_make()
    qualify(second)
    assert rewards_of(second)["friend"].discount_code == "FRIEND-BCDFGHJKMNPQ"


def test_programme_off_makes_no_rewards_and_says_why(programme):
    programme.enabled = False
    programme.save()
    referral = referral_make()
    qualify(referral)
    assert referral.qualified_at is not None and referral.no_reward == Referral.NoReward.OFF
    assert not referral.rewards.exists()


# --- the return window --------------------------------------------------------------------------

@pytest.mark.parametrize("now, approved", [
    (T0 + DAY + 30 * DAY - SECOND, False),
    (T0 + DAY + 30 * DAY, True),
    (T0 + DAY + 60 * DAY, True),
])
def test_return_window_edge(programme, now, approved):
    referral = referral_make()
    qualify(referral, paid_at=T0 + DAY)
    assert services.rewards_approve_due(now=now) == (2 if approved else 0)
    states = {reward.state for reward in referral.rewards.all()}
    assert states == {Reward.State.APPROVED if approved else Reward.State.PENDING}
    expected = ledger.Balance(approved=500, pending=0) if approved else ledger.Balance(approved=0, pending=500)
    assert ledger.balance(referral.referrer) == expected


def test_approving_twice_moves_once(programme):
    referral = referral_make()
    qualify(referral)
    later = T0 + 100 * DAY
    assert services.rewards_approve_due(now=later) == 2
    assert services.rewards_approve_due(now=later) == 0
    assert LedgerEntry.objects.filter(member=referral.referrer).count() == 3  # pending, release, approve
    assert ledger.reconcile() == []


def test_approve_command(programme):
    referral = referral_make()
    qualify(referral)
    call_command("referral_rewards_approve", "--now", (T0 + 100 * DAY).isoformat())
    assert {r.state for r in referral.rewards.all()} == {Reward.State.APPROVED}


def test_approval_rechecks_the_order(programme):
    """A refund whose signal was lost is caught when the reward comes due."""
    referral = referral_make()
    order = qualify(referral)
    Order.objects.filter(pk=order.pk).update(status="refunded", refunded_total=order.total)
    assert services.rewards_approve_due(now=T0 + 100 * DAY) == 0
    assert {(r.state, r.reason) for r in referral.rewards.all()} == {(Reward.State.VOID, "refunded")}
    assert ledger.balance(referral.referrer) == ledger.Balance(0, 0)


# --- refunds and cancellations ------------------------------------------------------------------

@pytest.mark.parametrize("refunded, status, voids, reason", [
    ("10.00", "partially_refunded", False, ""),                  # 40 - 10 = 30: still the minimum
    ("10.01", "partially_refunded", True, "partly_refunded"),    # 29.99 kept: under it (documented)
    ("40.00", "refunded", True, "refunded"),
])
def test_refund_before_approval(programme, refunded, status, voids, reason):
    referral = referral_make()
    order = qualify(referral)
    Order.objects.filter(pk=order.pk).update(status=status, refunded_total=Decimal(refunded))
    services.order_changed_handle(order, now=T0 + 5 * DAY)
    rewards = list(referral.rewards.all())
    assert {r.state for r in rewards} == {Reward.State.VOID if voids else Reward.State.PENDING}
    assert {r.reason for r in rewards} == {reason}
    assert ledger.balance(referral.referrer) == ledger.Balance(0, 0 if voids else 500)
    assert ledger.reconcile() == []


def test_refund_after_approval_reverses(programme):
    referral = referral_make()
    order = qualify(referral)
    services.rewards_approve_due(now=T0 + 100 * DAY)
    Order.objects.filter(pk=order.pk).update(status="refunded", refunded_total=order.total)
    services.order_changed_handle(order, now=T0 + 101 * DAY)
    services.order_changed_handle(order, now=T0 + 102 * DAY)  # a replay: nothing more
    assert {r.state for r in referral.rewards.all()} == {Reward.State.REVERSED}
    keys = set(LedgerEntry.objects.filter(member=referral.referrer).values_list("source_key", flat=True))
    reward = rewards_of(referral)["referrer"]
    assert keys == {f"reward:{reward.pk}:{step}" for step in ("pending", "release", "approve", "reverse")}
    assert ledger.balance(referral.referrer) == ledger.Balance(0, 0)
    assert ledger.reconcile() == []


def test_cancellation_voids(programme):
    referral = referral_make()
    order = qualify(referral)
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    services.order_changed_handle(order)
    assert {(r.state, r.reason) for r in referral.rewards.all()} == {(Reward.State.VOID, "cancelled")}


def test_a_void_is_final(programme):
    referral = referral_make()
    order = qualify(referral)
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    services.order_changed_handle(order)
    qualify(referral, placed_at=T0 + 3 * DAY)
    assert referral.qualifying_order == order and referral.rewards.count() == 2


# --- the monthly cap ----------------------------------------------------------------------------

def test_monthly_cap(programme):
    referrer = MemberFactory()
    referrals = [referral_make(referrer) for _ in range(4)]
    for referral in referrals:
        qualify(referral)  # all qualify on T0 + 1 day, in June
    capped = referrals[3]
    assert capped.no_reward == Referral.NoReward.CAP
    assert set(rewards_of(capped)) == {"friend"}  # the friend still gets theirs
    assert Reward.objects.filter(member=referrer).count() == 3
    assert ledger.balance(referrer).pending == 1500
    # next month there is room again
    july = referral_make(referrer, joined=T0 + 30 * DAY)
    qualify(july, placed_at=T0 + 31 * DAY)
    assert july.no_reward == "" and "referrer" in rewards_of(july)


def test_void_rewards_do_not_count_against_the_cap(programme):
    referrer = MemberFactory()
    first = referral_make(referrer)
    order = qualify(first)
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    services.order_changed_handle(order)
    for _ in range(3):
        referral = referral_make(referrer)
        qualify(referral)
        assert referral.no_reward == ""


@pytest.mark.parametrize("cap, made", [(0, 5), (1, 1)])
def test_cap_zero_means_no_limit(programme, cap, made):
    programme.monthly_cap = cap
    programme.save()
    referrer = MemberFactory()
    for _ in range(5):
        qualify(referral_make(referrer))
    assert Reward.objects.filter(member=referrer).count() == made


# --- through the real webhook -------------------------------------------------------------------

def friend_with_referral(email="friend@example.com"):
    friend = MemberFactory(email=email)
    referral = referral_make(friend=friend, joined=T0)
    return friend, referral


def test_replayed_order_paid_makes_one_reward(programme, deliver):
    friend, referral = friend_with_referral()
    body = shopify_order(email=friend.email, financial_status="paid", total="40.00", created_at=(T0 + DAY).isoformat())
    deliver(post_shopify, "orders/paid", body, "d-1")
    deliver(post_shopify, "orders/paid", body, "d-1")  # the same delivery again
    deliver(post_shopify, "orders/paid", body, "d-2")  # the same event, another delivery
    Order.objects.filter(external_id="1001").update(status="pending")  # the shop says "paid" anew
    deliver(post_shopify, "orders/paid", body, "d-3")
    services.order_paid_handle(Order.objects.get())  # and the signal replayed by hand
    assert Reward.objects.filter(referral=referral).count() == 2
    assert LedgerEntry.objects.filter(reward__isnull=False).count() == 2  # loyalty adds its order points
    assert ledger.balance(referral.referrer).pending == 500


def test_partial_refund_through_the_webhook(programme, deliver):
    friend, referral = friend_with_referral()
    body = shopify_order(email=friend.email, financial_status="paid", total="40.00", created_at=(T0 + DAY).isoformat())
    deliver(post_shopify, "orders/paid", body, "d-1")
    assert referral.rewards.count() == 2
    deliver(post_shopify, "refunds/create", shopify_refund(amount="5.00"), "r-1")
    assert {r.state for r in referral.rewards.all()} == {Reward.State.PENDING}
    deliver(post_shopify, "refunds/create", shopify_refund(refund_id=5002, amount="6.00"), "r-2")
    assert {(r.state, r.reason) for r in referral.rewards.all()} == {(Reward.State.VOID, "partly_refunded")}


def test_order_before_verification_qualifies_when_the_address_is_verified(programme, deliver,
                                                                          django_capture_on_commit_callbacks):
    friend = MemberFactory(email="late@example.com", verified=False)
    EmailAddress.objects.create(user=friend, email=friend.email, verified=False, primary=True)
    referral = referral_make(friend=friend, joined=T0)
    body = shopify_order(email=friend.email, financial_status="paid", total="40.00", created_at=(T0 + DAY).isoformat())
    deliver(post_shopify, "orders/paid", body, "d-1")
    assert Order.objects.get().member is None and not referral.rewards.exists()
    with django_capture_on_commit_callbacks(execute=True):
        address = EmailAddress.objects.get(user=friend)
        address.verified = True
        address.save()
    referral.refresh_from_db()
    assert referral.qualifying_order == Order.objects.get() and referral.rewards.count() == 2


def test_email_confirmed_signal_qualifies(programme, deliver, rf, django_capture_on_commit_callbacks):
    from allauth.account.signals import email_confirmed

    friend = MemberFactory(email="sig@example.com", verified=False)
    address = EmailAddress.objects.create(user=friend, email=friend.email, verified=False, primary=True)
    referral = referral_make(friend=friend, joined=T0)
    deliver(post_shopify, "orders/paid", shopify_order(email=friend.email, financial_status="paid", total="40.00",
                                                       created_at=(T0 + DAY).isoformat()), "d-1")
    EmailAddress.objects.filter(pk=address.pk).update(verified=True)  # verified without a save signal
    address.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    assert referral.rewards.count() == 2


def test_missed_signal_is_caught_by_the_sweep(programme):
    friend, referral = friend_with_referral()
    order_make(friend)  # paid, but no signal reached referrals
    assert services.referrals_qualify_missed(now=T0 + 2 * DAY) == 1
    assert referral.rewards.count() == 2


def test_order_of_a_member_not_referred_changes_nothing(programme):
    member = MemberFactory()
    services.order_paid_handle(order_make(member))
    assert not Reward.objects.exists()


def test_order_without_a_member_changes_nothing(programme):
    services.order_paid_handle(Order(member=None))
    assert not Reward.objects.exists()


def test_reward_due_times_follow_the_payment(programme):
    referral = referral_make()
    qualify(referral, placed_at=T0 + DAY, paid_at=T0 + 2 * DAY)
    assert {r.due_at for r in referral.rewards.all()} == {T0 + 32 * DAY}


def test_month_start_is_local(settings):
    settings.TIME_ZONE = "Europe/Oslo"
    moment = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)  # July 1st, 00:30 in Oslo
    assert services.month_start(moment).month == 7


# --- scheduling ---------------------------------------------------------------------------------

def test_the_immediate_backend_cannot_defer():
    """What the approval schedule relies on: run_after is refused by the immediate backend."""
    from django_tasks.exceptions import InvalidTaskError

    from referrals.tasks import rewards_approve_due_task

    assert not rewards_approve_due_task.get_backend().supports_defer
    with pytest.raises(InvalidTaskError):
        rewards_approve_due_task.using(run_after=T0).enqueue()


def test_a_deferring_backend_gets_the_approval_at_the_due_time(programme, settings,
                                                               django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    referral = referral_make()
    with django_capture_on_commit_callbacks(execute=True):
        qualify(referral, paid_at=T0 + DAY)
    runs = [r.task.run_after for r in default_task_backend.results if r.task.name == "rewards_approve_due_task"]
    assert runs == [T0 + 31 * DAY, T0 + 31 * DAY]  # one per reward, each at its due time
