"""Turn the shop's JSON into checked, normalised data. Two formats: Shopify's and our own generic one.

Everything a payload says is checked here, at receipt, so a malformed delivery is answered 400 with
the reason and never reaches the inbox. shop/README.md documents both formats.
"""

import datetime
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.email_address import email_normalise_unicode, validate_email_address_any_script

TOPICS = ("orders/create", "orders/paid", "orders/cancelled", "refunds/create")
MAX_DEPTH = 32  # the deepest nesting a real order needs is about 5
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
MAX_AMOUNT = Decimal("9999999999.99")
CURRENCIES = frozenset(list_currencies())


class PayloadError(ValueError):
    """The payload cannot be used; the message says why, in words fit for the sender."""


def _reject_constant(name):
    raise PayloadError(f"{name} is not valid JSON (numbers must be finite)")


def _finite_float(text):
    number = float(text)
    if not math.isfinite(number):
        raise PayloadError(f"{text[:20]} is too large a number (numbers must be finite)")
    return number


def json_load(body):
    """Parse a webhook body as strict JSON that the database can store: no NaN or Infinity, no
    nesting deeper than MAX_DEPTH, and no string (key or value) with a NUL character or a lone
    surrogate, which PostgreSQL's jsonb refuses. Any other input raises PayloadError."""
    try:
        data = json.loads(body, parse_constant=_reject_constant, parse_float=_finite_float)
    except PayloadError:
        raise
    except RecursionError:
        raise PayloadError(f"body is nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"body is not valid JSON: {exc}") from None
    _check_tree(data)
    return data


def _check_string(value):
    if "\x00" in value:
        raise PayloadError("a text in the body contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadError("a text in the body is not valid Unicode (a lone surrogate)") from None


def _check_tree(data):
    """Walk the parsed body without recursion (its depth is what is being checked)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_string(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise PayloadError(f"body is nested deeper than {MAX_DEPTH} levels")
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_string(key)
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


@dataclass(frozen=True)
class LineData:
    external_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    product_type: str = ""  # when the shop says (Shopify's product_type, ours lines[].product_type)

    @property
    def total(self):
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class OrderData:
    external_id: str
    email: str
    placed_at: datetime.datetime
    currency: str
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    discount_codes: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    paid: bool = False
    cancelled_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RefundData:
    external_id: str
    order_external_id: str
    refunded_at: datetime.datetime
    amount: Decimal
    reason: str = ""
    lines: list = field(default_factory=list)  # [(line external id, quantity)]


# --- field checks ------------------------------------------------------------------------------

def normalise_email(value):
    """Trimmed, lower-cased, NFC; an address in any script is taken (it names a customer, whatever
    our own mail relay can send to: core.email_address)."""
    email = email_normalise_unicode(str(value or "")).lower()
    try:
        validate_email_address_any_script(email)
    except ValidationError:
        raise PayloadError(f"'{value}' is not an e-mail address") from None
    return email


def amount(value, name):
    if isinstance(value, bool) or value is None or value == "":
        raise PayloadError(f"{name} is missing or not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PayloadError(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise PayloadError(f"{name} is not a finite number")
    if number < 0:
        raise PayloadError(f"{name} is negative: {value}")
    if number > MAX_AMOUNT:
        raise PayloadError(f"{name} is too large: {value}")
    if number != number.quantize(Decimal("0.01")):
        raise PayloadError(f"{name} has more than two decimal places: {value}")
    return number.quantize(Decimal("0.01"))


def quantity(value, name):
    if isinstance(value, bool):
        raise PayloadError(f"{name} is not a whole number")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise PayloadError(f"{name} is not a whole number: {value!r}") from None
    if number < 1 or number > 100_000:
        raise PayloadError(f"{name} must be between 1 and 100000: {value}")
    return number


def currency(value):
    code = str(value or "").strip().upper()
    if code not in CURRENCIES:
        raise PayloadError(f"unknown currency: {value!r}")
    return code


def moment(value, name, required=True):
    if value in (None, ""):
        if required:
            raise PayloadError(f"{name} is missing")
        return None
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        raw = str(value).strip()[:64]
        try:
            # parse_datetime raises ValueError for a well-formed impossible moment (2026-02-30,
            # hour 25, an offset of +25:00) and returns None for what is not a date at all.
            parsed = parse_datetime(raw) or datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time())
        except (ValueError, OverflowError):
            raise PayloadError(f"{name} is not a date and time: {value!r}") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    try:
        in_utc = parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise PayloadError(f"{name} is out of range: {value!r}") from None
    if not EARLIEST_YEAR <= in_utc.year <= LATEST_YEAR:
        raise PayloadError(f"{name} must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}: {value!r}")
    return parsed


def identifier(value, name):
    text = str(value).strip() if value is not None and not isinstance(value, (dict, list, bool)) else ""
    if not text:
        raise PayloadError(f"{name} is missing")
    if len(text) > 64:
        raise PayloadError(f"{name} is longer than 64 characters")
    return text


def text(value, limit):
    return str(value or "").strip()[:limit]


def _obj(value, name):
    if not isinstance(value, dict):
        raise PayloadError(f"{name} must be a JSON object")
    return value


def _list(value, name):
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{name} must be a JSON list")
    return value


def _check_total(data):
    if not data.lines:
        raise PayloadError("an order needs at least one line")
    return data


# --- Shopify -----------------------------------------------------------------------------------

def shopify_order(body):
    body = _obj(body, "the order")
    lines = []
    for i, item in enumerate(_list(body.get("line_items"), "line_items")):
        item = _obj(item, f"line_items[{i}]")
        lines.append(LineData(
            external_id=identifier(item.get("id", i + 1), f"line_items[{i}].id"),
            sku=text(item.get("sku"), 64),
            name=text(item.get("name") or item.get("title"), 200),
            quantity=quantity(item.get("quantity"), f"line_items[{i}].quantity"),
            unit_price=amount(item.get("price"), f"line_items[{i}].price"),
            product_type=text(item.get("product_type"), 64),
        ))
    codes = [text(_obj(c, "discount_codes[]").get("code"), 64) for c in _list(body.get("discount_codes"), "discount_codes")]
    return _check_total(OrderData(
        external_id=identifier(body.get("id"), "id"),
        email=normalise_email(body.get("email") or _obj(body.get("customer") or {}, "customer").get("email")),
        placed_at=moment(body.get("created_at"), "created_at"),
        currency=currency(body.get("currency")),
        subtotal=amount(body.get("subtotal_price"), "subtotal_price"),
        discount_total=amount(body.get("total_discounts", "0"), "total_discounts"),
        total=amount(body.get("total_price"), "total_price"),
        discount_codes=[c for c in codes if c],
        lines=lines,
        paid=body.get("financial_status") in ("paid", "partially_refunded", "refunded"),
        cancelled_at=moment(body.get("cancelled_at"), "cancelled_at", required=False),
    ))


def shopify_refund(body):
    body = _obj(body, "the refund")
    transactions = [_obj(t, "transactions[]") for t in _list(body.get("transactions"), "transactions")]
    refunded = [t for t in transactions if t.get("kind", "refund") == "refund" and t.get("status", "success") == "success"]
    if not refunded:
        raise PayloadError("a refund needs at least one successful refund transaction")
    total = sum((amount(t.get("amount"), "transactions[].amount") for t in refunded), Decimal("0.00"))
    lines = []
    for i, item in enumerate(_list(body.get("refund_line_items"), "refund_line_items")):
        item = _obj(item, f"refund_line_items[{i}]")
        lines.append((identifier(item.get("line_item_id"), f"refund_line_items[{i}].line_item_id"),
                      quantity(item.get("quantity"), f"refund_line_items[{i}].quantity")))
    return RefundData(
        external_id=identifier(body.get("id"), "id"),
        order_external_id=identifier(body.get("order_id"), "order_id"),
        refunded_at=moment(body.get("processed_at") or body.get("created_at"), "created_at"),
        amount=total,
        reason=text(body.get("note"), 500),
        lines=lines,
    )


# --- our generic format ------------------------------------------------------------------------

def generic_order(body):
    body = _obj(body, "data")
    lines = []
    for i, item in enumerate(_list(body.get("lines"), "lines")):
        item = _obj(item, f"lines[{i}]")
        lines.append(LineData(
            external_id=identifier(item.get("id", i + 1), f"lines[{i}].id"),
            sku=text(item.get("sku"), 64),
            name=text(item.get("name"), 200),
            quantity=quantity(item.get("quantity"), f"lines[{i}].quantity"),
            unit_price=amount(item.get("unit_price"), f"lines[{i}].unit_price"),
            product_type=text(item.get("product_type"), 64),
        ))
    status = body.get("status", "pending")
    if status not in ("pending", "paid", "cancelled"):
        raise PayloadError(f"status must be pending, paid or cancelled, not {status!r}")
    codes = [text(c, 64) for c in _list(body.get("discount_codes"), "discount_codes")]
    placed_at = moment(body.get("placed_at"), "placed_at")
    return _check_total(OrderData(
        external_id=identifier(body.get("id"), "id"),
        email=normalise_email(body.get("email")),
        placed_at=placed_at,
        currency=currency(body.get("currency")),
        subtotal=amount(body.get("subtotal", body.get("total")), "subtotal"),
        discount_total=amount(body.get("discount_total", "0"), "discount_total"),
        total=amount(body.get("total"), "total"),
        discount_codes=[c for c in codes if c],
        lines=lines,
        paid=status == "paid",
        cancelled_at=(
            moment(body.get("cancelled_at"), "cancelled_at", required=False) or (placed_at if status == "cancelled" else None)
        ),
    ))


def generic_refund(body):
    body = _obj(body, "data")
    lines = []
    for i, item in enumerate(_list(body.get("lines"), "lines")):
        item = _obj(item, f"lines[{i}]")
        lines.append((
            identifier(item.get("line_id"), f"lines[{i}].line_id"),
            quantity(item.get("quantity"), f"lines[{i}].quantity"),
        ))
    return RefundData(
        external_id=identifier(body.get("id"), "id"),
        order_external_id=identifier(body.get("order_id"), "order_id"),
        refunded_at=moment(body.get("refunded_at"), "refunded_at"),
        amount=amount(body.get("amount"), "amount"),
        reason=text(body.get("reason"), 500),
        lines=lines,
    )


PARSERS = {
    "shopify": {"orders": shopify_order, "refunds": shopify_refund},
    "generic": {"orders": generic_order, "refunds": generic_refund},
}


def parse(fmt, topic, body):
    """The normalised OrderData or RefundData for a topic's body, or PayloadError."""
    if topic not in TOPICS:
        raise PayloadError(f"unknown topic {topic!r}; expected one of {', '.join(TOPICS)}")
    return PARSERS[fmt][topic.split("/")[0]](body)
