"""Races on PostgreSQL: however many deliveries of one paid order arrive at once, through the real
webhook path, the order earns once; awards arriving together never pass a cap."""

import os

import pytest
from django.test import Client
from django.utils import timezone

from referrals import ledger
from referrals.loyalty import earning
from referrals.models import LedgerEntry
from shop.models import Order
from tests.factories import MemberFactory
from tests.race import race
from tests.referrals.engine_helpers import shop_secrets  # noqa: F401
from tests.referrals.loyalty.helpers import Kind
from tests.shop.helpers import post_shopify, shopify_order

DELIVERIES = 100
THREADS = int(os.environ.get("RACE_THREADS", "20"))


def spread(fn, total=DELIVERIES, threads=THREADS):
    per = -(-total // threads)

    def run(t):
        return [fn(i) for i in range(t * per, min(total, (t + 1) * per))]

    return [result for chunk in race(threads, run, timeout=300) for result in chunk]


class Stub:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_hundred_deliveries_of_one_paid_order_earn_once(on_postgres, loyalty, shop_secrets):  # noqa: F811
    buyer = MemberFactory(email="buyer@example.com")
    body = shopify_order(order_id=1001, financial_status="paid", total="98.00", created_at=timezone.now().isoformat())
    statuses = spread(lambda i: post_shopify(Client(), "orders/paid", body, f"delivery-{i}").status_code)
    assert set(statuses) <= {200, 202}
    assert Order.objects.count() == 1
    assert list(LedgerEntry.objects.values_list("kind", "points", "status")) == [(Kind.ORDER, 98, "pending")]
    assert ledger.balance(buyer) == ledger.Balance(approved=0, pending=98)
    assert ledger.reconcile() == []


@pytest.mark.django_db(transaction=True)
def test_reviews_published_at_once_never_pass_the_cap(on_postgres, loyalty):
    member = MemberFactory()
    results = race(THREADS, lambda i: earning.review_award(Stub(pk=i + 1, author=member)) is not None)
    assert sum(results) == 2  # the fixture's cap: 2 a day
    assert ledger.balance(member).approved == 100


@pytest.mark.django_db(transaction=True)
def test_awards_crossing_a_free_shipping_tier_at_once_make_one_code(on_postgres, loyalty):
    """Twenty awards arrive together for a member 100 points short of Insider (free shipping); all
    of them stay under VIP (even at Insider's × 1.5): one tier period, so one free-shipping code
    and one event for the shop."""
    from referrals.loyalty.models import LoyaltyAccount, ShippingCode, Tier
    from shop.models import OutboundDelivery

    Tier.objects.filter(name="Insider").update(free_shipping=True)
    member = MemberFactory()
    ledger.append(member, 900, kind=Kind.REVIEW, status="approved", source_key="loyalty:review:seed")
    race(THREADS, lambda i: earning.award(member, Kind.PHOTO_POST, 60, source_key=f"loyalty:photo_post:{i}"))
    assert LoyaltyAccount.objects.get(member=member).tier.name == "Insider"
    assert ShippingCode.objects.filter(member=member).count() == 1
    assert OutboundDelivery.objects.filter(event="discount_code.created").count() == 1
