import json

from shop.services import signature_for

SHOPIFY_SECRET = "test-shopify-secret"
GENERIC_SECRET = "test-generic-secret"


def shopify_order(order_id=1001, email="Buyer@Example.com ", financial_status="pending", total="98.00", lines=None, **extra):
    body = {
        "id": order_id,
        "email": email,
        "created_at": "2026-11-01T10:00:00+01:00",
        "currency": "EUR",
        "subtotal_price": total,
        "total_discounts": "0.00",
        "total_price": total,
        "financial_status": financial_status,
        "discount_codes": [{"code": "WELCOME10", "amount": "0.00"}],
        "line_items": lines if lines is not None else [
            {"id": 1, "sku": "SKU-A", "name": "Linen shirt", "quantity": 2, "price": "49.00"},
        ],
    }
    body.update(extra)
    return body


def shopify_refund(refund_id=5001, order_id=1001, amount="49.00", lines=None):
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": "2026-11-05T10:00:00Z",
        "note": "too small",
        "refund_line_items": lines if lines is not None else [{"line_item_id": 1, "quantity": 1}],
        "transactions": [{"kind": "refund", "status": "success", "amount": amount}],
    }


def post_shopify(client, topic, body, delivery_id, secret=SHOPIFY_SECRET, raw=None, signature=None):
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_WEBHOOK_ID": delivery_id,
        "HTTP_X_SHOPIFY_HMAC_SHA256": signature if signature is not None else signature_for(secret, data),
    }
    return client.post("/webhooks/shop/shopify/", data=data, content_type="application/json", **headers)


def post_generic(client, topic, data, delivery_id, secret=GENERIC_SECRET):
    raw = json.dumps({"delivery_id": delivery_id, "topic": topic, "data": data}).encode()
    return client.post("/webhooks/shop/generic/", data=raw, content_type="application/json",
                       HTTP_X_COMMUNITY_HMAC_SHA256=signature_for(secret, raw))


def generic_order(order_id="G-1", email="buyer@example.com", status="paid", total="30.00", **extra):
    body = {
        "id": order_id, "email": email, "placed_at": "2026-10-01T09:00:00Z", "currency": "NOK", "status": status,
        "subtotal": total, "total": total, "discount_codes": ["FRIEND-ABC"],
        "lines": [{"id": "1", "sku": "SKU-B", "name": "Wool socks", "quantity": 3, "unit_price": "10.00"}],
    }
    body.update(extra)
    return body
