"""Members-only pages opened early to a loyalty tier: members of the tier and above read the body
until the date, members below and visitors see the friendly gate naming the tier (and how far a
member is from it), never a 404; after the date every member reads it; the visitors' cached page
lasts no longer than the early access."""

import datetime

import pytest
from django.utils import timezone

from content.models import MembersOnlyPage
from content.permissions import can_view_members_content, members_gate
from tests.content.page_fixtures import make_check_pages
from tests.factories import MemberFactory
from tests.referrals.loyalty.helpers import earn, loyalty, put_in_tier, tier  # noqa: F401

pytestmark = pytest.mark.django_db

SECRET = "The secret members-only words of the interview."
URL = "/in-the-studio/"


@pytest.fixture
def early(home, loyalty):  # noqa: F811
    make_check_pages()
    page = MembersOnlyPage.objects.get()
    page.early_access_tier = tier("Insider")
    page.early_access_until = timezone.now() + datetime.timedelta(days=7)
    page.save_revision().publish()
    return MembersOnlyPage.objects.get()


def test_a_member_of_the_tier_or_above_reads_it_early(client, early):
    for name in ("Insider", "VIP"):
        member = MemberFactory()
        put_in_tier(member, name)
        client.force_login(member)
        html = client.get(URL).content.decode()
        assert SECRET in html and "Early access · Insider" in html


def test_a_lower_tier_sees_how_to_reach_the_tier_not_a_404(client, early):
    member = MemberFactory()
    earn(member, 400, "loyalty:review:1")
    put_in_tier(member, "Member")
    client.force_login(member)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in html and "Members first." not in html
    assert "In the studio" in html and "An interview with our founder." in html  # the public teaser
    assert "Early access for Insider members" in html
    assert "Earn 600 more points within 12 months to reach Insider." in html
    assert 'href="/me/points/"' in html and "/accounts/signup/" not in html


def test_a_visitor_is_invited_to_join_and_told_of_the_early_access(client, early):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and SECRET not in html
    assert 'href="/accounts/signup/?next=/in-the-studio/"' in html
    assert "members in the Insider tier and above read it first" in html


def test_after_the_date_every_member_reads_it(early):
    member = MemberFactory()
    later = early.early_access_until + datetime.timedelta(seconds=1)
    assert not can_view_members_content(member, early)
    assert can_view_members_content(member, early, now=later)
    assert members_gate(None, early, now=later).tier is None  # visitors: the plain invitation


def test_without_a_date_the_tier_keeps_it(early):
    early.early_access_until = None
    member = MemberFactory()
    assert members_gate(member, early, now=timezone.now() + datetime.timedelta(days=3650)).reason == "tier"
    put_in_tier(member, "Insider")
    assert can_view_members_content(member, early)


def test_a_page_without_early_access_is_as_before(client, home, loyalty):  # noqa: F811
    make_check_pages()
    client.force_login(MemberFactory())
    html = client.get(URL).content.decode()
    assert SECRET in html and "Early access" not in html


def test_the_gate_costs_a_fixed_number_of_queries(client, early, django_assert_max_num_queries):
    member = MemberFactory()
    for n in range(30):
        earn(member, 10, f"loyalty:review:{n}")
    client.force_login(member)
    client.get(URL)  # warm
    with django_assert_max_num_queries(30) as ctx:
        client.get(URL)
    gated = len(ctx.captured_queries)
    put_in_tier(member, "Insider")
    with django_assert_max_num_queries(gated) as ctx:
        assert SECRET in client.get(URL).content.decode()


def test_the_cached_visitors_page_lasts_no_longer_than_the_early_access(rf, early):
    from django.contrib.auth.models import AnonymousUser

    from core.pagecache import page_timeout

    request = rf.get(URL)
    request.user = AnonymousUser()
    early.get_context(request)
    left = (early.early_access_until - timezone.now()).total_seconds()
    assert 0 < page_timeout(request, 10 ** 9) <= left
    early.early_access_until = None  # without a date the page does not change by itself
    request = rf.get(URL)
    request.user = AnonymousUser()
    early.get_context(request)
    assert page_timeout(request, 600) == 600
