"""Editors set review questions per product type (Settings → Review questions) and a product's
type (Shop → Products); the shop's webhook and CSV may carry the type."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from community.reviews.models import ReviewAttribute
from shop import payloads
from shop.csv_import import import_orders, import_products
from shop.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "x" * 20)
    client.force_login(admin)
    return client


def test_editors_add_a_question_for_a_product_type(admin_client):
    index = admin_client.get(reverse("review_questions:index"))
    assert index.status_code == 200
    response = admin_client.post(reverse("review_questions:add"), {
        "product_type": "Shoes", "code": "fit", "label": "How does it fit?", "kind": "scale",
        "low_label": "Runs small", "high_label": "Runs large", "position": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    question = ReviewAttribute.objects.get()
    assert (question.product_type, question.code, question.low_label) == ("Shoes", "fit", "Runs small")
    listed = admin_client.get(reverse("review_questions:index"))
    assert "How does it fit?" in listed.content.decode()
    # the same code twice for one type is refused with a message, not a 500
    again = admin_client.post(reverse("review_questions:add"), {
        "product_type": "Shoes", "code": "fit", "label": "Fit again", "kind": "scale", "position": "1",
    })
    assert again.status_code == 200 and ReviewAttribute.objects.count() == 1


def test_xss_in_a_question_is_escaped_in_the_admin(admin_client):
    ReviewAttribute.objects.create(product_type="<script>t()</script>", code="q", label="<img src=x onerror=alert(1)>")
    body = admin_client.get(reverse("review_questions:index")).content.decode()
    assert "<img src=x onerror" not in body and "<script>t()" not in body


def test_the_product_form_edits_the_product_type(admin_client):
    product = ProductFactory()
    url = reverse("shop_product:edit", args=[product.pk])
    form = admin_client.get(url)
    assert 'name="product_type"' in form.content.decode()
    response = admin_client.post(url, {
        "name": product.name, "sku": product.sku, "slug": product.slug, "description": "", "price": "49.00",
        "currency": "EUR", "shop_url": "", "image": "", "product_type": "Shirts", "active": "on",
        "gallery_images-TOTAL_FORMS": "0", "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0", "gallery_images-MAX_NUM_FORMS": "8",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.product_type == "Shirts"


def test_a_generic_payload_line_carries_a_product_type_a_product_without_one_takes():
    from shop.services import order_upsert

    typed = ProductFactory(sku="SHOE-1", product_type="")
    kept = ProductFactory(sku="SHOE-2", product_type="Boots")
    data = payloads.generic_order({
        "id": "9", "email": "a@example.com", "placed_at": "2026-11-01T10:00:00Z", "status": "paid",
        "currency": "EUR", "total": "98.00",
        "lines": [{"sku": "SHOE-1", "name": "Shoe", "quantity": 1, "unit_price": "49.00", "product_type": "Shoes"},
                  {"sku": "SHOE-2", "name": "Boot", "quantity": 1, "unit_price": "49.00", "product_type": "Shoes"}],
    })
    assert data.lines[0].product_type == "Shoes"
    order_upsert("generic", data)
    typed.refresh_from_db()
    kept.refresh_from_db()
    assert typed.product_type == "Shoes" and kept.product_type == "Boots"
    # Shopify's line items carry it too; a payload without one is fine
    assert payloads.generic_order({
        "id": "10", "email": "a@example.com", "placed_at": "2026-11-01T10:00:00Z", "currency": "EUR", "total": "1.00",
        "lines": [{"sku": "X", "quantity": 1, "unit_price": "1.00"}],
    }).lines[0].product_type == ""


def test_csv_products_and_orders_read_an_optional_product_type(tmp_path):
    products = tmp_path / "products.csv"
    products.write_text("sku,name,price,currency,product_type\nSHOE-9,Trail shoe,99.00,EUR,Shoes\nCAP-1,Cap,9.00,EUR,\n",
                        encoding="utf-8")
    result = import_products(products)
    assert not result.problems
    assert Product.objects.get(sku="SHOE-9").product_type == "Shoes"
    assert Product.objects.get(sku="CAP-1").product_type == ""
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,placed_at,email,currency,sku,quantity,unit_price,product_type\n"
                      "77,2026-11-01T10:00:00Z,b@example.com,EUR,CAP-1,1,9.00,Hats\n", encoding="utf-8")
    result = import_orders(orders)
    assert not result.problems
    assert Product.objects.get(sku="CAP-1").product_type == "Hats"


def test_the_questions_list_query_count_does_not_grow(admin_client, assert_queries):
    ReviewAttribute.objects.create(product_type="Shoes", code="fit", label="Fit")
    url = reverse("review_questions:index")
    admin_client.get(url)

    def more():
        for n in range(20):
            ReviewAttribute.objects.create(product_type=f"Type {n}", code="fit", label=f"Fit {n}")

    expected = _count(admin_client, url)
    assert_queries(expected, lambda: admin_client.get(url), grow=more, keep_cache=True)


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)
