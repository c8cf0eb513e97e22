import pytest

from tests.shop.helpers import GENERIC_SECRET, SHOPIFY_SECRET


@pytest.fixture(autouse=True)
def webhook_secrets(settings):
    settings.SHOP_WEBHOOK_SOURCES = {
        "shopify": {"format": "shopify", "secret": SHOPIFY_SECRET},
        "generic": {"format": "generic", "secret": GENERIC_SECRET},
        "off": {"format": "generic", "secret": ""},
    }


@pytest.fixture
def captured_signals():
    """Every shop signal sent during the test, as (name, kwargs)."""
    from shop import signals

    seen = []
    receivers = {}
    for name in ("order_paid", "order_cancelled", "order_refunded"):
        def receiver(sender, name=name, **kwargs):
            kwargs.pop("signal", None)
            seen.append((name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield seen
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)
