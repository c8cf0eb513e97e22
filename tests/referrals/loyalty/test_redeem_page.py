"""The member's side of redemption: the redeem part of /me/points/ (options, codes with their
state and a copy button, CSP-safe), the redeem POST (PRG, messages, no GET writes, bad input a
400, a rate limit), and the page's query count pinned whatever the number of codes."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from referrals import ledger
from referrals.loyalty import redemption
from referrals.models import DiscountCode, LedgerEntry
from tests.referrals.loyalty.redeem_helpers import option_make, points_give

pytestmark = pytest.mark.django_db


@pytest.fixture
def points_client(member_client, settings):
    settings.SHOP_OUTBOUND_URL = ""
    points_give(member_client.member, 1200)
    return member_client


def redeem(client, option, key="k"):
    return client.post(reverse("referrals:points_redeem"), {"option": option.pk, "key": key})


def test_the_page_offers_the_options_within_reach(points_client):
    option_make(points=500, value="5.00")
    option_make(points=5000, value="60.00")
    option_make(points=100, value="1.00", enabled=False)
    html = points_client.get(reverse("referrals:points")).content.decode()
    assert "You have 1200 points to spend." in html
    assert "Get a 5.00 EUR code for 500 points" in html
    assert "3800 more points needed." in html and "60.00 EUR" in html
    assert "1.00 EUR" not in html  # off
    assert "You have no discount codes yet." in html


def test_redeeming_through_the_page(points_client):
    option = option_make(points=500, value="5.00")
    response = redeem(points_client, option)
    assert response.status_code == 302 and response["Location"].endswith("/me/points/#your-codes")
    code = DiscountCode.objects.get()
    page = points_client.get(response["Location"])
    html = page.content.decode()
    assert f"Your code {code.code} is ready" in html
    assert f'value="{code.code}"' in html and 'data-code-copy="code-' in html
    assert "loyalty-codes.js" in html
    assert "You have 700 points to spend." in html
    # a second POST of the same form makes no second code
    again = points_client.get(redeem(points_client, option)["Location"]).content.decode()
    assert DiscountCode.objects.count() == 1 and "already made" in again


def test_the_page_is_csp_safe(points_client):
    option = option_make()
    redeem(points_client, option)
    html = points_client.get(reverse("referrals:points")).content.decode()
    section = html[html.index('id="redeem"'):]
    assert "<script>" not in section and not re.search(r"<script(?![^>]*\bsrc=)", section)
    assert " style=" not in section and not re.search(r"\son[a-z]+=", section)


def test_not_enough_points_says_so_and_changes_nothing(points_client):
    option = option_make(points=5000)
    response = redeem(points_client, option)
    assert response.status_code == 302
    html = points_client.get(response["Location"]).content.decode()
    assert "You have 1200 points; this reward needs 5000." in html
    assert DiscountCode.objects.count() == 0 and ledger.balance(points_client.member).approved == 1200


def test_an_option_switched_off_meanwhile_says_so(points_client):
    option = option_make(enabled=False)
    html = points_client.get(redeem(points_client, option)["Location"]).content.decode()
    assert "not offered any more" in html and DiscountCode.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"option": "abc"}, {"option": "1e3"}, {"option": "\x00"}])
def test_bad_input_is_a_400(points_client, data):
    assert points_client.post(reverse("referrals:points_redeem"), data).status_code == 400


def test_get_writes_nothing_and_visitors_log_in(client, points_client):
    assert points_client.get(reverse("referrals:points_redeem")).status_code == 405
    client.logout()
    response = client.post(reverse("referrals:points_redeem"), {"option": option_make().pk})
    assert response.status_code == 302 and "login" in response["Location"]
    assert DiscountCode.objects.count() == 0


def test_csrf_is_required(points_client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(points_client.member)
    assert strict.post(reverse("referrals:points_redeem"), {"option": option_make().pk}).status_code == 403


def test_redemptions_are_rate_limited(points_client, settings):
    settings.LOYALTY_REDEMPTIONS_PER_HOUR = 2
    option = option_make(points=100)
    for i in range(3):
        response = redeem(points_client, option, key=f"k{i}")
    html = points_client.get(response["Location"]).content.decode()
    assert DiscountCode.objects.count() == 2 and "try again later" in html


def test_codes_show_their_state(points_client, settings):
    settings.LOYALTY_CODE_REFUND_GRACE_HOURS = 48
    option = option_make(points=100)
    codes = [redemption.points_redeem(points_client.member, option.pk)[0] for _ in range(4)]
    now = timezone.now()
    DiscountCode.objects.filter(pk=codes[0].pk).update(state="used", used_at=now)
    DiscountCode.objects.filter(pk=codes[1].pk).update(expires_at=now - datetime.timedelta(hours=1))  # awaiting
    DiscountCode.objects.filter(pk=codes[2].pk).update(state="expired", expires_at=now - datetime.timedelta(days=3))
    html = points_client.get(reverse("referrals:points")).content.decode()
    assert html.count("code-list__item--ready") == 1 and html.count("code-list__item--used") == 1
    assert html.count("code-list__item--expired") == 2
    assert "points came back to you" in html and "points come back on" in html
    assert html.count("data-code-copy=") == 1  # only the ready code can be copied


def test_the_page_query_count_stays_the_same_with_more_codes(points_client, assert_queries, count_queries):
    option = option_make(points=10)
    url = reverse("referrals:points")
    redemption.points_redeem(points_client.member, option.pk)
    points_client.get(url)  # warm the process's own caches (content types, the site)
    cache.clear()
    with count_queries() as q:
        points_client.get(url)
    baseline = q.count
    # the redeem include's own: the options and the codes (the balance is the page's)
    assert q.sql.count('FROM "referrals_redemptionoption"') == 1 and q.sql.count('FROM "referrals_discountcode"') == 1

    def grow():
        for _ in range(12):
            redemption.points_redeem(points_client.member, option.pk)
        option_make(points=20)
        option_make(points=30)

    assert_queries(baseline, lambda: points_client.get(url), grow=grow)


def test_an_entry_for_each_redemption_and_refund_reads_plainly_in_the_ledger(points_client):
    option = option_make(points=100, valid_days=1)
    code, _ = redemption.points_redeem(points_client.member, option.pk)
    redemption.codes_expire(now=code.expires_at + datetime.timedelta(days=3))
    kinds = set(LedgerEntry.objects.filter(member=points_client.member).values_list("kind", flat=True))
    assert {"redemption", "code_refund"} <= kinds
    assert points_client.get(reverse("referrals:points")).status_code == 200
