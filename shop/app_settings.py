"""The shop connection's settings, each with its default, read from django.conf.settings every
time (so a test's override applies at once). Call sites read `app_settings.NAME`.

SHOP_WEBHOOK_SOURCES ({})
    {name: {"format": "shopify" | "generic", "secret": "..."}}: /webhooks/shop/<name>/. A source
    without a secret is switched off (404).
SHOP_WEBHOOK_MAX_BYTES (1 MiB)
    The largest webhook body accepted.

SHOP_OUTBOUND_URL ("") and SHOP_OUTBOUND_SECRET ("")
    Where the site POSTs its events for the shop (discount codes made and cancelled) and the
    secret that signs them (shop.outbound). While either is empty nothing is sent: deliveries wait,
    visible in the admin with the reason, and go out once both are set.
SHOP_OUTBOUND_TIMEOUT (10)
    Seconds to wait for the shop's answer.
SHOP_OUTBOUND_MAX_ATTEMPTS (12)
    Attempts before a delivery that keeps failing with network errors or 5xx stops being retried
    by itself (it can still be retried from the admin).
SHOP_OUTBOUND_BACKOFF_SECONDS (30) and SHOP_OUTBOUND_BACKOFF_MAX_SECONDS (21600)
    The wait after the first failed attempt, doubled after each further one up to the maximum,
    and then randomised (between half of it and all of it) so retries do not arrive in waves.
"""

from django.conf import settings


class ShopSettings:
    @property
    def WEBHOOK_SOURCES(self):
        return getattr(settings, "SHOP_WEBHOOK_SOURCES", {})

    @property
    def WEBHOOK_MAX_BYTES(self):
        return int(getattr(settings, "SHOP_WEBHOOK_MAX_BYTES", 1_048_576))


    @property
    def OUTBOUND_URL(self):
        return getattr(settings, "SHOP_OUTBOUND_URL", "") or ""

    @property
    def OUTBOUND_SECRET(self):
        return getattr(settings, "SHOP_OUTBOUND_SECRET", "") or ""

    @property
    def OUTBOUND_TIMEOUT(self):
        return float(getattr(settings, "SHOP_OUTBOUND_TIMEOUT", 10))

    @property
    def OUTBOUND_MAX_ATTEMPTS(self):
        return int(getattr(settings, "SHOP_OUTBOUND_MAX_ATTEMPTS", 12))

    @property
    def OUTBOUND_BACKOFF_SECONDS(self):
        return float(getattr(settings, "SHOP_OUTBOUND_BACKOFF_SECONDS", 30))

    @property
    def OUTBOUND_BACKOFF_MAX_SECONDS(self):
        return float(getattr(settings, "SHOP_OUTBOUND_BACKOFF_MAX_SECONDS", 21600))


app_settings = ShopSettings()
