"""Races on PostgreSQL: concurrent redemptions by one member never overdraw. Each redemption locks
the member's row, reads the balance under the lock, then inserts the code and its ledger entry, so
20 at once with points for 7 make exactly 7 codes, and the balance ends at what is left, never
below zero. Through the real view too (20 browsers of one member posting at once)."""

import pytest
from django.test import Client
from django.urls import reverse

from referrals import ledger
from referrals.loyalty.redemption import RedeemError, points_redeem
from referrals.models import DiscountCode, LedgerEntry
from shop.models import OutboundDelivery
from tests.factories import MemberFactory
from tests.race import race
from tests.referrals.loyalty.redeem_helpers import option_make, points_give

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CONCURRENT = 20


@pytest.fixture
def member_with_points(on_postgres, settings):
    settings.SHOP_OUTBOUND_URL = ""  # the events wait in the outbox, countable
    member = MemberFactory()
    points_give(member, 3500 + 499)  # room for 7 redemptions of 500
    return member


def test_20_concurrent_redemptions_by_one_member_never_overdraw(member_with_points):
    option = option_make(points=500)

    def attempt(i):
        try:
            return points_redeem(member_with_points, option.pk, request_key=f"race-{i}")[0].pk
        except RedeemError as error:
            return error.code

    results = race(CONCURRENT, attempt)
    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 7 and results.count("insufficient") == CONCURRENT - 7
    assert DiscountCode.objects.count() == 7
    assert LedgerEntry.objects.filter(kind="redemption").count() == 7
    assert ledger.balance(member_with_points).approved == 499
    assert OutboundDelivery.objects.filter(event="discount_code.created").count() == 7
    assert ledger.reconcile() == []


def test_20_concurrent_posts_through_the_view_never_overdraw(member_with_points, settings):
    settings.LOYALTY_REDEMPTIONS_PER_HOUR = 100
    option = option_make(points=500)
    url = reverse("referrals:points_redeem")

    def post(i):
        client = Client()
        client.force_login(member_with_points)
        return client.post(url, {"option": option.pk, "key": f"view-{i}"}).status_code

    statuses = race(CONCURRENT, post)
    assert set(statuses) == {302}
    assert DiscountCode.objects.count() == 7 and ledger.balance(member_with_points).approved == 499


def test_the_same_form_posted_20_times_at_once_makes_one_code(member_with_points):
    option = option_make(points=500)
    results = race(CONCURRENT, lambda i: points_redeem(member_with_points, option.pk, request_key="one-form")[0].pk)
    assert len(set(results)) == 1 and DiscountCode.objects.count() == 1
    assert ledger.balance(member_with_points).approved == 3999 - 500
