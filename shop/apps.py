from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The connection to the store (products, orders, refunds). Lowest of our layers: it imports no
    other app of ours; the others listen to its signals."""

    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        from . import receivers  # noqa: F401
