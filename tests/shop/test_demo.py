"""The shop's demo data: idempotent, deterministic, with pictures, and orders for the demo members."""

import datetime
from io import StringIO

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from shop import demo
from shop.models import Order, OrderLine, Product, Refund

pytestmark = pytest.mark.django_db

MEMBER_EMAILS = ["eleni@example.com", "asne@example.com", "zoltan@example.com", "maya@example.com", "jonas@example.com"]


def counts():
    return {model.__name__: model.objects.count() for model in (Product, get_image_model(), Order, OrderLine, Refund)}


def test_loading_the_shop_demo_twice_gives_the_same_rows():
    first = StringIO()
    demo.load(first)
    after_first = counts()
    # each product has its main picture and two more in its gallery
    assert after_first["Product"] == len(demo.PRODUCTS) == after_first["Image"] // 3
    assert after_first["Order"] == sum(n for n, _days, _kinds in demo.MEMBERS.values()) + demo.GUEST_ORDERS
    assert "30 products (30 new)" in first.getvalue()
    second = StringIO()
    demo.load(second)
    assert counts() == after_first
    assert "30 products (0 new), 58 orders over the last year (0 new)" in second.getvalue()


def test_products_have_generated_images_and_unicode_slugs():
    demo.load(StringIO())
    for product in Product.objects.select_related("image"):
        assert product.image is not None and product.image.title == product.name
        assert (product.image.width, product.image.height) == (800, 800)
        assert product.image.file.storage.exists(product.image.file.name)
        assert product.currency == "EUR" and product.price > 0
    coat = Product.objects.get(sku="RAIN-FJORD")
    assert coat.name == "Fjord raincoat – ø edition" and coat.slug == "fjord-raincoat-ø-edition"
    assert Product.objects.get(sku="LIN-SCARF").slug == "αιγαίο-linen-scarf"


def test_a_year_of_orders_with_repeat_buyers_a_lapsed_one_refunds_and_a_cancellation():
    demo.load(StringIO())
    now = timezone.now()
    orders = Order.objects.filter(source="demo")
    assert not Order.objects.exclude(source="demo").exists()
    assert all(now - datetime.timedelta(days=365) < o.placed_at < now for o in orders)
    assert orders.filter(email="eleni@example.com").count() > 3 and orders.filter(email="maya@example.com").count() > 3
    zoltan = orders.filter(email="zoltan@example.com")
    assert zoltan.exists()
    assert all(datetime.timedelta(days=300) < now - o.placed_at < datetime.timedelta(days=366) for o in zoltan)
    statuses = set(orders.values_list("status", flat=True))
    assert statuses == {"paid", "refunded", "partially_refunded", "cancelled", "pending"}
    assert orders.filter(status="cancelled").count() == 1
    assert orders.filter(status="refunded").count() == 2 and orders.filter(status="partially_refunded").count() == 3
    guests = orders.exclude(email__in=MEMBER_EMAILS)
    assert guests.count() == demo.GUEST_ORDERS and guests.values("email").distinct().count() > 30
    for order in orders.filter(status="refunded"):
        assert order.refunded_total == order.total
    for order in orders:
        assert order.total == order.subtotal - order.discount_total
        assert order.subtotal == sum(line.total for line in order.lines.all())


def test_the_plan_is_the_same_every_time():
    products = [{"sku": p[0], "name": p[1], "price": p[2], "kind": p[3]} for p in demo.PRODUCTS]
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    assert demo.order_plan(today, products) == demo.order_plan(today, products)
