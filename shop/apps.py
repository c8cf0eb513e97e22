from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The connection to the store (products, orders, refunds). Lowest layer: imports no other app."""

    name = "shop"
    verbose_name = "Shop"
