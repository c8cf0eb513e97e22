"""The shop connection's settings, each with its default, read from django.conf.settings every
time (so a test's override applies at once). Call sites read `app_settings.NAME`.

SHOP_WEBHOOK_SOURCES ({})
    {name: {"format": "shopify" | "generic", "secret": "..."}}: /webhooks/shop/<name>/. A source
    without a secret is switched off (404).
SHOP_WEBHOOK_MAX_BYTES (1 MiB)
    The largest webhook body accepted.
"""

from django.conf import settings


class ShopSettings:
    @property
    def WEBHOOK_SOURCES(self):
        return getattr(settings, "SHOP_WEBHOOK_SOURCES", {})

    @property
    def WEBHOOK_MAX_BYTES(self):
        return int(getattr(settings, "SHOP_WEBHOOK_MAX_BYTES", 1_048_576))


app_settings = ShopSettings()
