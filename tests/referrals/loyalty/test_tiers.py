"""Tiers: the trailing 12 months' edges, moving up at once with a notification, moving down only a
month after announcing it, and the amount-spent basis."""

import pytest

from community.members.models import Notification
from referrals.loyalty import earning, tiers
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.notification_kinds import TIER_DOWN, TIER_UP
from referrals.loyalty.selectors import member_tier, tier_progress
from tests.referrals.loyalty.helpers import DAY, SECOND, T0, Kind, earn, paid_order, put_in_tier

pytestmark = pytest.mark.django_db
YEAR = 365 * DAY


# (points earned at T0, moment of the check relative to T0, tier)
EDGES = [
    (999, 0 * DAY, "Member"),
    (1000, 0 * DAY, "Insider"),
    (1000, YEAR - SECOND, "Insider"),  # the last second inside the window
    (1000, YEAR, "Member"),  # the day (and instant) the points leave the window
    (2999, 10 * DAY, "Insider"),
    (3000, 10 * DAY, "VIP"),
    (3000, YEAR, "Member"),
]


@pytest.mark.parametrize(("points", "after", "expected"), EDGES)
def test_the_basis_is_the_trailing_365_days(loyalty, member, points, after, expected):
    earn(member, points, "loyalty:review:1", at=T0)
    basis = tiers.tier_basis(member, now=T0 + after)
    assert tiers.tier_for(basis, tiers.tiers_all()).name == expected


def test_what_counts_as_earned(loyalty, member):
    earn(member, 800, "a", at=T0, kind=Kind.ORDER)
    earn(member, -100, "b", at=T0, kind=Kind.ORDER_REFUND)
    earn(member, 300, "c", at=T0, kind=Kind.REFERRAL_REFERRER)
    earn(member, -500, "d", at=T0, kind=Kind.EXPIRY)  # spending or expiry does not lower the tier
    earn(member, 5000, "e", at=T0, kind=Kind.ADJUSTMENT)  # nor does staff's adjustment raise it
    earn(member, 5000, "f", at=T0, kind=Kind.ORDER, status="pending")  # pending counts once approved
    assert tiers.tier_basis(member, now=T0 + DAY) == 1000


def test_moving_up_happens_at_once_and_notifies(loyalty, member, django_capture_on_commit_callbacks):
    earn(member, 990, "loyalty:review:0", at=T0)
    with django_capture_on_commit_callbacks(execute=True):
        earning.award(member, Kind.REVIEW, 10, source_key="loyalty:review:1", now=T0)
    assert member_tier(member).name == "Insider"
    note = Notification.objects.get(recipient=member, kind=TIER_UP)
    assert "Insider" in note.title
    assert note.url == "/me/points/"


def test_a_new_member_is_in_the_lowest_tier_without_news(loyalty, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        earning.award(member, Kind.REVIEW, 10, source_key="loyalty:review:1", now=T0)
    assert member_tier(member).name == "Member"
    assert not Notification.objects.filter(recipient=member).exists()


def test_moving_down_is_announced_a_month_ahead_then_made(loyalty, member, django_capture_on_commit_callbacks):
    earn(member, 1200, "loyalty:review:1", at=T0)
    tiers.tier_update(member, now=T0)
    left = T0 + YEAR  # the points leave the window
    with django_capture_on_commit_callbacks(execute=True):
        assert tiers.tiers_recompute(now=left) == {"announced": 1}
    account = LoyaltyAccount.objects.get(member=member)
    assert account.tier.name == "Insider"
    assert account.downgrade_on == left + 30 * DAY
    assert account.downgrade_to.name == "Member"
    assert Notification.objects.filter(recipient=member, kind=TIER_DOWN).count() == 1
    assert tiers.tiers_recompute(now=left + DAY) == {}  # announced once
    assert tiers.tiers_recompute(now=left + 30 * DAY - SECOND) == {}
    assert member_tier(member).name == "Insider"
    with django_capture_on_commit_callbacks(execute=True):
        assert tiers.tiers_recompute(now=left + 30 * DAY) == {"down": 1}
    assert member_tier(member).name == "Member"
    # the move down, once made, has its own notice (and a repeated run sends nothing more)
    notes = list(Notification.objects.filter(recipient=member, kind=TIER_DOWN).order_by("pk"))
    assert len(notes) == 2
    assert "Your tier is now Member" in notes[1].title
    with django_capture_on_commit_callbacks(execute=True):
        assert tiers.tiers_recompute(now=left + 31 * DAY) == {}
    assert Notification.objects.filter(recipient=member, kind=TIER_DOWN).count() == 2


def test_earning_back_meanwhile_cancels_the_announcement(loyalty, member):
    earn(member, 1200, "loyalty:review:1", at=T0)
    tiers.tier_update(member, now=T0)
    left = T0 + YEAR
    tiers.tiers_recompute(now=left)
    earning.award(member, Kind.REVIEW, 1000, source_key="loyalty:review:2", now=left + DAY)
    account = LoyaltyAccount.objects.get(member=member)
    assert account.downgrade_on is None and account.tier.name == "Insider"
    assert tiers.tiers_recompute(now=left + 40 * DAY) == {}
    assert member_tier(member).name == "Insider"


def test_the_nightly_run_creates_accounts_and_moves_members_up(loyalty, member):
    earn(member, 3500, "x", at=T0)
    assert tiers.tiers_recompute(now=T0 + DAY) == {"up": 1}
    assert member_tier(member).name == "VIP"


def test_tiers_by_amount_spent(loyalty, member):
    loyalty.tier_basis = "spent"
    loyalty.save()
    paid_order(member, total="600.00", paid_at=T0)
    order = paid_order(member, total="500.00", paid_at=T0 + DAY, refunded_total="200.00", status="partially_refunded")
    paid_order(member, total="900.00", paid_at=T0, currency="USD")  # another currency: not counted
    assert order.pk
    assert tiers.tier_basis(member, now=T0 + 2 * DAY) == 900
    assert tiers.tier_update(member, now=T0 + 2 * DAY) == ""  # 900 < 1000: still Member
    paid_order(member, total="100.00", paid_at=T0 + 2 * DAY)
    assert tiers.tier_update(member, now=T0 + 2 * DAY) == "up"
    progress = tier_progress(member, now=T0 + 2 * DAY)
    assert (progress.tier.name, progress.next_tier.name, progress.needed, progress.by_amount) == (
        "Insider", "VIP", 2000, True)


def test_progress_to_the_next_tier(loyalty, member):
    earn(member, 1500, "x", at=T0)
    put_in_tier(member, "Insider")
    progress = tier_progress(member, now=T0 + DAY)
    assert (progress.tier.name, progress.next_tier.name, progress.needed, progress.percent) == ("Insider", "VIP", 1500, 25)
    earn(member, 2000, "y", at=T0)
    top = tier_progress(member, now=T0 + DAY)
    assert top.next_tier is None and top.needed == 0 and top.percent == 100


def test_by_amount_spent_a_paid_order_moves_the_tier_at_once(loyalty, member):
    loyalty.tier_basis = "spent"
    loyalty.save()
    earning.order_award(paid_order(member, total="1200.00", paid_at=T0), now=T0)
    assert member_tier(member).name == "Insider"
