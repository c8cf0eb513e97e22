"""The inbound webhook: /webhooks/shop/<source>/. Thin: check, store once, answer at once."""

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .app_settings import app_settings
from .payloads import PayloadError, json_load
from .services import delivery_receive, signature_valid

SIGNATURE_HEADERS = {"shopify": "HTTP_X_SHOPIFY_HMAC_SHA256", "generic": "HTTP_X_COMMUNITY_HMAC_SHA256"}


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # authenticated by the HMAC signature instead
@require_POST
def shop_webhook(request, source):
    config = app_settings.WEBHOOK_SOURCES.get(source)
    if not config or not config.get("secret"):
        raise Http404("unknown webhook source")
    limit = app_settings.WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "bad Content-Length")
    if declared > limit:
        return _error(413, f"body larger than {limit} bytes")
    body = request.read(limit + 1)
    if len(body) > limit:
        return _error(413, f"body larger than {limit} bytes")
    fmt = config["format"]
    if not signature_valid(config["secret"], body, request.META.get(SIGNATURE_HEADERS[fmt], "")):
        return _error(401, "missing or wrong signature")
    try:
        payload = json_load(body)
    except PayloadError as exc:
        return _error(400, str(exc))
    if fmt == "shopify":
        topic = request.META.get("HTTP_X_SHOPIFY_TOPIC", "")
        delivery_id = request.META.get("HTTP_X_SHOPIFY_WEBHOOK_ID") or request.META.get("HTTP_X_SHOPIFY_EVENT_ID", "")
    else:
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            return _error(400, "expected a JSON object with delivery_id, topic and data")
        topic, delivery_id = str(payload.get("topic", "")), str(payload.get("delivery_id", ""))
    delivery_id = delivery_id.strip()
    if not delivery_id or len(delivery_id) > 128:
        return _error(400, "delivery id missing or longer than 128 characters")
    try:
        _delivery, created = delivery_receive(source=source, fmt=fmt, delivery_id=delivery_id, topic=topic, payload=payload)
    except PayloadError as exc:
        return _error(400, str(exc))
    status = "accepted" if created else "duplicate"
    return JsonResponse({"status": status, "delivery_id": delivery_id}, status=202 if created else 200)
