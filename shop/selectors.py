from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderLine, Product


def products_visible():
    return Product.objects.filter(active=True).select_related("image")


PRODUCT_SORTS = {
    "name": ("name", "pk"),
    "price": ("price", "name", "pk"),
    "-price": ("-price", "name", "pk"),
    "new": ("-created_at", "-pk"),
}


def product_types():
    """The product types of active products, for the list's filter (its categories)."""
    return list(Product.objects.filter(active=True).exclude(product_type="").order_by("product_type")
                .values_list("product_type", flat=True).distinct())


def products_filtered(*, product_type="", price_min=None, price_max=None, sort="name"):
    """Active products of one type and price range (either end may be None), in `sort`'s order
    (a key of PRODUCT_SORTS; another is the name order)."""
    products = products_visible()
    if product_type:
        products = products.filter(product_type=product_type)
    if price_min is not None:
        products = products.filter(price__gte=price_min)
    if price_max is not None:
        products = products.filter(price__lte=price_max)
    return products.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS["name"]))


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


def products_bought_together(product_ids, *, limit=4, exclude_ids=()):
    """Products most often in the same paid order as any of `product_ids`, most shared orders first.

    One aggregate query over order lines (no orders loaded into Python); inactive products and
    `product_ids` themselves are left out. Used by the product page's related items and by
    lifecycle e-mails (win-back picks).
    """
    ids = list(product_ids)
    if not ids:
        return []
    orders = OrderLine.objects.filter(
        product_id__in=ids, order__status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED]
    ).values("order_id")
    return list(
        products_visible()
        .filter(order_lines__order_id__in=orders)
        .exclude(pk__in=[*ids, *exclude_ids])
        .annotate(shared_orders=Count("order_lines__order_id", distinct=True))
        .order_by("-shared_orders", "name")[:limit]
    )
