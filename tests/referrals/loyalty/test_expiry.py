"""Expiry: points lapse after a year without activity, as one ledger entry; the warning comes 30
days before, once per expiry date."""

import pytest

from community.members.models import Notification
from referrals import ledger
from referrals.loyalty import expiry
from referrals.loyalty.notification_kinds import EXPIRY_WARNING
from referrals.models import LedgerEntry
from tests.referrals.loyalty.helpers import DAY, SECOND, T0, Kind, balance, earn

pytestmark = pytest.mark.django_db
YEAR = 365 * DAY


def test_points_expire_a_year_after_the_last_activity(loyalty, member):
    earn(member, 300, "loyalty:review:1", at=T0)
    earn(member, -100, "spent", at=T0 + 10 * DAY, kind=Kind.ADJUSTMENT)  # spending is activity
    assert expiry.points_expire(now=T0 + 10 * DAY + YEAR - SECOND) == 0
    assert expiry.points_expire(now=T0 + 10 * DAY + YEAR) == 1
    assert expiry.points_expire(now=T0 + 10 * DAY + YEAR + DAY) == 0  # once
    assert balance(member).approved == 0
    entry = LedgerEntry.objects.get(member=member, kind=Kind.EXPIRY)
    assert entry.points == -200
    assert ledger.reconcile() == []


def test_pending_points_do_not_expire_and_no_balance_means_nothing_to_expire(loyalty, member):
    earn(member, 300, "loyalty:order:1", at=T0, kind=Kind.ORDER, status="pending")
    assert expiry.points_expire(now=T0 + 2 * YEAR) == 0
    assert balance(member) == ledger.Balance(approved=0, pending=300)


def test_after_expiry_new_points_start_a_new_period(loyalty, member):
    earn(member, 300, "loyalty:review:1", at=T0)
    expiry.points_expire(now=T0 + YEAR)
    earn(member, 50, "loyalty:review:2", at=T0 + YEAR + DAY)
    assert expiry.points_expire(now=T0 + 2 * YEAR) == 0
    assert expiry.points_expire(now=T0 + 2 * YEAR + DAY) == 1
    assert balance(member).approved == 0
    assert ledger.reconcile() == []


def test_expiry_can_be_switched_off(loyalty, member):
    loyalty.expiry_days = 0
    loyalty.save()
    earn(member, 300, "loyalty:review:1", at=T0)
    assert expiry.points_expire(now=T0 + 5 * YEAR) == 0
    assert expiry.expiry_warnings_send(now=T0 + 5 * YEAR) == 0


def test_the_warning_comes_30_days_before_once(loyalty, member):
    earn(member, 300, "loyalty:review:1", at=T0)
    expires = T0 + YEAR
    assert expiry.expiry_warnings_send(now=expires - 30 * DAY - SECOND) == 0
    assert expiry.expiry_warnings_send(now=expires - 30 * DAY) == 1
    assert expiry.expiry_warnings_send(now=expires - 10 * DAY) == 0
    note = Notification.objects.get(recipient=member, kind=EXPIRY_WARNING)
    assert "300" in note.title and note.url == "/me/points/"
    # activity moves the date: a new warning comes for the new one
    earn(member, 10, "loyalty:review:2", at=expires - 5 * DAY)
    assert expiry.expiry_warnings_send(now=expires + YEAR - 35 * DAY) == 1
    assert Notification.objects.filter(recipient=member, kind=EXPIRY_WARNING).count() == 2


def test_member_expiry_tells_the_page_when(loyalty, member):
    assert expiry.member_expiry(member) == (None, 0)
    earn(member, 120, "loyalty:review:1", at=T0)
    assert expiry.member_expiry(member) == (T0 + YEAR, 120)
