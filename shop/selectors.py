import re

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.image_alt import image_alt

from .models import Order, OrderLine, Product, split_list


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


SIZE_ORDER = ["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "one size"]


def _size_key(size):
    """Letter sizes in their order, then numbers by value (a range by its start), then the rest by name."""
    folded = size.casefold()
    if folded in SIZE_ORDER:
        return (0, SIZE_ORDER.index(folded), "")
    try:
        return (1, float(re.split(r"[–-]", folded)[0].replace(",", ".")), "")
    except ValueError:
        return (2, 0, folded)


def product_options():
    """The sizes and the colours active products come in, for the list's filters: one query over
    the distinct values of both fields, each item once whatever its case."""
    sizes, colours = {}, {}
    rows = (Product.objects.filter(active=True).exclude(sizes="", colours="").order_by()
            .values_list("sizes", "colours").distinct())
    for size_value, colour_value in rows:
        for item in split_list(size_value):
            sizes.setdefault(item.casefold(), item)
        for item in split_list(colour_value):
            colours.setdefault(item.casefold(), item)
    return sorted(sizes.values(), key=_size_key), sorted(colours.values(), key=str.casefold)


def product_sizes():
    return product_options()[0]


def _item_filter(field, item):
    """Rows whose comma-separated `field` holds `item` as a whole item, any case (a regular
    expression, so "S" does not match "XS")."""
    return Q(**{f"{field}__iregex": r"(^|,)\s*" + re.escape(item) + r"\s*(,|$)"})


def products_filtered(*, product_type="", price_min=None, price_max=None, sort="name", size="", colour=""):
    """Active products of one type, size, colour and price range (either end may be None), in
    `sort`'s order (a key of PRODUCT_SORTS; another is the name order)."""
    products = products_visible()
    if product_type:
        products = products.filter(product_type=product_type)
    if size:
        products = products.filter(_item_filter("sizes", size))
    if colour:
        products = products.filter(_item_filter("colours", colour))
    if price_min is not None:
        products = products.filter(price__gte=price_min)
    if price_max is not None:
        products = products.filter(price__lte=price_max)
    return products.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS["name"]))


def product_get_visible(slug):
    """An active product with its main image's renditions (the page and its og:image read them)."""
    return get_object_or_404(products_visible().prefetch_related("image__renditions"), slug=slug)


def product_gallery(product):
    """The product page's pictures: its main image, then the gallery's, as (image, core.image_alt.ImageAlt)
    pairs: a gallery picture's own alt text, else the image's in the active language (one query for
    the gallery with its images, and at most one for the language's alt texts)."""
    pictures = [(product.image, image_alt(product.image))] if product.image else []
    pictures += [(item.image, image_alt(item.image, item.alt_text))
                 for item in product.gallery_images.select_related("image").prefetch_related("image__renditions")]
    return pictures


def products_related(product, limit=4):
    """Products to show beside one: those most often bought with it, then the newest of its type
    (three or four queries: their renditions come in one)."""
    related = products_bought_together([product.pk], limit=limit)
    if len(related) < limit and product.product_type:
        related += list(products_visible().filter(product_type=product.product_type)
                        .exclude(pk__in=[product.pk, *(p.pk for p in related)]).order_by("-pk")[:limit - len(related)])
    prefetch_related_objects(related, "image__renditions")
    return related


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
