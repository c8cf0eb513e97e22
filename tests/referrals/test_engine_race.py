"""Races on PostgreSQL, through the real webhook path: however many deliveries arrive at once,
a referral is rewarded exactly once (the referral row lock, Reward's unique (referral, side), the
ledger's unique source keys), and the monthly cap holds.

The deliveries run in RACE_THREADS threads released at once (each thread posts its share in
turn), so 100 deliveries do not need 100 database connections at a time."""

import datetime
import os

import pytest
from django.test import Client
from django.utils import timezone

from referrals import ledger, services
from referrals.models import LedgerEntry, Referral, Reward
from shop.models import Order
from tests.factories import MemberFactory
from tests.race import race
from tests.referrals.engine_helpers import referral_make
from tests.shop.helpers import post_shopify, shopify_order

DELIVERIES = 100
THREADS = int(os.environ.get("RACE_THREADS", "20"))


def spread(fn, total=DELIVERIES, threads=THREADS):
    """Call fn(i) for i in range(total) from `threads` threads released at the same moment."""
    per = -(-total // threads)

    def run(t):
        return [fn(i) for i in range(t * per, min(total, (t + 1) * per))]

    return [result for chunk in race(threads, run, timeout=300) for result in chunk]


@pytest.fixture
def referred(transactional_db, programme, shop_secrets):
    friend = MemberFactory(email="buyer@example.com")
    joined = timezone.now() - datetime.timedelta(hours=1)
    return referral_make(friend=friend, joined=joined)


def paid_body(order_id=1001):
    return shopify_order(order_id=order_id, financial_status="paid", total="98.00",
                         created_at=timezone.now().isoformat())


@pytest.mark.django_db(transaction=True)
def test_many_deliveries_of_the_same_paid_order_reward_once(on_postgres, referred):
    body = paid_body()
    statuses = spread(lambda i: post_shopify(Client(), "orders/paid", body, f"delivery-{i % 50}").status_code)
    assert set(statuses) <= {200, 202}
    assert Order.objects.count() == 1
    assert Reward.objects.filter(referral=referred).count() == 2
    assert LedgerEntry.objects.filter(reward__isnull=False).count() == 2  # loyalty adds its order points
    assert ledger.balance(referred.referrer) == ledger.Balance(approved=0, pending=500)
    assert ledger.reconcile() == []


@pytest.mark.django_db(transaction=True)
def test_different_orders_of_the_same_friend_at_once_reward_once(on_postgres, referred):
    bodies = [paid_body(order_id=2000 + i) for i in range(DELIVERIES)]
    spread(lambda i: post_shopify(Client(), "orders/paid", bodies[i], f"order-{i}").status_code)
    assert Order.objects.filter(status="paid").count() == DELIVERIES
    referral = Referral.objects.get(pk=referred.pk)
    assert referral.qualifying_order is not None
    assert Reward.objects.filter(referral=referral, side="referrer").count() == 1
    assert Reward.objects.filter(side="referrer").count() == 1 and Reward.objects.count() == 2
    assert ledger.balance(referred.referrer) == ledger.Balance(approved=0, pending=500)
    assert ledger.reconcile() == []


@pytest.mark.django_db(transaction=True)
def test_friends_qualifying_at_once_respect_the_monthly_cap(on_postgres, programme, shop_secrets):
    referrer = MemberFactory()
    joined = timezone.now() - datetime.timedelta(hours=1)
    friends = [MemberFactory(email=f"friend{i}@example.com") for i in range(10)]
    for friend in friends:
        referral_make(referrer, friend, joined=joined)
    bodies = [shopify_order(order_id=3000 + i, email=friends[i].email, financial_status="paid", total="98.00",
                            created_at=timezone.now().isoformat()) for i in range(10)]
    spread(lambda i: post_shopify(Client(), "orders/paid", bodies[i], f"cap-{i}").status_code, total=10, threads=10)
    assert Reward.objects.filter(member=referrer, side="referrer").count() == programme.monthly_cap == 3
    assert Referral.objects.filter(no_reward=Referral.NoReward.CAP).count() == 7
    assert Reward.objects.filter(side="friend").count() == 10


@pytest.mark.django_db(transaction=True)
def test_approving_at_once_moves_each_reward_once(on_postgres, referred):
    post_shopify(Client(), "orders/paid", paid_body(), "d-1")
    later = timezone.now() + datetime.timedelta(days=60)
    approved = spread(lambda i: services.rewards_approve_due(now=later), total=10, threads=10)
    assert sum(approved) == 2
    assert LedgerEntry.objects.filter(reward__isnull=False).count() == 6  # loyalty adds its order points
    assert ledger.balance(referred.referrer) == ledger.Balance(approved=500, pending=0)
    assert ledger.reconcile() == []
