"""Fixtures and makers for loyalty's tests (imported by name, so no conftest collides)."""

import datetime
from decimal import Decimal

import pytest

from referrals import ledger
from referrals.loyalty.models import LoyaltyAccount, LoyaltyProgramme, Tier
from referrals.models import LedgerEntry
from tests.factories import OrderFactory

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
T0 = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
Kind, PENDING, APPROVED = LedgerEntry.Kind, LedgerEntry.Status.PENDING, LedgerEntry.Status.APPROVED


@pytest.fixture
def loyalty(db):
    """The programme with known numbers, and three tiers: Member 0, Insider 1000 (× 1.5, birthday
    +50), VIP 3000 (× 2). Caps: 2 reviews a day, photo posts and answers without a limit."""
    prog = LoyaltyProgramme.load()
    prog.enabled, prog.currency = True, "EUR"
    prog.order_enabled, prog.order_points_per_unit, prog.order_pending_days = True, Decimal("1"), 30
    prog.review_enabled, prog.review_points, prog.review_cap, prog.review_cap_period = True, 50, 2, "day"
    prog.photo_post_enabled, prog.photo_post_points, prog.photo_post_cap = True, 25, 0
    prog.solved_answer_enabled, prog.solved_answer_points, prog.solved_answer_cap = True, 20, 0
    prog.birthday_enabled, prog.birthday_points = True, 100
    prog.signup_enabled, prog.signup_points = True, 40
    prog.profile_enabled, prog.profile_points = True, 30
    prog.tier_basis, prog.downgrade_notice_days = "points", 30
    prog.expiry_days, prog.expiry_warning_days = 365, 30
    prog.leaderboard_enabled = True
    prog.save()
    Tier.objects.all().delete()
    Tier.objects.bulk_create([
        Tier(name="Member", threshold=0),
        Tier(name="Insider", threshold=1000, multiplier=Decimal("1.5"), birthday_bonus=50),
        Tier(name="VIP", threshold=3000, multiplier=Decimal("2")),
    ])
    return prog


def tier(name):
    return Tier.objects.get(name=name)


def put_in_tier(member, name):
    LoyaltyAccount.objects.update_or_create(member=member, defaults={"tier": tier(name)})


def earn(member, points, key, *, at=None, kind=Kind.REVIEW, status=APPROVED):
    """An entry as an award would make it (no rules, no multiplier), dated `at`."""
    entry, _created = ledger.append(member, points, kind=kind, status=status, source_key=key)
    if at is not None:
        LedgerEntry.objects.filter(pk=entry.pk).update(created_at=at)
    return entry


def paid_order(member, *, total="100.00", paid_at=T0, currency="EUR", status="paid", **kwargs):
    return OrderFactory(member=member, email=member.email, total=total, subtotal=total, currency=currency,
                        placed_at=paid_at, paid_at=paid_at, status=status, **kwargs)


def balance(member):
    return ledger.balance(member)
