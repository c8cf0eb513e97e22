"""A member's orders in their data export, and what of them stays when the account is deleted.

On deletion an order stays for the shop's accounting (amounts, lines, discount codes, dates,
status) but loses every personal field: the customer e-mail, and everything in the payloads as
received (the order's, its refunds' and the inbox's deliveries about it) that is not on the
allowlist below. An allowlist, not a list of what to remove: a field the shop adds tomorrow (a
phone, a note, an address format) is dropped without anyone having to know about it.
"""

from django.db import transaction
from django.db.models import Prefetch, Q

from .models import Order, OrderLine, Refund, WebhookDelivery

KEEP = None  # a scalar value kept as it is

_MONEY = {"amount": KEEP, "currency_code": KEEP, "currency": KEEP}
_LINE = {
    "id": KEEP, "line_id": KEEP, "sku": KEEP, "name": KEEP, "title": KEEP, "product_id": KEEP, "variant_id": KEEP,
    "quantity": KEEP, "price": KEEP, "unit_price": KEEP, "total": KEEP, "total_discount": KEEP,
    "line_item_id": KEEP, "subtotal": KEEP, "line_item": None,
}
_LINE["line_item"] = _LINE
_ORDER = {
    # The inbox's envelope (generic format) and the order or refund resource itself.
    "delivery_id": KEEP, "topic": KEEP,
    "id": KEEP, "order_id": KEEP, "order_number": KEEP, "created_at": KEEP, "processed_at": KEEP, "updated_at": KEEP,
    "placed_at": KEEP, "refunded_at": KEEP, "cancelled_at": KEEP, "cancel_reason": KEEP, "status": KEEP,
    "financial_status": KEEP, "currency": KEEP, "presentment_currency": KEEP,
    "subtotal": KEEP, "subtotal_price": KEEP, "discount_total": KEEP, "total_discounts": KEEP, "total": KEEP,
    "total_price": KEEP, "total_tax": KEEP, "taxes_included": KEEP, "amount": KEEP, "refunded_amount": KEEP,
    "discount_codes": {"code": KEEP, "amount": KEEP, "type": KEEP},
    "lines": _LINE, "line_items": _LINE, "refund_line_items": _LINE,
    "tax_lines": {"title": KEEP, "rate": KEEP, "price": KEEP},
    "transactions": {"id": KEEP, "kind": KEEP, "status": KEEP, "amount": KEEP, "currency": KEEP, "gateway": KEEP},
    "total_price_set": {"shop_money": _MONEY},
    "csv": None, "data": None, "line": KEEP,
}
_ORDER["data"] = _ORDER
_ORDER["csv"] = {**_ORDER, **_LINE}  # rows of a CSV import: order_id, sku, quantity... (its e-mail column goes)

_SCALARS = (str, int, float, bool, type(None))


def payload_without_personal_data(value, schema=_ORDER):
    """`value` (a shop payload: dicts, lists, scalars) keeping only the allowlisted keys.
    Discount codes given as plain strings (["WELCOME10"]) stay; any other list of scalars under an
    allowlisted key stays too, since only keys of a known meaning are allowed."""
    if isinstance(value, list):
        return [payload_without_personal_data(item, schema) for item in value
                if isinstance(item, dict | list) or isinstance(item, _SCALARS)]
    if not isinstance(value, dict):
        return value if isinstance(value, _SCALARS) else None
    kept = {}
    for key, item in value.items():
        if key not in schema:
            continue
        sub = schema[key]
        if sub is KEEP:
            if isinstance(item, _SCALARS):
                kept[key] = item
        elif isinstance(item, dict | list):
            kept[key] = payload_without_personal_data(item, sub)
        elif isinstance(item, _SCALARS):
            kept[key] = item
    return kept


def orders_of_member(member):
    """The member's orders, newest first, with their lines and refunds (three queries)."""
    return (
        Order.objects.filter(member=member)
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
                          Prefetch("refunds", queryset=Refund.objects.order_by("refunded_at", "pk")))
        .order_by("-placed_at")
    )


def orders_export(member):
    """The member's orders as JSON-able data: what the site shows and the payload the shop sent."""
    return [
        {
            "shop": order.source,
            "order_id": order.external_id,
            "email": order.email,
            "placed_at": order.placed_at.isoformat(),
            "paid_at": order.paid_at.isoformat() if order.paid_at else None,
            "cancelled_at": order.cancelled_at.isoformat() if order.cancelled_at else None,
            "status": order.status,
            "currency": order.currency,
            "subtotal": str(order.subtotal),
            "discount_total": str(order.discount_total),
            "total": str(order.total),
            "refunded": str(order.refunded_total),
            "discount_codes": order.discount_codes,
            "lines": [{"sku": line.sku, "name": line.name, "quantity": line.quantity, "unit_price": str(line.unit_price)}
                      for line in order.lines.all()],
            "refunds": [
                {"refund_id": refund.external_id, "amount": str(refund.amount), "reason": refund.reason,
                 "refunded_at": refund.refunded_at.isoformat(), "payload_as_received": refund.raw}
                for refund in order.refunds.all()
            ],
            "payload_as_received": order.raw,
        }
        for order in orders_of_member(member)
    ]


@transaction.atomic
def orders_erase_personal_data(member, emails=()):
    """Strip the personal fields from the member's orders (and from orders placed with one of
    `emails` that never got attached), their refunds and the inbox deliveries about them. The
    orders stay, attached to the account's tombstone, for the shop's accounting."""
    emails = [e.strip().lower() for e in emails if e]
    orders = Order.objects.filter(Q(member=member) | Q(member__isnull=True, email__in=emails)).select_for_update()
    refs = {}
    for order in orders:
        order.email = ""
        order.raw = payload_without_personal_data(order.raw)
        order.save(update_fields=["email", "raw", "updated_at"])
        refs.setdefault(order.source, []).append(order.external_id)
        for refund in Refund.objects.filter(order=order):
            refund.reason = ""
            refund.raw = payload_without_personal_data(refund.raw)
            refund.save(update_fields=["reason", "raw"])
    for source, external_ids in refs.items():
        for delivery in WebhookDelivery.objects.filter(source=source, order_ref__in=external_ids):
            delivery.payload = payload_without_personal_data(delivery.payload)
            delivery.error = ""
            delivery.save(update_fields=["payload", "error"])
