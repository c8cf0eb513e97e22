"""Products and orders from a CSV file: the spreadsheet twin of the webhook.

Every value goes through the same checks as a webhook payload (shop.payloads) and every order through
the same writes (shop.services), so an imported order is stored, matched to a member and signalled
exactly as a delivered one would be. A bad row is reported with its line number and skipped; the
other rows are still imported. Importing the same file again changes nothing.

The management commands `import_products` and `import_orders` are thin wrappers around
`import_products()` and `import_orders()` here; their --help documents the columns.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_unicode_slug
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from . import payloads, services
from .models import Order, Product, Refund

PRODUCT_REQUIRED = ("sku", "name", "price", "currency")
PRODUCT_OPTIONAL = ("slug", "description", "shop_url", "active", "product_type")
ORDER_REQUIRED = ("order_id", "placed_at", "email", "currency", "sku", "quantity", "unit_price")
ORDER_OPTIONAL = ("status", "line_id", "name", "discount_codes", "total", "refunded_amount", "product_type")
ORDER_STATUSES = ("pending", "paid", "cancelled", "refunded")
CSV_REFUND_ID = "csv-refund"
DEFAULT_SOURCE = "csv"

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
SLUG_MAX = Product._meta.get_field("slug").max_length
NAME_MAX = Product._meta.get_field("name").max_length
URL_MAX = Product._meta.get_field("shop_url").max_length
TYPE_MAX = Product._meta.get_field("product_type").max_length
SOURCE_MAX = Order._meta.get_field("source").max_length


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, missing columns). Nothing was read."""


class RowError(ValueError):
    """One row cannot be imported; the message says why."""


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import did. For products each count is rows; for orders it is orders (of one or more rows)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def summary(self, noun):
        prefix = "Dry run, nothing written. " if self.dry_run else ""
        return (f"{prefix}{noun}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.skipped} skipped (errors).")


@dataclass
class Row:
    line: int  # the line in the file where the row starts; the header is line 1
    values: dict  # column name -> stripped text ("" when the cell is empty or absent)
    error: str = ""  # why the row cannot be used, when the CSV itself is broken there

    def get(self, column):
        return self.values.get(column, "")


# --- reading the file --------------------------------------------------------------------------

def read_rows(path, required, optional, delimiter=None):
    """(rows, problems, ignored column names) of a UTF-8 CSV file (a BOM is fine) with a header row.

    Raises ImportFileError before any row is used when the file cannot be read or a required column
    is missing. Blank lines are skipped; a row with more cells than the header comes back with its
    `error` set, so that the caller can skip what belongs with it; a row the csv module cannot parse
    ends the reading with a Problem.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"no such file: {path}") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded); "
                              "save it as CSV UTF-8") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    known = set(required) | set(optional)
    if delimiter is None:
        delimiter = _guess_delimiter(text, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path} is empty: expected a header row with the columns {', '.join(required)}") from None
    except csv.Error as exc:
        raise ImportFileError(f"the header row cannot be read: {exc}") from None
    columns = [name.strip().lower() for name in header]
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise ImportFileError(f"columns appear more than once in the header: {', '.join(duplicated)}")
    missing = [name for name in required if name not in columns]
    if missing:
        found = ", ".join(name for name in columns if name) or "nothing"
        raise ImportFileError(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                              f"(the header has: {found}); nothing was imported")
    ignored = [name for name in columns if name and name not in known]
    rows, problems = [], []
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(start, f"cannot be read as CSV ({exc}); the rest of the file was not read"))
            break  # the csv module cannot resynchronise after a broken quote
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        error = ""
        if len(cells) > len(columns):
            error = f"has {len(cells)} cells but the header has {len(columns)} columns (an unquoted comma?)"
        cells += [""] * (len(columns) - len(cells))  # a short row: its last cells are empty
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=False) if name in known}
        rows.append(Row(start, values, error))
    return rows, problems, ignored


def _guess_delimiter(text, known):
    """The delimiter that splits the header into the most known column names (Excel in much of Europe uses ;)."""
    header = text.split("\n", 1)[0]
    best, best_hits = ",", 0
    for candidate in (",", ";", "\t"):
        hits = sum(1 for name in header.split(candidate) if name.strip().strip('"').lower() in known)
        if hits > best_hits:
            best, best_hits = candidate, hits
    return best


class _Progress:
    """A tqdm bar over the rows, or nothing."""

    def __init__(self, total, desc, stream):
        self.bar = None
        if stream is not None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="row", file=stream, leave=False, dynamic_ncols=True)

    def update(self, n=1):
        if self.bar is not None:
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _run(dry_run, work):
    """Run work(), inside a transaction rolled back at the end when dry_run."""
    if not dry_run:
        return work()
    with transaction.atomic():
        result = work()
        transaction.set_rollback(True)  # nothing is written, and no on_commit callback (signal) runs
    return result


# --- field checks ------------------------------------------------------------------------------

def _check(check, *args):
    try:
        return check(*args)
    except payloads.PayloadError as exc:
        raise RowError(str(exc)) from None


def _required_text(value, name, limit):
    if not value:
        raise RowError(f"{name} is missing")
    if len(value) > limit:
        raise RowError(f"{name} is longer than {limit} characters")
    return value


def _boolean(value, name):
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError(f"{name} must be true/false, 1/0 or yes/no, not {value!r}")


def _url(value):
    if len(value) > URL_MAX:
        raise RowError(f"shop_url is longer than {URL_MAX} characters")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise RowError(f"shop_url is not an http(s) address: {value!r}") from None
    return value


def _slug(value):
    if len(value) > SLUG_MAX:
        raise RowError(f"slug is longer than {SLUG_MAX} characters")
    try:
        validate_unicode_slug(value)
    except ValidationError:
        raise RowError(f"slug may hold only letters, digits, hyphens and underscores: {value!r}") from None
    return value


def unique_slug(text, exclude_pk=None):
    """A product slug made from text (any script), not used by another product: linen-shirt, linen-shirt-2, ..."""
    base = slugify(text, allow_unicode=True)[:SLUG_MAX].strip("-") or "product"
    taken = Product.objects.exclude(pk=exclude_pk)
    candidate, n = base, 1
    while taken.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


# --- products ----------------------------------------------------------------------------------

def _product_fields(row):
    """The checked values a row sets. Optional columns left empty are not included (except description
    and shop_url, where an empty cell clears the value when the column is in the file)."""
    fields = {
        "sku": _check(payloads.identifier, row.get("sku"), "sku"),
        "name": _required_text(row.get("name"), "name", NAME_MAX),
        "price": _check(payloads.amount, row.get("price"), "price"),
        "currency": _check(payloads.currency, row.get("currency")),
    }
    if "description" in row.values:
        fields["description"] = row.get("description")
    if "shop_url" in row.values:
        fields["shop_url"] = _url(row.get("shop_url")) if row.get("shop_url") else ""
    if row.get("active"):
        fields["active"] = _boolean(row.get("active"), "active")
    if row.get("slug"):
        fields["slug"] = _slug(row.get("slug"))
    if "product_type" in row.values:
        fields["product_type"] = _check(payloads.text, row.get("product_type"), TYPE_MAX)
    return fields


def _product_apply(fields, existing):
    """Create or update one product. Returns "created", "updated" or "unchanged"."""
    product = existing.get(fields["sku"])
    wanted_slug = fields.pop("slug", None)
    if wanted_slug and Product.objects.filter(slug=wanted_slug).exclude(pk=getattr(product, "pk", None)).exists():
        raise RowError(f"slug {wanted_slug!r} is already used by another product")
    if product is None:
        product = Product(**fields, slug=wanted_slug or unique_slug(fields["name"]))
        product.full_clean(validate_unique=False)
        product.save()
        existing[product.sku] = product
        return "created"
    if wanted_slug:
        fields["slug"] = wanted_slug
    changed = [name for name, value in fields.items() if getattr(product, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(product, name, fields[name])
    product.save(update_fields=[*changed, "updated_at"])
    return "updated"


def import_products(path, *, dry_run=False, progress_stream=None, delimiter=None):
    """Create or update products from a CSV file, one per row, matched by SKU. Returns an ImportResult.

    Raises ImportFileError (nothing imported) when the file or its header is unusable.
    """
    rows, problems, ignored = read_rows(path, PRODUCT_REQUIRED, PRODUCT_OPTIONAL, delimiter)
    result = ImportResult(problems=problems, ignored_columns=ignored, dry_run=dry_run, skipped=len(problems))

    def work():
        skus = [row.get("sku") for row in rows if row.get("sku")]
        existing = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
        first_line = {}
        bar = _Progress(len(rows), "products", progress_stream)
        try:
            for row in rows:
                try:
                    if row.error:
                        raise RowError(row.error)
                    fields = _product_fields(row)
                    if fields["sku"] in first_line:
                        raise RowError(f"sku {fields['sku']} already appears on line {first_line[fields['sku']]}")
                    first_line[fields["sku"]] = row.line
                    with transaction.atomic():
                        outcome = _product_apply(fields, existing)
                except RowError as exc:
                    result.problems.append(Problem(row.line, str(exc)))
                    result.skipped += 1
                except (ValidationError, DatabaseError) as exc:
                    result.problems.append(Problem(row.line, _describe(exc)))
                    result.skipped += 1
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
                bar.update()
        finally:
            bar.close()
        return result

    _run(dry_run, work)
    result.problems.sort(key=lambda p: p.line)
    return result


def _describe(exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return f"the database refused it: {exc}".strip()


# --- orders ------------------------------------------------------------------------------------

@dataclass
class _OrderRows:
    external_id: str
    rows: list = field(default_factory=list)


def _split_codes(value):
    return [payloads.text(code, 64) for code in re.split(r"[;\s]+", value) if code]


ORDER_LEVEL = ("placed_at", "email", "currency", "status", "discount_codes", "total", "refunded_amount")


def _order_level(row):
    """The order-wide values a row states (only its non-empty cells), checked."""
    checks = {
        "placed_at": lambda v: _check(payloads.moment, v, "placed_at"),
        "email": lambda v: _check(payloads.normalise_email, v),
        "currency": lambda v: _check(payloads.currency, v),
        "status": _status,
        "discount_codes": _split_codes,
        "total": lambda v: _check(payloads.amount, v, "total"),
        "refunded_amount": lambda v: _check(payloads.amount, v, "refunded_amount"),
    }
    return {name: checks[name](row.get(name)) for name in ORDER_LEVEL if row.get(name)}


def _status(value):
    status = value.lower()
    if status not in ORDER_STATUSES:
        raise RowError(f"status must be one of {', '.join(ORDER_STATUSES)}, not {value!r}")
    return status


def _line(row, position):
    unit_price = _check(payloads.amount, row.get("unit_price"), "unit_price")
    quantity = _check(payloads.quantity, row.get("quantity"), "quantity")
    if unit_price * quantity > payloads.MAX_AMOUNT:
        raise RowError("quantity × unit_price is too large")
    return payloads.LineData(
        external_id=_check(payloads.identifier, row.get("line_id") or str(position), "line_id"),
        sku=_check(payloads.identifier, row.get("sku"), "sku"),
        name=payloads.text(row.get("name"), NAME_MAX),
        quantity=quantity,
        unit_price=unit_price,
        product_type=payloads.text(row.get("product_type"), TYPE_MAX),
    )


def _order_data(group):
    """(OrderData, status, refund amount or None, problems) for the rows of one order."""
    problems, values, lines, seen_line_ids = [], {}, [], {}
    for position, row in enumerate(group.rows, start=1):
        try:
            if row.error:
                raise RowError(row.error)
            stated = _order_level(row)
            for name, value in stated.items():
                if name in values and values[name][0] != value:
                    raise RowError(f"{name} {row.get(name)!r} differs from line {values[name][1]} of the same order")
                values.setdefault(name, (value, row.line))
            line = _line(row, position)
            if line.external_id in seen_line_ids:
                raise RowError(f"line_id {line.external_id} already appears on line {seen_line_ids[line.external_id]}")
            seen_line_ids[line.external_id] = row.line
            lines.append(line)
        except RowError as exc:
            problems.append(Problem(row.line, f"order {group.external_id}: {exc}"))
    first = group.rows[0].line
    for name in ("placed_at", "email", "currency"):
        if name not in values and not problems:
            problems.append(Problem(first, f"order {group.external_id}: {name} is missing"))
    if problems:
        return None, None, None, problems
    get = {name: value for name, (value, _line_no) in values.items()}
    status = get.get("status", "paid")
    subtotal = sum((line.total for line in lines), Decimal("0.00"))
    if subtotal > payloads.MAX_AMOUNT:
        return None, None, None, [Problem(first, f"order {group.external_id}: the lines add up to more than "
                                                 f"{payloads.MAX_AMOUNT}")]
    total = get.get("total", subtotal)
    refund = get.get("refunded_amount")
    if refund is not None and status != "refunded":
        problem = f"order {group.external_id}: refunded_amount is given but status is {status}, not refunded"
        return None, None, None, [Problem(values["refunded_amount"][1], problem)]
    if status == "refunded":
        refund = total if refund is None else refund
        if not refund:
            line = values.get("refunded_amount", values["status"])[1]
            return None, None, None, [Problem(line, f"order {group.external_id}: a refunded order needs an amount above 0")]
        if refund > total:
            problem = f"order {group.external_id}: refunded_amount {refund} is more than the total {total}"
            return None, None, None, [Problem(values["refunded_amount"][1], problem)]
    placed_at = get["placed_at"]
    data = payloads.OrderData(
        external_id=group.external_id,
        email=get["email"],
        placed_at=placed_at,
        currency=get["currency"],
        subtotal=subtotal,
        discount_total=max(subtotal - total, Decimal("0.00")),
        total=total,
        discount_codes=get.get("discount_codes", []),
        lines=lines,
        paid=status in ("paid", "refunded"),
        cancelled_at=placed_at if status == "cancelled" else None,
    )
    return data, status, refund, []


def _raw(group):
    return {"csv": [{"line": row.line, **row.values} for row in group.rows]}


def _order_apply(source, data, status, refund_amount, raw):
    """Write one order as the webhook would. Returns "created", "updated" or "unchanged"."""
    known = Order.objects.filter(source=source, external_id=data.external_id).exists()
    order = services.order_upsert(source, data, raw=raw)  # locked until the transaction ends
    changed = not known
    if data.paid:
        changed |= services.order_mark_paid(order, paid_at=data.placed_at)
    if data.cancelled_at:
        changed |= services.order_cancel(order, data.cancelled_at)
    if status == "refunded" and not Refund.objects.filter(order=order, external_id=CSV_REFUND_ID).exists():
        services.refund_record(source, payloads.RefundData(
            external_id=CSV_REFUND_ID, order_external_id=data.external_id, refunded_at=data.placed_at,
            amount=refund_amount, reason="imported from CSV",
        ))
        changed = True
    if not known:
        return "created"
    return "updated" if changed else "unchanged"


def import_orders(path, *, source=DEFAULT_SOURCE, dry_run=False, progress_stream=None, delimiter=None):
    """Create orders (with lines, payment, cancellation, refund) from a CSV file of order lines.

    Rows are grouped by order_id; each order is written in its own transaction, and an order with any
    bad row is skipped as a whole. Returns an ImportResult counting orders. Raises ImportFileError
    (nothing imported) when the file or its header is unusable.
    """
    source = (source or "").strip()
    if not source or len(source) > SOURCE_MAX:
        raise ImportFileError(f"the source name must be 1 to {SOURCE_MAX} characters")
    rows, problems, ignored = read_rows(path, ORDER_REQUIRED, ORDER_OPTIONAL, delimiter)
    result = ImportResult(problems=problems, ignored_columns=ignored, dry_run=dry_run, skipped=len(problems))
    groups = {}
    for row in rows:
        try:
            external_id = _check(payloads.identifier, row.get("order_id"), "order_id")
        except RowError as exc:
            result.problems.append(Problem(row.line, str(exc)))
            result.skipped += 1
            continue
        groups.setdefault(external_id, _OrderRows(external_id)).rows.append(row)

    def work():
        bar = _Progress(sum(len(g.rows) for g in groups.values()), "orders", progress_stream)
        try:
            for group in groups.values():
                outcome = _import_one_order(source, group, result)
                if outcome:
                    setattr(result, outcome, getattr(result, outcome) + 1)
                else:
                    result.skipped += 1
                bar.update(len(group.rows))
        finally:
            bar.close()

    _run(dry_run, work)
    result.problems.sort(key=lambda p: p.line)
    return result


def _import_one_order(source, group, result):
    data, status, refund_amount, problems = _order_data(group)
    if problems:
        lines = ", ".join(str(row.line) for row in group.rows)
        if len(group.rows) > 1:
            problems[0].message += f" (all lines of this order skipped: {lines})"
        result.problems.extend(problems)
        return None
    try:
        with transaction.atomic():
            return _order_apply(source, data, status, refund_amount, _raw(group))
    except services.ProcessingError as exc:
        result.problems.append(Problem(group.rows[0].line, f"order {group.external_id}: {exc}"))
    except DatabaseError as exc:
        result.problems.append(Problem(group.rows[0].line, f"order {group.external_id}: {_describe(exc)}"))
    return None

