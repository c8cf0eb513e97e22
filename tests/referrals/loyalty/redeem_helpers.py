"""Fixtures for the redemption and outbound webhook tests (tests/referrals/loyalty/test_redeem*.py,
test_outbound*.py). Imported by name from each module, so they do not collide with another
helper's conftest."""

import pytest

from tests.referrals.loyalty import fake_shop

OUTBOUND_SECRET = "test-outbound-secret"


@pytest.fixture
def shop_server(settings):
    """A fake shop on 127.0.0.1, and the settings pointing the outbound webhook at it."""
    shop = fake_shop.start(OUTBOUND_SECRET)
    settings.SHOP_OUTBOUND_URL = shop.url
    settings.SHOP_OUTBOUND_SECRET = OUTBOUND_SECRET
    settings.SHOP_OUTBOUND_TIMEOUT = 5
    yield shop
    fake_shop.stop(shop)


def points_give(member, points, key=None):
    """Approved points for `member`, as an adjustment entry (what earning rules also append)."""
    from referrals import ledger
    from referrals.models import LedgerEntry

    key = key or f"test-give:{member.pk}:{LedgerEntry.objects.count()}"
    entry, _created = ledger.append(member, points, kind=LedgerEntry.Kind.ADJUSTMENT,
                                    status=LedgerEntry.Status.APPROVED, source_key=key)
    return entry


def option_make(points=500, value="5.00", currency="EUR", **kwargs):
    from referrals.models import RedemptionOption

    return RedemptionOption.objects.create(points=points, value=value, currency=currency, **kwargs)
