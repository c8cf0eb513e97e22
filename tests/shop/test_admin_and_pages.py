import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from shop.models import Order, Product, WebhookDelivery
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory, OrderFactory, ProductFactory
from tests.shop.helpers import post_shopify, shopify_order, shopify_refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def failed_delivery(client):
    post_shopify(client, "orders/create", shopify_order(financial_status="paid"), "order-1")  # stored, not processed
    post_shopify(client, "refunds/create", shopify_refund(), "refund-1")
    WebhookDelivery.objects.filter(delivery_id="refund-1").update(state="failed", error="order 1001 is not known (yet)")
    return WebhookDelivery.objects.get(delivery_id="refund-1")


def test_admin_lists_and_inspects_orders_and_deliveries(admin_client, failed_delivery):
    order = OrderFactory(email="buyer@example.com")
    assert admin_client.get("/admin/shop_order/").status_code == 200
    assert admin_client.get("/admin/shop_order/?status=paid&q=buyer").status_code == 200
    page = admin_client.get(f"/admin/shop_order/inspect/{order.pk}/")
    assert page.status_code == 200 and "buyer@example.com" in page.content.decode()
    page = admin_client.get(f"/admin/shop_webhookdelivery/inspect/{failed_delivery.pk}/")
    assert "not known (yet)" in page.content.decode()
    assert f"/admin/shop_webhookdelivery/retry/{failed_delivery.pk}/" in page.content.decode()
    assert admin_client.get("/admin/shop_webhookdelivery/?state=failed").status_code == 200


def test_orders_and_deliveries_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    order = OrderFactory()
    for url in (f"/admin/shop_order/edit/{order.pk}/", f"/admin/shop_order/delete/{order.pk}/", "/admin/shop_order/new/"):
        assert admin_client.get(url).status_code == 404


def test_retry_asks_first_then_processes(admin_client, failed_delivery, django_capture_on_commit_callbacks):
    url = f"/admin/shop_webhookdelivery/retry/{failed_delivery.pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200 and "Yes, retry" in response.content.decode()
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == "failed"  # GET wrote nothing
    from shop.services import delivery_process

    with django_capture_on_commit_callbacks(execute=True):
        delivery_process(WebhookDelivery.objects.get(delivery_id="order-1").pk)
        response = admin_client.post(url)
    assert response.status_code == 302
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == "processed"
    assert Order.objects.get().status == "partially_refunded"


def test_retry_needs_the_change_permission(client, failed_delivery):
    staff = MemberFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert_admin_refused(client.get(f"/admin/shop_webhookdelivery/retry/{failed_delivery.pk}/"))
    assert_admin_refused(client.post(f"/admin/shop_webhookdelivery/retry/{failed_delivery.pk}/"))
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == "failed"


def test_members_cannot_reach_the_shop_admin(member_client):
    for url in ("/admin/shop_order/", "/admin/shop_webhookdelivery/", "/admin/shop_product/"):
        assert_sent_to_sign_in(member_client.get(url))


def test_editors_create_products_in_the_admin(admin_client):
    response = admin_client.post("/admin/shop_product/new/", {
        "name": "Fjord raincoat", "sku": "RC-1", "slug": "fjord-raincoat", "description": "Dry.", "price": "189.00",
        "currency": "NOK", "shop_url": "https://shop.example.com/rc-1", "active": "on", "sizes": "S, M, L",
        # the gallery's inline formset, empty
        "gallery_images-TOTAL_FORMS": "0", "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0", "gallery_images-MAX_NUM_FORMS": "8",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Product.objects.get(sku="RC-1").currency == "NOK"


def test_retry_deliveries_command(failed_delivery, django_capture_on_commit_callbacks, capsys):
    call_command("retry_deliveries")
    assert "still failing: 1" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_deliveries", "--include-pending")
    assert WebhookDelivery.objects.filter(state="processed").count() == 2


def test_product_list_and_detail(client, assert_queries):
    product = ProductFactory(name="Ull sokker – ø", slug="ull-sokker-ø", price="12.50", currency="NOK", description="Warm.")
    ProductFactory(active=False, slug="hidden", name="Retired anorak")
    client.get("/products/")  # warm the menu cache

    def more_products():
        ProductFactory.create_batch(10)
        client.get("/products/")  # product changes move the content version: warm the menu again

    # + 1: the products' review ratings, in one query ({% attach_ratings %}); + 1: the sizes and
    # colours offered by the filters
    response = assert_queries(5, lambda: client.get("/products/"), grow=more_products, keep_cache=True)
    body = response.content.decode()
    assert "Ull sokker – ø" in body and "Retired anorak" not in body
    client.get("/products/ull-sokker-ø/")  # warm its "Seen on members" list (community.posts.showcase)
    # + 1: the review aggregate (no reviews: nothing more); + 5: the gallery, bought together, the
    # lookbooks (with the view restrictions) and the forum topics that show the product
    detail = assert_queries(7, lambda: client.get("/products/ull-sokker-ø/"), keep_cache=True)
    assert "NOK" in detail.content.decode() and "12.50" in detail.content.decode()
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get("/products/hidden/").status_code == 404
    assert client.get("/products/nope/").status_code == 404


def test_prices_are_formatted_for_the_visitors_language(client):
    ProductFactory(slug="shirt", price="1234.50", currency="EUR")
    assert "€1,234.50" in client.get("/products/shirt/").content.decode()
    assert "1.234,50" in client.get("/el/products/shirt/").content.decode()


def test_product_list_bad_page_numbers(client):
    assert client.get("/products/?page=abc").status_code == 200
    assert client.get("/products/?page=99").status_code == 404


def test_member_sees_only_their_own_orders(client):
    mine = MemberFactory()
    theirs = MemberFactory()
    OrderFactory(member=mine, lines=[ProductFactory(name="My linen shirt")])
    OrderFactory(member=theirs, lines=[ProductFactory(name="Their wool socks")])
    client.force_login(mine)
    body = client.get("/me/").content.decode()
    assert "My linen shirt" in body and "Their wool socks" not in body
