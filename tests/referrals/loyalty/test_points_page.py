"""/me/points/: what the member sees, who may see it, the leaderboard choice, and query counts that
do not grow with the ledger."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import ledger
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.privacy import loyalty_export
from referrals.loyalty.selectors import leaderboard, member_tier, points_balance, tier_progress
from referrals.models import LedgerEntry, Referral
from tests.factories import MemberFactory
from tests.referrals.loyalty.helpers import put_in_tier

pytestmark = pytest.mark.django_db
Kind, Status = LedgerEntry.Kind, LedgerEntry.Status


def test_visitors_are_sent_to_log_in(client):
    for url in (reverse("referrals:points"),):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(reverse("referrals:points_leaderboard"), {"join": "1"}).status_code == 302


def test_the_page_shows_balance_tier_progress_history_and_ways_to_earn(loyalty, member_client):
    member = member_client.member
    ledger.append(member, 1200, kind=Kind.REVIEW, status=Status.APPROVED, source_key="loyalty:review:1")
    ledger.append(member, 80, kind=Kind.ORDER, status=Status.PENDING, source_key="loyalty:order:5", note="#1005")
    put_in_tier(member, "Insider")
    response = member_client.get(reverse("referrals:points"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "referrals/loyalty/includes/redeem.html" in [t.name for t in response.templates]
    assert "1200" in html and "80" in html
    assert "Tier: Insider" in html
    assert '<progress id="tier-progress" max="2000" value="200"' in html
    assert "Earn 1800 more points within 12 months to reach VIP." in html
    assert "Points for your order #1005." in html and "Pending until" in html
    assert "50 points for each product review you publish, whatever its rating." in html
    assert response["Cache-Control"] == "private, no-cache"


def test_an_announced_move_down_is_on_the_page(loyalty, member_client):
    member = member_client.member
    put_in_tier(member, "Insider")
    LoyaltyAccount.objects.filter(member=member).update(
        downgrade_to=None, downgrade_announced_at=timezone.now(), downgrade_on=timezone.now() + datetime.timedelta(days=30))
    html = member_client.get(reverse("referrals:points")).content.decode()
    assert "you move down a tier, unless you earn enough" in html


def test_joining_and_leaving_the_leaderboard(loyalty, member_client):
    member = member_client.member
    member.display_name = "<script>alert(1)</script>Ζωή"
    member.save()
    ledger.append(member, 50, kind=Kind.REVIEW, status=Status.APPROVED, source_key="loyalty:review:1")
    assert member_client.get(reverse("referrals:points_leaderboard")).status_code == 405  # no GET writes
    response = member_client.post(reverse("referrals:points_leaderboard"), {"join": "1"})
    assert response.status_code == 302
    assert LoyaltyAccount.objects.get(member=member).leaderboard is True
    html = member_client.get(reverse("referrals:points")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Ζωή" in html and "<script>alert(1)" not in html
    member_client.post(reverse("referrals:points_leaderboard"), {"join": "0"})
    assert LoyaltyAccount.objects.get(member=member).leaderboard is False


def test_the_leaderboard_lists_only_members_who_opted_in_by_public_name(loyalty):
    shown, hidden = MemberFactory(display_name="Ola"), MemberFactory(display_name="Kari")
    LoyaltyAccount.objects.create(member=shown, leaderboard=True)
    for m in (shown, hidden):
        ledger.append(m, 50, kind=Kind.REVIEW, status=Status.APPROVED, source_key=f"loyalty:review:{m.pk}")
        ledger.append(m, 500, kind=Kind.ORDER, status=Status.APPROVED, source_key=f"loyalty:order:{m.pk}")
        Referral.objects.create(referrer=m, friend=MemberFactory(), via="typed", qualified_at=timezone.now())
    referrers, contributors = leaderboard()
    assert [(x.name, x.score) for x in referrers] == [("Ola", 1)]
    assert [(x.name, x.score) for x in contributors] == [("Ola", 50)]  # orders are not contributions


def test_balance_and_tier_of_a_member_with_10000_entries_in_constant_queries(loyalty, member, count_queries):
    LedgerEntry.objects.bulk_create([
        LedgerEntry(member=member, points=1, kind=Kind.REVIEW, status=Status.APPROVED, source_key=f"bulk:{n}")
        for n in range(10_000)
    ])
    put_in_tier(member, "Insider")
    with count_queries() as q:
        assert points_balance(member).approved == 10_000
        assert member_tier(member).name == "Insider"
        progress = tier_progress(member)
    assert progress.tier.name == "VIP"  # reached meanwhile: shown before the update runs
    assert q.count == 1 + 1 + 4


def test_the_page_query_count_does_not_grow_with_the_ledger(loyalty, member_client, assert_queries):
    member = member_client.member
    put_in_tier(member, "Insider")
    LoyaltyAccount.objects.filter(member=member).update(leaderboard=True)
    url = reverse("referrals:points")
    member_client.get(url)

    rounds = iter(range(100))
    ledger.append(member, 5, kind=Kind.SIGNUP, status=Status.APPROVED, source_key="loyalty:signup:x")

    def more():
        r = next(rounds)
        LedgerEntry.objects.bulk_create([
            LedgerEntry(member=member, points=n + 1, kind=kind, status=Status.APPROVED,
                        source_key=f"more:{r}:{kind}:{n}")
            for n in range(60) for kind in (Kind.REVIEW, Kind.ORDER, Kind.EXPIRY, Kind.SIGNUP)
        ])
        for _n in range(5):
            friend = MemberFactory()
            Referral.objects.create(referrer=member, friend=friend, via="typed", qualified_at=timezone.now())

    # warm: session, member; balance and tier basis (one aggregate); the account; the ledger's page;
    # the redeem include's codes. Cold, also: the programme, the tiers and the redeem options (each
    # cached until editors change them), the two leaderboards (kept five minutes, or until someone
    # joins or leaves), the site menu, the brand setting and the unread notifications count.
    assert_queries(16, lambda: member_client.get(url), grow=more)
    member_client.get(url)
    assert_queries(6, lambda: member_client.get(url), grow=more, keep_cache=True)


def test_a_free_shipping_tier_reads_its_code_and_nothing_more(loyalty, member_client, assert_queries):
    from referrals.loyalty.models import Tier

    member = member_client.member
    tier = Tier.objects.get(name="Insider")
    tier.free_shipping = True
    tier.save()  # editors' save: the cached tiers are read again
    put_in_tier(member, "Insider")
    url = reverse("referrals:points")
    member_client.get(url)
    assert_queries(7, lambda: member_client.get(url), keep_cache=True)


def test_the_export_holds_the_loyalty_state(loyalty, member):
    ledger.append(member, 70, kind=Kind.REVIEW, status=Status.APPROVED, source_key="loyalty:review:1")
    put_in_tier(member, "Insider")
    data = loyalty_export(member)
    assert data["tier"] == "Insider" and data["points_to_spend"] == 70 and data["points_pending"] == 0
    assert data["points_expire_at"] is not None and data["on_leaderboard"] is False


def test_the_leaderboard_choice_is_rate_limited(loyalty, member_client, settings):
    settings.LOYALTY_LEADERBOARD_CHOICES_PER_HOUR = 2
    url = reverse("referrals:points_leaderboard")
    for join in ("1", "0"):
        member_client.post(url, {"join": join})
    response = member_client.post(url, {"join": "1"}, follow=True)
    assert "please try again later" in response.content.decode()
    assert LoyaltyAccount.objects.get(member=member_client.member).leaderboard is False


def test_the_history_is_paged_twenty_at_a_time_by_cursor(loyalty, member_client, assert_queries):
    member = member_client.member
    LedgerEntry.objects.bulk_create([
        LedgerEntry(member=member, points=n + 1, kind=Kind.REVIEW, status=Status.APPROVED, source_key=f"p:{n}",
                    created_at=timezone.now() - datetime.timedelta(minutes=n))
        for n in range(45)
    ])
    # two entries at the same instant: the id breaks the tie, neither is skipped nor shown twice
    same = timezone.now() - datetime.timedelta(minutes=19, seconds=30)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(member=member, points=1000 + n, kind=Kind.REVIEW, status=Status.APPROVED, source_key=f"t:{n}",
                    created_at=same) for n in range(2)
    ])
    url = reverse("referrals:points")
    seen = []
    page_url, pages = url, 0
    while page_url:
        response = member_client.get(page_url)
        html = response.content.decode()
        seen += [int(x) for x in re.findall(r"\+(\d+) points? ·", html)]
        pages += 1
        found = re.search(r'href="(/me/points/\?cursor=[^"#]+)#points-history">Older entries', html)
        page_url = found.group(1).replace("&amp;", "&") if found else None
        if pages > 1:
            assert 'href="/me/points/#points-history">Newest entries' in html
    assert pages == 3
    assert len(seen) == 47 and len(set(seen)) == 47  # every entry once
    assert seen[:20] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    # a deep page costs what the first does, and a mangled cursor is the first page, not an error
    first = member_client.get(url, {"cursor": "not-a-cursor"})
    assert first.status_code == 200 and "+1 point ·" in first.content.decode()
    assert member_client.get(url, {"cursor": "9" * 300}).status_code == 200
