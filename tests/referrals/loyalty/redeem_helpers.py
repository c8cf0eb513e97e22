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
