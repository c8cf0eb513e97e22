from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderLine, Product


def products_visible():
    return Product.objects.filter(active=True).select_related("image")


def product_get_visible(slug):
    return get_object_or_404(products_visible(), slug=slug)


def products_featured(limit):
    """A few active products for a strip elsewhere on the site (the home page): newest first,
    with their images' renditions, in two queries whatever the count."""
    return list(products_visible().prefetch_related("image__renditions").order_by("-pk")[:limit])


def product_breadcrumbs(product):
    """(title, url) from the home page to a product, through the product list."""
    return [
        (_("Home"), reverse("wagtail_serve", args=[""])),
        (_("Products"), reverse("shop:product_list")),
        (product.name, product.get_absolute_url()),
    ]


def orders_for_member(member, limit=None):
    """A member's orders, newest first, with their lines (two queries whatever the count)."""
    orders = (
        Order.objects.filter(member=member)
        .annotate(item_count=Count("lines"))
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("pk")))
        .order_by("-placed_at")
    )
    return orders[:limit] if limit else orders


def member_bought(member, product):
    """Whether a member has a paid (not fully refunded or cancelled) order with this product."""
    return OrderLine.objects.filter(
        Q(order__status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED]),
        order__member=member, product=product,
    ).exists()
