"""Races on PostgreSQL through the real view: 50 concurrent clicks are 50 rows; 20 first requests
for one member's code make one code."""

import pytest
from django.test import Client

from referrals.clicks import clicks_flush
from referrals.codes import code_for
from referrals.models import Click, ReferralCode
from tests.factories import MemberFactory
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_clicks_are_fifty_rows(on_postgres, settings):
    settings.REFERRAL_CLICKS_PER_MINUTE = 1000
    settings.REFERRAL_CLICK_FLUSH_SIZE = 7  # on Redis, flushes run while clicks arrive
    code = code_for(MemberFactory())

    def click(i):
        return Client().get(f"/r/{code.code}?via=x", REMOTE_ADDR=f"10.0.0.{i % 3}").status_code

    assert race(50, click) == [302] * 50
    clicks_flush()  # what the buffer still holds, if there is one
    assert Click.objects.filter(code=code, channel="x").count() == 50
    assert Click.objects.values("token").distinct().count() == 50


def test_concurrent_first_requests_make_one_code(on_postgres):
    member = MemberFactory()
    results = race(20, lambda i: code_for(member).code)
    assert len(set(results)) == 1
    assert ReferralCode.objects.filter(member=member).count() == 1
