"""The append-only ledger (referrals.ledger): idempotent appends, balances, the invariants under
random event sequences (hypothesis), and `manage.py ledger_reconcile` finding forged differences."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals import ledger, services
from referrals.models import LedgerEntry, Referral, Reward
from shop.models import Order
from tests.factories import MemberFactory
from tests.referrals.engine_helpers import DAY, T0, order_make, referral_make

pytestmark = pytest.mark.django_db


def test_append_is_idempotent_by_source_key(member):
    first, created = ledger.append(member, 10, kind="adjustment", status="approved", source_key="k1")
    again, created_again = ledger.append(member, 99, kind="adjustment", status="approved", source_key="k1")
    assert created and not created_again and again.pk == first.pk and again.points == 10
    assert ledger.balance(member) == ledger.Balance(approved=10, pending=0)


def test_entries_are_append_only(member):
    entry, _ = ledger.append(member, 10, kind="adjustment", status="approved", source_key="k1")
    entry.points = 20
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert LedgerEntry.objects.get().points == 10


def test_balance_of_a_member_without_entries(member):
    assert ledger.balance(member) == ledger.Balance(0, 0)


# --- invariants under random sequences ----------------------------------------------------------

OPS = ["join", "join_flagged", "pay", "pay_small", "refund_part", "refund_all", "cancel", "days", "approve",
       "review_ok", "review_no"]


def expected_balance(member):
    approved = pending = 0
    for reward in Reward.objects.filter(member=member):
        if reward.state == Reward.State.APPROVED:
            approved += reward.points
        elif reward.state in (Reward.State.PENDING, Reward.State.FLAGGED):
            pending += reward.points
    return ledger.Balance(approved=approved, pending=pending)


def run_events(events):
    referrers = [MemberFactory(), MemberFactory()]
    staff = MemberFactory(is_staff=True)
    now = T0
    friends, orders = [], []
    for op, n in events:
        if op in ("join", "join_flagged"):
            email = f"f{len(friends)}@{'mailinator.com' if op == 'join_flagged' else 'example.com'}"
            referral = referral_make(referrers[n % 2], MemberFactory(email=email), joined=now)
            friends.append(referral.friend)
        elif op in ("pay", "pay_small") and friends:
            friend = friends[n % len(friends)]
            order = order_make(friend, total="40.00" if op == "pay" else "20.00", placed_at=now)
            orders.append(order)
            services.order_paid_handle(order, now=now)
        elif op in ("refund_part", "refund_all", "cancel") and orders:
            order = Order.objects.get(pk=orders[n % len(orders)].pk)
            if op == "cancel":
                order.status = Order.Status.CANCELLED
            else:
                left = order.total - order.refunded_total
                amount = left if op == "refund_all" else min(left, Decimal(n + 1))
                order.refunded_total += amount
                order.status = (Order.Status.REFUNDED if order.refunded_total >= order.total
                                else Order.Status.PARTIALLY_REFUNDED)
            order.save()
            services.order_changed_handle(order, now=now)
        elif op == "days":
            now += (n + 1) * 4 * DAY
        elif op == "approve":
            services.rewards_approve_due(now=now)
        elif op in ("review_ok", "review_no"):
            flagged = list(Referral.objects.exclude(review=Referral.Review.CLEAR).order_by("pk"))
            if flagged:
                services.referral_review(flagged[n % len(flagged)], approve=op == "review_ok", reason="checked",
                                         staff=staff, now=now)
        for member in referrers + friends:
            assert ledger.balance(member) == expected_balance(member)
    assert ledger.reconcile() == []
    for referral in Referral.objects.all():
        assert referral.rewards.count() <= 2
    # never more referrer rewards in a month than the cap
    for referrer in referrers:
        live = Reward.objects.filter(member=referrer, side="referrer").exclude(state__in=["void", "rejected"])
        by_month = {}
        for reward in live:
            key = (reward.created_at.year, reward.created_at.month)
            by_month[key] = by_month.get(key, 0) + 1
        assert all(count <= 3 for count in by_month.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(min_value=0, max_value=9)), max_size=30))
def test_ledger_invariants_under_random_events(programme, events):
    with transaction.atomic():
        run_events(events)
        transaction.set_rollback(True)


def test_a_long_fixed_sequence(programme):
    run_events([("join", 0), ("join", 1), ("join_flagged", 0), ("pay", 0), ("pay", 1), ("pay", 2), ("days", 9),
                ("approve", 0), ("refund_all", 0), ("refund_part", 1), ("refund_part", 9), ("review_ok", 0),
                ("days", 9), ("approve", 0), ("cancel", 2), ("join", 0), ("pay", 3), ("review_no", 0)])


# --- reconcile ----------------------------------------------------------------------------------

@pytest.fixture
def settled(programme):
    """One referral with approved rewards, one pending, and a staff adjustment."""
    done = referral_make()
    order = order_make(done.friend)
    services.order_paid_handle(order, now=order.paid_at)
    services.rewards_approve_due(now=T0 + 100 * DAY)
    waiting = referral_make(joined=T0 + 100 * DAY)
    order = order_make(waiting.friend, placed_at=T0 + 101 * DAY)
    services.order_paid_handle(order, now=order.paid_at)
    ledger.append(done.referrer, -100, kind="adjustment", status="approved", source_key="staff:1", note="correction")
    return done, waiting


def reconcile_output():
    out = StringIO()
    try:
        call_command("ledger_reconcile", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_reconcile_on_a_right_ledger(settled):
    out, error = reconcile_output()
    assert error is None and "matches" in out


def test_reconcile_reports_a_forged_amount(settled):
    done, _waiting = settled
    reward = done.rewards.get(side="referrer")
    LedgerEntry.objects.filter(source_key=f"reward:{reward.pk}:approve").update(points=5000)
    out, error = reconcile_output()
    assert error == "2 differences in the ledger"
    assert f"different: member {done.referrer_id} reward:{reward.pk}:approve: expected +500 approved" in out
    assert "found +5000 approved" in out
    assert f"sum: member {done.referrer_id} member:{done.referrer_id}:approved: expected +400, found +4900" in out


def test_reconcile_reports_missing_and_unexpected_entries(settled):
    done, waiting = settled
    approved = done.rewards.get(side="friend")
    LedgerEntry.objects.filter(source_key=f"reward:{approved.pk}:release").delete()  # behind the model's back
    pending = waiting.rewards.get(side="referrer")
    LedgerEntry.objects.create(member=pending.member, points=500, kind="referral_referrer", status="approved",
                               source_key=f"reward:{pending.pk}:approve", reward=pending)
    LedgerEntry.objects.create(member=pending.member, points=77, kind="referral_referrer", status="approved",
                               source_key="reward:999999:approve")
    out, error = reconcile_output()
    assert error is not None
    assert f"missing: member {approved.member_id} reward:{approved.pk}:release" in out
    assert f"unexpected: member {pending.member_id} reward:{pending.pk}:approve" in out
    assert "orphan: " in out and "reward:999999:approve" in out
    assert f"sum: member {pending.member_id} member:{pending.member_id}:approved" in out


def test_reconcile_reports_a_reward_state_forged(settled):
    done, _waiting = settled
    Reward.objects.filter(referral=done, side="referrer").update(state="pending")
    out, error = reconcile_output()
    assert error is not None and "unexpected" in out
