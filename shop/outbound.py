"""The outbound webhook: events this site tells the shop, such as a discount code to honour.

Queueing. `outbound_queue(event, key, data)` inserts one OutboundDelivery under its idempotency key
(unique: a second call with the same key, a replay or a race, returns the stored row and queues
nothing) inside the caller's transaction, and asks for a send after that transaction commits. So an
event exists exactly when the write it announces does, and is never sent for a write that rolled
back.

Sending. `outbound_send(pk)` claims the delivery (row lock, skipping a row another worker holds;
the claim moves `next_attempt_at` a lease ahead and counts the attempt, then commits), POSTs
outside any transaction, and records the outcome:

- 2xx: sent. The shop has the event.
- a network error (refused, reset, timeout), 408, 429 or 5xx: retried. The next attempt waits
  SHOP_OUTBOUND_BACKOFF_SECONDS × 2^(attempts − 1), capped at SHOP_OUTBOUND_BACKOFF_MAX_SECONDS,
  then drawn at random between half of that and all of it (jitter); a longer Retry-After is
  honoured. After SHOP_OUTBOUND_MAX_ATTEMPTS it waits for staff ("retry now" in the admin).
- any other status (400, 401, 404, 422 ...): refused, not retried: sending the same bytes again
  cannot change the answer. Staff can retry it once the cause is fixed.
- no SHOP_OUTBOUND_URL or SHOP_OUTBOUND_SECRET: nothing is sent and nothing counted; the delivery
  waits, its last error says why, and goes out once both are set.

A worker that dies between claim and outcome leaves the lease to expire; the delivery is then due
again. That is why the shop must store an event once per idempotency key: a delivery it answered
may still be sent again (at least once, never lost), and a shop that answers 500 and then 200 to
the same event gets it twice with one key, and keeps one.

Retries run by themselves on a task backend that can defer (`run_after`); the immediate backend of
development and tests cannot, so cron runs `manage.py shop_outbound_send` (every minute in
production, as a safety net) to send everything due.

The request. POST SHOP_OUTBOUND_URL, `Content-Type: application/json`, body
`{"id": <idempotency key>, "event": ..., "created_at": ..., "data": {...}}` (the same bytes on
every attempt), and headers

    X-Community-Event:          the event
    Idempotency-Key:            the idempotency key (also the body's "id")
    X-Community-Timestamp:      the attempt's time, Unix seconds
    X-Community-Hmac-SHA256:    base64(HMAC-SHA256(secret, "<timestamp>." + body))

which mirrors the inbound scheme (base64 HMAC-SHA256, header X-Community-Hmac-SHA256) with the
timestamp signed in, so a captured request cannot be replayed later: the shop checks the signature
(`signature_check`) and refuses a timestamp more than SIGNATURE_TOLERANCE seconds away.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import random
import urllib.error
import urllib.request

from django.db import IntegrityError, transaction
from django.utils import timezone

from .app_settings import app_settings
from .models import OutboundDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Community-Hmac-SHA256"
TIMESTAMP_HEADER = "X-Community-Timestamp"
EVENT_HEADER = "X-Community-Event"
KEY_HEADER = "Idempotency-Key"
SIGNATURE_TOLERANCE = 300  # seconds either side of the receiver's clock
RETRY_STATUSES = frozenset({408, 429})  # plus every 5xx
ERROR_LENGTH = 2000
USER_AGENT = "brand-community-outbound/1"

DISCOUNT_CODE_CREATED = "discount_code.created"
DISCOUNT_CODE_CANCELLED = "discount_code.cancelled"


# --- signatures ----------------------------------------------------------------------------------

def signature_for(secret, timestamp, body):
    message = str(int(timestamp)).encode() + b"." + body
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def signature_check(secret, timestamp, body, given, *, now=None, tolerance=SIGNATURE_TOLERANCE):
    """What the shop does with a request: True when `given` signs `timestamp` + `body` with
    `secret` and the timestamp is within `tolerance` seconds of `now` (Unix seconds)."""
    if not secret or not given or timestamp in (None, ""):
        return False
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    now = timezone.now().timestamp() if now is None else now
    if abs(now - stamp) > tolerance:
        return False
    return hmac.compare_digest(signature_for(secret, stamp, body).encode(), str(given).strip().encode())


def body_of(delivery):
    """The request body: the same bytes on every attempt (sorted keys, compact, UTF-8)."""
    document = {"id": delivery.idempotency_key, "event": delivery.event,
                "created_at": delivery.created_at.isoformat() if delivery.created_at else None,
                "data": delivery.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def headers_for(delivery, body, secret, timestamp):
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        KEY_HEADER: delivery.idempotency_key,
        TIMESTAMP_HEADER: str(int(timestamp)),
        SIGNATURE_HEADER: signature_for(secret, timestamp, body),
    }


# --- queueing ------------------------------------------------------------------------------------

def outbound_queue(event, key, data):
    """Queue `event` with `data` (JSON-able) under the idempotency `key`, once; sent after the
    current transaction commits. Returns (delivery, created)."""
    try:
        with transaction.atomic():
            delivery = OutboundDelivery.objects.create(event=event, idempotency_key=key, payload=data,
                                                       next_attempt_at=timezone.now())
    except IntegrityError:
        return OutboundDelivery.objects.get(idempotency_key=key), False
    transaction.on_commit(lambda: _enqueue(delivery.pk), robust=True)
    return delivery, True


def _enqueue(pk, run_after=None):
    from .tasks import outbound_send_task

    if run_after is None:
        outbound_send_task.enqueue(pk)
    elif outbound_send_task.get_backend().supports_defer:
        outbound_send_task.using(run_after=run_after).enqueue(pk)
    # else: `manage.py shop_outbound_send` (cron) sends it when due


# --- sending -------------------------------------------------------------------------------------

def backoff_seconds(attempts, *, rand=random.random):
    """The wait after the `attempts`-th failed attempt: exponential, capped, with jitter."""
    base = app_settings.OUTBOUND_BACKOFF_SECONDS * (2 ** max(0, attempts - 1))
    ceiling = min(base, app_settings.OUTBOUND_BACKOFF_MAX_SECONDS)
    return ceiling / 2 + rand() * ceiling / 2


def _retry_after(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 0.0


def _claim(pk, now, force):
    """Lock, check it is due, count the attempt and move the lease ahead. Returns the delivery or
    None (sent, refused, not due, or held by another worker)."""
    with transaction.atomic():
        delivery = OutboundDelivery.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if delivery is None:
            return None
        if force:
            if delivery.state == OutboundDelivery.State.SENT:
                return None
        elif delivery.state != OutboundDelivery.State.PENDING or (
                delivery.next_attempt_at is not None and delivery.next_attempt_at > now):
            return None
        if not (app_settings.OUTBOUND_URL and app_settings.OUTBOUND_SECRET):
            delivery.last_error = "not sent: SHOP_OUTBOUND_URL and SHOP_OUTBOUND_SECRET must both be set"
            delivery.save(update_fields=["last_error"])
            return None
        delivery.state = OutboundDelivery.State.PENDING
        delivery.attempts += 1
        # the lease: if this worker dies before recording the outcome, the delivery is due again
        delivery.next_attempt_at = now + datetime.timedelta(seconds=app_settings.OUTBOUND_TIMEOUT * 3 + 30)
        delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
        return delivery


def _post(delivery, now):
    """POST once; returns (status or None, error text, Retry-After seconds)."""
    body = body_of(delivery)
    if not app_settings.OUTBOUND_URL.lower().startswith(("https://", "http://")):
        return None, "SHOP_OUTBOUND_URL must start with https:// (or http://)", 0.0
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        app_settings.OUTBOUND_URL, data=body, method="POST",
        headers=headers_for(delivery, body, app_settings.OUTBOUND_SECRET, now.timestamp()),
    )
    try:
        with urllib.request.urlopen(request, timeout=app_settings.OUTBOUND_TIMEOUT) as response:  # noqa: S310
            return response.status, "", 0.0
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        return error.code, f"HTTP {error.code}: {detail}" if detail else f"HTTP {error.code}", _retry_after(
            error.headers.get("Retry-After"))
    except (urllib.error.URLError, OSError, ValueError) as error:  # refused, reset, timeout, bad URL
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}", 0.0


def outbound_send(pk, *, now=None, force=False):
    """Attempt delivery `pk` if it is due (`force`: now, whatever its state but sent, as staff's
    "retry now" does). Returns the delivery as it stands after the attempt, or None when nothing
    was attempted."""
    now = now or timezone.now()
    delivery = _claim(pk, now, force)
    if delivery is None:
        return None
    status, error, retry_after = _post(delivery, now)
    delivery.last_status = status
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.last_error, delivery.sent_at, delivery.next_attempt_at = (
            OutboundDelivery.State.SENT, "", timezone.now(), None)
    elif status is None or status >= 500 or status in RETRY_STATUSES:
        delivery.last_error = error[:ERROR_LENGTH]
        if delivery.attempts >= app_settings.OUTBOUND_MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = OutboundDelivery.State.FAILED, None
            delivery.last_error = f"gave up after {delivery.attempts} attempts; {delivery.last_error}"[:ERROR_LENGTH]
        else:
            wait = max(backoff_seconds(delivery.attempts), retry_after)
            delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
    else:
        delivery.state, delivery.next_attempt_at = OutboundDelivery.State.FAILED, None
        delivery.last_error = error[:ERROR_LENGTH]
    OutboundDelivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state, last_status=delivery.last_status, last_error=delivery.last_error,
        sent_at=delivery.sent_at, next_attempt_at=delivery.next_attempt_at)
    if delivery.state == OutboundDelivery.State.PENDING:
        logger.warning("outbound %s attempt %d failed: %s", delivery.idempotency_key, delivery.attempts, error)
        _enqueue(delivery.pk, run_after=delivery.next_attempt_at)
    elif delivery.state == OutboundDelivery.State.FAILED:
        logger.error("outbound %s refused: %s", delivery.idempotency_key, delivery.last_error)
    return delivery


def outbound_retry(delivery):
    """Staff's "retry now": attempt at once, even a refused delivery or one not due yet."""
    return outbound_send(delivery.pk, force=True)


def outbound_send_due(*, now=None, limit=1000):
    """Attempt every pending delivery that is due, oldest first. Returns how many were sent."""
    now = now or timezone.now()
    due = (OutboundDelivery.objects.filter(state=OutboundDelivery.State.PENDING, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    sent = 0
    for pk in list(due):
        result = outbound_send(pk, now=now)
        sent += result is not None and result.state == OutboundDelivery.State.SENT
    return sent
