"""Fixtures and makers for the referral engine's tests (tests/referrals/test_engine_*.py). Imported
by name from each test module, so this file does not collide with another helper's conftest."""

import datetime
from decimal import Decimal

import pytest

from referrals import services
from referrals.codes import code_for
from referrals.models import Referral, ReferralProgramme
from tests.factories import MemberFactory, OrderFactory
from tests.shop.helpers import GENERIC_SECRET, SHOPIFY_SECRET

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
T0 = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)  # a fixed moment: joined at T0


@pytest.fixture
def programme(db):
    """The offer with known numbers: 500 points / 250 points for the friend, minimum 30 EUR,
    90 days to qualify, 30-day return window, 3 rewards a month."""
    prog = ReferralProgramme.load()
    prog.enabled = True
    prog.referrer_points, prog.friend_reward, prog.friend_points = 500, ReferralProgramme.FriendReward.POINTS, 250
    prog.friend_code_value, prog.currency, prog.minimum_order = Decimal("10.00"), "EUR", Decimal("30.00")
    prog.cookie_days, prog.qualify_days, prog.return_days, prog.monthly_cap = 30, 90, 30, 3
    prog.save()
    return prog


@pytest.fixture
def shop_secrets(settings):
    settings.SHOP_WEBHOOK_SOURCES = {
        "shopify": {"format": "shopify", "secret": SHOPIFY_SECRET},
        "generic": {"format": "generic", "secret": GENERIC_SECRET},
    }


@pytest.fixture
def deliver(client, shop_secrets, django_capture_on_commit_callbacks):
    """Post like the shop does, and run what the commit triggers (processing, signals, receivers)."""

    def send(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(client, *args, **kwargs)

    return send


def referral_make(referrer=None, friend=None, *, joined=T0, via=Referral.Via.TYPED, **kwargs):
    referrer = referrer or MemberFactory()
    friend = friend or MemberFactory()
    return services.referral_attach(friend, code=code_for(referrer), via=via, now=joined, **kwargs)


def order_make(member, *, total="40.00", placed_at=T0 + DAY, paid_at=None, currency="EUR", status="paid", **kwargs):
    return OrderFactory(member=member, email=member.email, total=total, subtotal=total, currency=currency,
                        placed_at=placed_at, paid_at=paid_at or placed_at, status=status, **kwargs)


def rewards_of(referral):
    return {reward.side: reward for reward in referral.rewards.all()}
