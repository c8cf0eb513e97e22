import json
from decimal import Decimal

import pytest

from shop.models import Order, OrderLine, Refund, WebhookDelivery
from tests.factories import MemberFactory, ProductFactory
from tests.shop.helpers import generic_order, post_generic, post_shopify, shopify_order, shopify_refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post like the shop does, and run what the commit triggers (the processing task, signals)."""

    def send(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(client, *args, **kwargs)

    return send


def test_orders_create_then_paid(deliver, captured_signals):
    product = ProductFactory(sku="SKU-A")
    response = deliver(post_shopify, "orders/create", shopify_order(), "d-1")
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "delivery_id": "d-1"}
    order = Order.objects.get(source="shopify", external_id="1001")
    assert order.status == Order.Status.PENDING
    assert order.email == "buyer@example.com"  # trimmed and lower-cased
    assert order.total == Decimal("98.00") and order.currency == "EUR"
    assert order.discount_codes == ["WELCOME10"]
    assert order.raw["id"] == 1001
    line = order.lines.get()
    assert (line.product, line.quantity, line.unit_price, line.total) == (product, 2, Decimal("49.00"), Decimal("98.00"))
    assert captured_signals == []
    response = deliver(post_shopify, "orders/paid", shopify_order(financial_status="paid"), "d-2")
    assert response.status_code == 202
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at
    assert [name for name, _ in captured_signals] == ["order_paid"]
    assert WebhookDelivery.objects.filter(state="processed").count() == 2


def test_paid_arriving_before_create_makes_one_paid_order(deliver, captured_signals):
    deliver(post_shopify, "orders/paid", shopify_order(financial_status="paid"), "d-2")
    deliver(post_shopify, "orders/create", shopify_order(financial_status="pending"), "d-1")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID  # a late "create" does not undo the payment
    assert [name for name, _ in captured_signals] == ["order_paid"]


def test_cancelled(deliver, captured_signals):
    deliver(post_shopify, "orders/create", shopify_order(), "d-1")
    deliver(post_shopify, "orders/cancelled", shopify_order(cancelled_at="2026-11-02T08:00:00Z"), "d-3")
    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at.isoformat() == "2026-11-02T08:00:00+00:00"
    assert [name for name, _ in captured_signals] == ["order_cancelled"]


def test_partial_then_full_refund(deliver, captured_signals):
    deliver(post_shopify, "orders/create", shopify_order(financial_status="paid"), "d-1")
    deliver(post_shopify, "refunds/create", shopify_refund(5001, amount="49.00"), "d-4")
    order = Order.objects.get()
    assert order.status == Order.Status.PARTIALLY_REFUNDED and order.refunded_total == Decimal("49.00")
    refund = Refund.objects.get()
    assert refund.lines.get().order_line == order.lines.get() and refund.reason == "too small"
    deliver(post_shopify, "refunds/create", shopify_refund(5002, amount="49.00"), "d-5")
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.net_total == Decimal("0.00")
    refunds = [kw["amount"] for name, kw in captured_signals if name == "order_refunded"]
    assert refunds == [Decimal("49.00"), Decimal("49.00")]


def test_a_refund_beyond_the_total_is_kept_as_a_failed_delivery(deliver):
    deliver(post_shopify, "orders/create", shopify_order(financial_status="paid"), "d-1")
    response = deliver(post_shopify, "refunds/create", shopify_refund(amount="500.00"), "d-9")
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get(delivery_id="d-9")
    assert delivery.state == "failed" and "exceeds" in delivery.error
    assert Order.objects.get().refunded_total == 0


def test_refund_for_an_unknown_order_is_refused(deliver):
    response = deliver(post_shopify, "refunds/create", shopify_refund(order_id=999), "d-x")
    assert response.status_code == 400
    assert "does not know" in response.json()["error"]
    assert not WebhookDelivery.objects.exists()


def test_refund_arriving_while_its_order_waits_is_processed_after_the_order(client, django_capture_on_commit_callbacks):
    # the order delivery is stored but not yet processed (a worker is busy)...
    post_shopify(client, "orders/create", shopify_order(financial_status="paid"), "d-1")
    assert Order.objects.count() == 0
    # ...so the refund is accepted; applied before the order (another worker holds the order), it
    # fails for now, and runs again once the order is in
    post_shopify(client, "refunds/create", shopify_refund(), "d-2")
    from shop.services import delivery_process

    with django_capture_on_commit_callbacks(execute=True):
        delivery_process(WebhookDelivery.objects.get(delivery_id="d-2").pk)
    assert WebhookDelivery.objects.get(delivery_id="d-2").state == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        delivery_process(WebhookDelivery.objects.get(delivery_id="d-1").pk)
    assert WebhookDelivery.objects.get(delivery_id="d-2").state == "processed"
    assert Order.objects.get().status == Order.Status.PARTIALLY_REFUNDED


def test_a_refund_woken_with_its_order_waiting_is_applied_after_it(client, django_capture_on_commit_callbacks):
    post_shopify(client, "orders/create", shopify_order(financial_status="paid"), "d-1")  # its wake-up lost
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, "refunds/create", shopify_refund(), "d-2")
    # the drain applies the inbox oldest first: the order, then its refund
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"processed"}
    assert Order.objects.get().status == Order.Status.PARTIALLY_REFUNDED


def test_duplicate_delivery_is_a_no_op(deliver, captured_signals):
    first = deliver(post_shopify, "orders/create", shopify_order(financial_status="paid"), "d-1")
    again = deliver(post_shopify, "orders/create", shopify_order(financial_status="paid"), "d-1")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["status"] == "duplicate"
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1 and WebhookDelivery.objects.count() == 1
    assert [name for name, _ in captured_signals] == ["order_paid"]


def test_same_order_in_two_deliveries_is_one_order(deliver):
    deliver(post_shopify, "orders/create", shopify_order(), "d-1")
    deliver(post_shopify, "orders/create", shopify_order(), "d-1-redelivered-with-new-id")
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1


def test_generic_format(deliver, captured_signals):
    response = deliver(post_generic, "orders/create", generic_order(), "g-1")
    assert response.status_code == 202
    order = Order.objects.get(source="generic")
    assert order.status == "paid" and order.currency == "NOK" and order.total == Decimal("30.00")
    assert order.discount_codes == ["FRIEND-ABC"]
    deliver(post_generic, "refunds/create", {"id": "R1", "order_id": "G-1", "refunded_at": "2026-10-02", "amount": "10.00",
                                             "lines": [{"line_id": "1", "quantity": 1}]}, "g-2")
    order.refresh_from_db()
    assert order.status == "partially_refunded"
    assert [name for name, _ in captured_signals] == ["order_paid", "order_refunded"]


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBvbmU=", "garbage!!"])
def test_missing_or_wrong_signature_is_401_and_stores_nothing(client, signature):
    response = post_shopify(client, "orders/create", shopify_order(), "d-1", signature=signature)
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists() and not Order.objects.exists()


def test_signature_with_another_sources_secret_is_401(client):
    response = post_shopify(client, "orders/create", shopify_order(), "d-1", secret="test-generic-secret")
    assert response.status_code == 401


def test_unknown_or_switched_off_source_is_404(client):
    assert client.post("/webhooks/shop/nope/", data=b"{}", content_type="application/json").status_code == 404
    assert client.post("/webhooks/shop/off/", data=b"{}", content_type="application/json").status_code == 404


def test_get_is_not_allowed(client):
    assert client.get("/webhooks/shop/shopify/").status_code == 405


def _bad(body_changes):
    body = shopify_order()
    body.update(body_changes)
    return body


@pytest.mark.parametrize(
    "topic, body, reason",
    [
        ("orders/create", None, "not valid JSON"),
        ("orders/deleted", shopify_order(), "unknown topic"),
        ("orders/create", _bad({"total_price": "-5.00"}), "negative"),
        ("orders/create", _bad({"total_price": "lots"}), "not a number"),
        ("orders/create", _bad({"total_price": "NaN"}), "not a finite number"),
        ("orders/create", _bad({"total_price": "1.001"}), "two decimal places"),
        ("orders/create", _bad({"currency": "XYZ"}), "unknown currency"),
        ("orders/create", _bad({"email": "not-an-email"}), "not an e-mail address"),
        ("orders/create", _bad({"line_items": []}), "at least one line"),
        ("orders/create", _bad({"line_items": [{"id": 1, "sku": "A", "quantity": 0, "price": "1.00"}]}), "between 1 and 100000"),
        ("orders/create", _bad({"line_items": "many"}), "must be a JSON list"),
        ("orders/create", _bad({"created_at": "yesterday"}), "not a date"),
        ("orders/create", _bad({"id": None}), "id is missing"),
        ("orders/create", [1, 2, 3], "must be a JSON object"),
    ],
)
def test_malformed_payloads_are_400_with_the_reason(client, topic, body, reason):
    raw = b'{"id": 1001, "email": "trunc' if body is None else json.dumps(body).encode()
    response = post_shopify(client, topic, None, "d-1", raw=raw)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert not WebhookDelivery.objects.exists()


def test_missing_delivery_id_is_400(client):
    response = post_shopify(client, "orders/create", shopify_order(), "")
    assert response.status_code == 400


def test_oversized_body_is_413(client, settings):
    settings.SHOP_WEBHOOK_MAX_BYTES = 1000
    body = shopify_order(note="x" * 2000)
    response = post_shopify(client, "orders/create", body, "d-1")
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def test_generic_envelope_must_be_complete(client):
    from shop.services import signature_for

    raw = json.dumps({"topic": "orders/create"}).encode()
    response = client.post("/webhooks/shop/generic/", data=raw, content_type="application/json",
                           HTTP_X_COMMUNITY_HMAC_SHA256=signature_for("test-generic-secret", raw))
    assert response.status_code == 400


def test_order_is_matched_to_the_member_with_that_verified_email(deliver):
    member = MemberFactory(email="buyer@example.com")
    deliver(post_shopify, "orders/create", shopify_order(email="  BUYER@example.com"), "d-1")
    assert Order.objects.get().member == member


def test_unverified_email_does_not_match(deliver):
    MemberFactory(email="buyer@example.com", verified=False)
    deliver(post_shopify, "orders/create", shopify_order(), "d-1")
    assert Order.objects.get().member is None


def test_verifying_an_email_later_attaches_past_orders(deliver, client, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    deliver(post_shopify, "orders/create", shopify_order(email="later@example.com"), "d-1")
    assert Order.objects.get().member is None
    client.post("/accounts/signup/", {"email": "Later@Example.com", "username": "later",
                                      "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"})
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    order = Order.objects.get()
    assert order.member.username == "later"
    assert "Linen shirt" in client.get("/me/").content.decode()


def test_processing_error_is_kept_and_can_be_retried(deliver, monkeypatch):
    from shop import services

    def explode(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "order_upsert", explode)
    deliver(post_shopify, "orders/create", shopify_order(), "d-1")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed" and "database hiccup" in delivery.error and delivery.attempts == 1
    assert not Order.objects.exists()
    monkeypatch.undo()
    services.delivery_retry(delivery)
    delivery.refresh_from_db()
    assert delivery.state == "processed" and delivery.attempts == 2 and delivery.error == ""
    assert Order.objects.count() == 1
    # a processed delivery is never applied twice
    services.delivery_retry(delivery)
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_an_address_verified_any_other_way_also_attaches_past_orders(deliver):
    from allauth.account.models import EmailAddress

    deliver(post_shopify, "orders/create", shopify_order(email="staff-verified@example.com"), "d-1")
    member = MemberFactory(email="staff-verified@example.com", verified=False)
    address = EmailAddress.objects.create(user=member, email="staff-verified@example.com", verified=False, primary=True)
    assert Order.objects.get().member is None
    address.verified = True  # an editor ticks "verified" in the admin
    address.save()
    assert Order.objects.get().member == member


# Hostile input the shop's sender could send by mistake or an attacker with a leaked secret could
# craft: each is a 400 with the reason, never a 500 (which the shop would retry and may end with
# switching the webhook off), and nothing is stored.
def nested(depth):
    value = "deep"
    for _ in range(depth):
        value = [value]
    return value


DEEP = b'{"id": 1, "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


@pytest.mark.parametrize(
    "raw, reason",
    [
        (json.dumps(_bad({"created_at": "2026-02-30T10:00:00Z"})).encode(), "not a date"),
        (json.dumps(_bad({"created_at": "0000-01-01T00:00:00Z"})).encode(), "not a date"),
        (json.dumps(_bad({"created_at": "2026-11-01T10:00:00+25:00"})).encode(), "not a date"),
        (json.dumps(_bad({"created_at": "2026-11-01T25:00:00Z"})).encode(), "not a date"),
        (json.dumps(_bad({"created_at": "9999-12-31T23:59:59-23:59"})).encode(), "out of range"),
        (json.dumps(_bad({"created_at": "0001-01-01T00:00:00+01:00"})).encode(), "out of range"),
        (json.dumps(_bad({"created_at": "1066-10-14"})).encode(), "between the years"),
        (json.dumps(_bad({"created_at": "2" * 10_000})).encode(), "not a date"),
        (json.dumps(_bad({"cancelled_at": "2026-13-01T00:00:00Z"})).encode(), "not a date"),
        (json.dumps(_bad({})).replace('"currency"', '"note": NaN, "currency"').encode(), "finite"),
        (json.dumps(_bad({})).replace('"currency"', '"note": [1, {"a": Infinity}], "currency"').encode(), "finite"),
        (json.dumps(_bad({})).replace('"currency"', '"note": -Infinity, "currency"').encode(), "finite"),
        (json.dumps(_bad({"total_price": 1.5})).replace("1.5", "1e400").encode(), "finite"),
        (json.dumps(_bad({"note": 1.5})).replace("1.5", "-1e999").encode(), "finite"),
        (DEEP, "nested deeper"),
        (json.dumps(_bad({"x": nested(40)})).encode(), "nested deeper"),
        (json.dumps(_bad({"note": "a\x00b"})).encode(), "NUL"),
        (json.dumps(_bad({"na\x00me": "x"})).encode(), "NUL"),
        (json.dumps(_bad({"email": "buyer@example.com\x00"})).encode(), "NUL"),
        (json.dumps(_bad({"note": "\ud800"})).encode(), "lone surrogate"),
        (b'{"id": "\\udfff"}', "lone surrogate"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_hostile_json_is_400_with_the_reason(client, raw, reason):
    response = post_shopify(client, "orders/create", None, "d-hostile", raw=raw)
    assert response.status_code == 400, response.content[:300]
    assert reason in response.json()["error"]
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("value", ["2026-02-30", "2026-11-01T10:00:00+25:00", "0000-01-01", "\x00"])
def test_hostile_dates_in_the_generic_format_are_400(client, value):
    response = post_generic(client, "orders/create", generic_order(placed_at=value), "g-hostile")
    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()
