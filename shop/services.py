"""Writes for the shop connection: the webhook inbox, orders, refunds, customer matching.

Exactly-once comes from unique constraints (one delivery per (source, delivery id), one order per
(source, external id), one refund per (order, refund id)) and from changing an order's status only
while holding its row lock, so each transition (and its signal) happens once.
"""

import base64
import hashlib
import hmac
import logging

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import payloads, signals
from .app_settings import app_settings
from .models import Order, OrderLine, Product, Refund, RefundLine, WebhookDelivery

logger = logging.getLogger(__name__)


class ProcessingError(Exception):
    """A stored delivery could not be applied (yet): kept with this message, retryable."""


# --- signatures --------------------------------------------------------------------------------

def signature_for(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(secret, body, given):
    if not secret or not given:
        return False
    return hmac.compare_digest(signature_for(secret, body).encode(), given.strip().encode())


# --- the inbox ---------------------------------------------------------------------------------

# The inbox is its own queue: the request stores the delivery and wakes the drain (one task that
# applies every pending delivery, oldest first), at most once per DRAIN_WAKE_SECONDS while a drain
# is queued; the drain clears the wake-up before it looks, so a delivery stored while it runs wakes
# the next one. A wake-up lost with a stopped worker is made good by the job `shop_inbox_drain`
# (every minute) and by `manage.py tasks_recover`.
DRAIN_WAKE_KEY = "shop:inbox:drain-queued"
DRAIN_WAKE_SECONDS = 30
# Drains queued per wake-up: as many as task worker processes run at once (two in the README's
# production setup); each takes deliveries the others do not hold, so they apply the inbox together.
DRAINS = 2


def delivery_receive(*, source, fmt, delivery_id, topic, payload):
    """Check and store a delivery once. Returns (delivery, created). Raises PayloadError.

    The insert relies on the (source, delivery_id) unique constraint: a concurrent duplicate waits
    for the first insert and then finds it. Outside a transaction the insert is its own (one
    statement, one commit); inside one (a test, a caller's atomic block) it takes a savepoint, so a
    duplicate leaves the transaction usable.
    """
    data = payloads.parse(fmt, topic, _data_of(fmt, payload))
    is_refund = isinstance(data, payloads.RefundData)
    order_ref = data.order_external_id if is_refund else data.external_id
    if is_refund and not _order_known(source, order_ref):
        raise payloads.PayloadError(f"refund {data.external_id} is for order {order_ref}, which this site does not know")
    fields = {"source": source, "delivery_id": delivery_id, "topic": topic, "payload": payload, "order_ref": order_ref}
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(**fields)
        else:
            delivery = WebhookDelivery.objects.create(**fields)
    except IntegrityError:
        return WebhookDelivery.objects.get(source=source, delivery_id=delivery_id), False
    transaction.on_commit(drain_wake)
    return delivery, True


def drain_wake():
    """Queue the inbox's drain unless one is queued already (one cache write in the common case)."""
    from django.core.cache import cache

    from .tasks import inbox_drain_task

    if not cache.add(DRAIN_WAKE_KEY, 1, DRAIN_WAKE_SECONDS):
        return
    try:
        for _ in range(DRAINS):
            inbox_drain_task.enqueue()
    except Exception:
        cache.delete(DRAIN_WAKE_KEY)  # the next delivery tries again; the minute job meanwhile
        raise


def inbox_drain(limit=None):
    """Apply the pending deliveries, oldest first, until none is left (or `limit` are done). Safe to
    run concurrently: each delivery is applied under its row lock, once, and drains running together
    take different ones. Returns how many this one applied."""
    from django.core.cache import cache

    cache.delete(DRAIN_WAKE_KEY)  # a delivery stored from now on wakes another drain
    done = 0
    while (limit is None or done < limit) and _delivery_process_next() is not None:
        done += 1
    return done


def _order_known(source, external_id):
    """The order exists, or a delivery creating it waits in the inbox (deliveries can race)."""
    return (
        Order.objects.filter(source=source, external_id=external_id).exists()
        or WebhookDelivery.objects.filter(source=source, order_ref=external_id, topic__startswith="orders/").exists()
    )


def _enqueue(delivery_pk):
    from .tasks import delivery_process_task

    delivery_process_task.enqueue(delivery_pk)


def delivery_process(delivery_pk):
    """Apply one stored delivery. Safe to run twice or concurrently: a processed delivery is skipped."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_pk)
        return _process_locked(delivery)


def _delivery_process_next():
    """Take the oldest pending delivery no one else holds and apply it: the pk, or None when none is
    left. Concurrent drains each take a different one (SKIP LOCKED; SQLite has one writer anyway)."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True)
                    .filter(state=WebhookDelivery.State.PENDING).order_by("pk").first())
        if delivery is None:
            return None
        _process_locked(delivery)
        return delivery.pk


def _process_locked(delivery):
    if delivery.state == WebhookDelivery.State.PROCESSED:
        return delivery
    delivery.attempts += 1
    fmt = source_format(delivery.source)
    try:
        with transaction.atomic():
            data = payloads.parse(fmt, delivery.topic, _data_of(fmt, delivery.payload))
            _apply(delivery.source, delivery.topic, data, raw=_data_of(fmt, delivery.payload))
    except (payloads.PayloadError, ProcessingError) as exc:
        delivery.state, delivery.error = WebhookDelivery.State.FAILED, str(exc)
    except Exception as exc:  # kept with its error for a retry; the traceback goes to the log
        logger.exception("processing delivery %s failed", delivery.pk)
        delivery.state, delivery.error = WebhookDelivery.State.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        delivery.state, delivery.error, delivery.processed_at = WebhookDelivery.State.PROCESSED, "", timezone.now()
        if delivery.topic.startswith("orders/"):
            _retry_waiting_refunds(delivery)
    delivery.save(update_fields=["state", "error", "attempts", "processed_at"])
    return delivery


def _retry_waiting_refunds(order_delivery):
    """A refund that arrived before its order failed with "not known (yet)": run it again now."""
    waiting = WebhookDelivery.objects.filter(
        source=order_delivery.source, order_ref=order_delivery.order_ref, topic="refunds/create",
        state=WebhookDelivery.State.FAILED,
    ).values_list("pk", flat=True)
    for pk in waiting:
        transaction.on_commit(lambda pk=pk: _enqueue(pk))


def delivery_retry(delivery):
    """Run a failed (or stuck pending) delivery again, now."""
    return delivery_process(delivery.pk)


def source_format(source):
    return app_settings.WEBHOOK_SOURCES.get(source, {}).get("format", "generic")


def _data_of(fmt, payload):
    return payload["data"] if fmt == "generic" else payload


def _apply(source, topic, data, raw):
    if topic == "refunds/create":
        return refund_record(source, data, raw=raw)
    order = order_upsert(source, data, raw=raw)
    if topic == "orders/paid" or (topic == "orders/create" and data.paid):
        order_mark_paid(order)
    if topic == "orders/cancelled" or data.cancelled_at:
        order_cancel(order, data.cancelled_at)
    return order


# --- orders ------------------------------------------------------------------------------------

def member_for_email(email):
    """The member who verified this address, if any."""
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def order_upsert(source, data, raw=None):
    """Create the order with its lines once; later calls return it (locked) unchanged."""
    products = {p.sku: p for p in Product.objects.filter(sku__in=[line.sku for line in data.lines if line.sku])}
    order, created = Order.objects.get_or_create(
        source=source,
        external_id=data.external_id,
        defaults={
            "email": data.email,
            "member": member_for_email(data.email),
            "currency": data.currency,
            "subtotal": data.subtotal,
            "discount_total": data.discount_total,
            "total": data.total,
            "discount_codes": data.discount_codes,
            "placed_at": data.placed_at,
            "raw": raw or {},
        },
    )
    if created:
        OrderLine.objects.bulk_create([
            OrderLine(order=order, product=products.get(line.sku), external_id=line.external_id, sku=line.sku,
                      name=line.name or (products[line.sku].name if line.sku in products else ""),
                      quantity=line.quantity, unit_price=line.unit_price, total=line.total)
            for line in data.lines
        ])
        _product_types_learn(products, data.lines)
    return Order.objects.select_for_update().get(pk=order.pk)


def _product_types_learn(products, lines):
    """A product without a type takes the one an order's line carries (reviews ask the questions
    of that type); a type editors set is never overwritten."""
    for line in lines:
        product = products.get(line.sku)
        if product is not None and line.product_type and not product.product_type:
            product.product_type = line.product_type
            Product.objects.filter(pk=product.pk, product_type="").update(product_type=line.product_type)


def order_mark_paid(order, paid_at=None):
    """pending -> paid, once. `order` must be locked (select_for_update) by the caller."""
    if order.status != Order.Status.PENDING:
        return False
    order.status, order.paid_at = Order.Status.PAID, paid_at or timezone.now()
    order.save(update_fields=["status", "paid_at", "updated_at"])
    transaction.on_commit(lambda: signals.order_paid.send(sender=Order, order=order))
    return True


def order_cancel(order, cancelled_at=None):
    if order.status == Order.Status.CANCELLED:
        return False
    order.status, order.cancelled_at = Order.Status.CANCELLED, cancelled_at or timezone.now()
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    transaction.on_commit(lambda: signals.order_cancelled.send(sender=Order, order=order))
    return True


def refund_record(source, data, raw=None):
    """Record a refund once and update the order's refunded total and status under its lock."""
    order = Order.objects.select_for_update().filter(source=source, external_id=data.order_external_id).first()
    if order is None:
        raise ProcessingError(f"order {data.order_external_id} is not known (yet)")
    if Refund.objects.filter(order=order, external_id=data.external_id).exists():
        return order  # already recorded: the order lock makes this check safe
    if order.refunded_total + data.amount > order.total:
        raise ProcessingError(
            f"refund {data.external_id} of {data.amount} exceeds what is left of order {order.external_id} "
            f"({order.total - order.refunded_total})"
        )
    refund = Refund.objects.create(order=order, external_id=data.external_id, amount=data.amount, reason=data.reason,
                                   refunded_at=data.refunded_at, raw=raw or {})
    lines = {line.external_id: line for line in order.lines.all()}
    RefundLine.objects.bulk_create([
        RefundLine(refund=refund, order_line=lines[line_id], quantity=qty) for line_id, qty in data.lines if line_id in lines
    ])
    order.refunded_total += data.amount
    order.status = Order.Status.REFUNDED if order.refunded_total >= order.total else Order.Status.PARTIALLY_REFUNDED
    order.save(update_fields=["refunded_total", "status", "updated_at"])
    transaction.on_commit(lambda: signals.order_refunded.send(sender=Order, order=order, refund=refund, amount=refund.amount))
    return order


def orders_attach_to_member(member, email):
    """Give a member the past orders placed with an address they have just verified."""
    email = email.strip().lower()
    count = Order.objects.filter(email=email, member__isnull=True).update(member=member)
    if count:
        signals.orders_attached.send(sender=Order, member=member, email=email, count=count)
    return count

