"""CSV import of products and orders: same checks and writes as the webhook, line-numbered errors."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shop.models import Order, OrderLine, Product, Refund
from tests.factories import MemberFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS = """sku,name,price,currency,description,active
SHIRT-1,Linen shirt,49.00,EUR,Washed linen.,yes
SOCK-1,Wool socks,12.50,EUR,,true
COAT-1,Fjord raincoat – ø edition,189.00,NOK,Waxed cotton.,0
"""

ORDERS = """order_id,placed_at,email,currency,sku,quantity,unit_price,status,name,discount_codes,total,refunded_amount
1001,2026-03-01T10:00:00Z, Buyer@Example.com ,EUR,SHIRT-1,2,49.00,paid,,WELCOME10;FRIEND-AB12,88.00,
1001,2026-03-01T10:00:00Z,buyer@example.com,EUR,SOCK-1,1,12.50,paid,,WELCOME10 FRIEND-AB12,88.00,
1002,2026-03-02,other@example.com,EUR,SOCK-1,3,12.50,refunded,,,,
1003,2026-03-03T08:00:00+01:00,third@example.com,EUR,SHIRT-1,1,49.00,refunded,,,,20.00
1004,2026-03-04,fourth@example.com,EUR,SHIRT-1,1,49.00,cancelled,,,,
1005,2026-03-05,fifth@example.com,EUR,SOCK-1,1,12.50,pending,,,,
"""


def write(tmp_path, text, name="data.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return str(path)


def run(command, path, *args):
    """(stdout, stderr, error) of a command run; error is the CommandError message or None."""
    out, err = StringIO(), StringIO()
    try:
        call_command(command, path, *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


# --- products ----------------------------------------------------------------------------------

def test_products_are_created(tmp_path):
    out, err, error = run("import_products", write(tmp_path, PRODUCTS))
    assert error is None and err == ""
    assert "Products: 3 created, 0 updated, 0 unchanged, 0 skipped" in out
    shirt = Product.objects.get(sku="SHIRT-1")
    assert (shirt.name, shirt.price, shirt.currency, shirt.slug, shirt.active) == (
        "Linen shirt", Decimal("49.00"), "EUR", "linen-shirt", True)
    assert shirt.description == "Washed linen."
    coat = Product.objects.get(sku="COAT-1")
    assert coat.name == "Fjord raincoat – ø edition" and coat.slug == "fjord-raincoat-ø-edition"
    assert coat.currency == "NOK" and coat.active is False


def test_importing_the_same_products_twice_changes_nothing(tmp_path):
    path = write(tmp_path, PRODUCTS)
    run("import_products", path)
    before = {p.sku: p.updated_at for p in Product.objects.all()}
    out, _err, error = run("import_products", path)
    assert error is None
    assert "Products: 0 created, 0 updated, 3 unchanged, 0 skipped" in out
    assert {p.sku: p.updated_at for p in Product.objects.all()} == before


def test_a_changed_price_updates_only_that_product(tmp_path):
    run("import_products", write(tmp_path, PRODUCTS))
    out, _err, error = run("import_products", write(tmp_path, PRODUCTS.replace("12.50", "14.00")))
    assert error is None
    assert "Products: 0 created, 1 updated, 2 unchanged, 0 skipped" in out
    socks = Product.objects.get(sku="SOCK-1")
    assert socks.price == Decimal("14.00") and socks.slug == "wool-socks"


def test_renaming_keeps_the_slug_and_same_names_get_unique_slugs(tmp_path):
    ProductFactory(sku="OLD", name="Linen shirt", slug="linen-shirt")
    run("import_products", write(tmp_path, "sku,name,price,currency\nA,Linen shirt,1.00,EUR\nB,Linen shirt,2.00,EUR\n"))
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["linen-shirt", "linen-shirt-2", "linen-shirt-3"]
    run("import_products", write(tmp_path, "sku,name,price,currency\nA,Linen shirt II,1.00,EUR\n"))
    assert Product.objects.get(sku="A").slug == "linen-shirt-2"


def test_non_ascii_names_and_a_byte_order_mark(tmp_path):
    text = "SKU,Name,Price,Currency,Slug\nGR-1,Λινό πουκάμισο,59.00,EUR,\nHU-1,Gyapjú zokni,4500.00,HUF,gyapju-zokni\n"
    out, _err, error = run("import_products", write(tmp_path, text, bom=True))
    assert error is None and "2 created" in out
    assert Product.objects.get(sku="GR-1").slug == "λινό-πουκάμισο"
    assert Product.objects.get(sku="HU-1").slug == "gyapju-zokni"


def test_semicolon_separated_file_is_recognised(tmp_path):
    _out, _err, error = run("import_products", write(tmp_path, "sku;name;price;currency\nA;Cap;19.00;EUR\n"))
    assert error is None and Product.objects.get(sku="A").name == "Cap"


def test_a_missing_column_stops_before_any_row(tmp_path):
    _out, _err, error = run("import_products", write(tmp_path, "sku,name\nA,Cap\n"))
    assert error.startswith("missing required columns: price, currency")
    assert "the header has: sku, name" in error
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "row, reason",
    [
        ("BAD,Cap,-5.00,EUR", "price is negative"),
        ("BAD,Cap,lots,EUR", "price is not a number"),
        ("BAD,Cap,5.001,EUR", "price has more than two decimal places"),
        ("BAD,Cap,5.00,XYZ", "unknown currency"),
        (",Cap,5.00,EUR", "sku is missing"),
        ("BAD,,5.00,EUR", "name is missing"),
        ("BAD,Cap,5.00,EUR,maybe", "active must be true/false"),
        ("BAD,Cap,5.00,EUR,yes,not a url", "shop_url is not an http(s) address"),
        ("BAD,Cap,5.00,EUR,yes,,a/b", "slug may hold only"),
        ("BAD,Cap,5.00,EUR,yes,,,extra", "has 8 cells but the header has 7"),
    ],
)
def test_a_bad_product_row_is_reported_with_its_line_and_the_rest_imports(tmp_path, row, reason):
    text = f"sku,name,price,currency,active,shop_url,slug\nOK-1,Shirt,49.00,EUR,,,\n{row}\nOK-2,Socks,9.00,EUR,,,\n"
    out, err, error = run("import_products", write(tmp_path, text))
    assert f"line 3: {reason}" in err
    assert "1 row(s) with errors" in error
    assert "Products: 2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["OK-1", "OK-2"]


def test_a_duplicate_sku_and_a_taken_slug_are_row_errors(tmp_path):
    ProductFactory(sku="X", slug="taken")
    text = "sku,name,price,currency,slug\nA,Cap,1.00,EUR,\nA,Cap again,1.00,EUR,\nB,Hat,1.00,EUR,taken\n"
    _out, err, error = run("import_products", write(tmp_path, text))
    assert "line 3: sku A already appears on line 2" in err
    assert "line 4: slug 'taken' is already used by another product" in err
    assert error and Product.objects.get(sku="A").name == "Cap"


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(tmp_path):
    text = 'sku,name,price,currency,description\nA,Cap,1.00,EUR,"two\nlines"\n\nB,Hat,-1.00,EUR,\n'
    _out, err, _error = run("import_products", write(tmp_path, text))
    assert "line 5: price is negative" in err
    assert Product.objects.get(sku="A").description == "two\nlines"


def test_products_dry_run_writes_nothing(tmp_path):
    ProductFactory(sku="SOCK-1", name="Wool socks", price="10.00")
    out, _err, error = run("import_products", write(tmp_path, PRODUCTS + "BAD,Cap,-1,EUR,,\n"), "--dry-run")
    assert "Dry run, nothing written. Products: 2 created, 1 updated, 0 unchanged, 1 skipped" in out
    assert "the other rows were checked" in error
    assert list(Product.objects.values_list("sku", "price")) == [("SOCK-1", Decimal("10.00"))]


def test_unknown_columns_are_named_in_a_warning(tmp_path):
    _out, err, error = run("import_products", write(tmp_path, "sku,name,price,currency,colour\nA,Cap,1.00,EUR,red\n"))
    assert error is None and "Ignored unknown columns: colour" in err


def test_unreadable_files_are_a_clear_error(tmp_path):
    assert "no such file" in run("import_products", str(tmp_path / "nope.csv"))[2]
    assert "is empty" in run("import_products", write(tmp_path, ""))[2]
    path = tmp_path / "latin1.csv"
    path.write_bytes("sku,name,price,currency\nA,Gyapjú,1.00,EUR\n".encode("latin-1"))
    assert "is not UTF-8" in run("import_products", str(path))[2]


# --- orders ------------------------------------------------------------------------------------

@pytest.fixture
def products(db):
    return ProductFactory(sku="SHIRT-1", name="Linen shirt", price="49.00"), ProductFactory(sku="SOCK-1", name="Wool socks")


def test_orders_are_grouped_paid_refunded_and_cancelled(tmp_path, products, captured_signals,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, err, error = run("import_orders", write(tmp_path, ORDERS))
    assert error is None and err == ""
    assert "Orders: 5 created, 0 updated, 0 unchanged, 0 skipped" in out
    order = Order.objects.get(external_id="1001")
    assert order.source == "csv" and order.email == "buyer@example.com" and order.status == "paid"
    assert order.subtotal == Decimal("110.50") and order.total == Decimal("88.00")
    assert order.discount_total == Decimal("22.50")
    assert order.discount_codes == ["WELCOME10", "FRIEND-AB12"]
    assert order.paid_at == order.placed_at
    lines = list(order.lines.order_by("external_id").values_list("external_id", "sku", "name", "quantity", "total"))
    assert lines == [("1", "SHIRT-1", "Linen shirt", 2, Decimal("98.00")), ("2", "SOCK-1", "Wool socks", 1, Decimal("12.50"))]
    assert order.lines.get(sku="SHIRT-1").product == products[0]
    full = Order.objects.get(external_id="1002")
    assert full.status == "refunded" and full.refunded_total == full.total == Decimal("37.50")
    assert full.refunds.get().external_id == "csv-refund"
    partial = Order.objects.get(external_id="1003")
    assert partial.status == "partially_refunded" and partial.refunded_total == Decimal("20.00")
    assert Order.objects.get(external_id="1004").status == "cancelled"
    assert Order.objects.get(external_id="1005").status == "pending"
    sent = sorted((name, kw["order"].external_id) for name, kw in captured_signals)
    assert sent == [("order_cancelled", "1004"), ("order_paid", "1001"), ("order_paid", "1002"), ("order_paid", "1003"),
                    ("order_refunded", "1002"), ("order_refunded", "1003")]


def test_importing_the_same_orders_twice_changes_nothing_and_signals_once(tmp_path, products, captured_signals,
                                                                          django_capture_on_commit_callbacks):
    path = write(tmp_path, ORDERS)
    with django_capture_on_commit_callbacks(execute=True):
        run("import_orders", path)
    counts = (Order.objects.count(), OrderLine.objects.count(), Refund.objects.count(), len(captured_signals))
    with django_capture_on_commit_callbacks(execute=True):
        out, _err, error = run("import_orders", path)
    assert error is None
    assert "Orders: 0 created, 0 updated, 5 unchanged, 0 skipped" in out
    assert (Order.objects.count(), OrderLine.objects.count(), Refund.objects.count(), len(captured_signals)) == counts
    assert [kw["order"].external_id for name, kw in captured_signals if name == "order_paid"].count("1001") == 1


def test_a_later_file_can_pay_a_pending_order(tmp_path, products, captured_signals, django_capture_on_commit_callbacks):
    head = "order_id,placed_at,email,currency,sku,quantity,unit_price,status\n"
    with django_capture_on_commit_callbacks(execute=True):
        run("import_orders", write(tmp_path, head + "7,2026-03-01,a@example.com,EUR,SOCK-1,1,12.50,pending\n"))
        out, _err, _error = run("import_orders", write(tmp_path, head + "7,2026-03-01,a@example.com,EUR,SOCK-1,1,12.50,paid\n"))
    assert "Orders: 0 created, 1 updated, 0 unchanged" in out
    assert Order.objects.get().status == "paid"
    assert [name for name, _ in captured_signals] == ["order_paid"]


def test_orders_match_verified_members_and_use_the_source_option(tmp_path, products, django_capture_on_commit_callbacks):
    member = MemberFactory(email="buyer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        run("import_orders", write(tmp_path, ORDERS), "--source", "old-shop")
    order = Order.objects.get(external_id="1001")
    assert order.source == "old-shop" and order.member == member
    assert Order.objects.get(external_id="1002").member is None


def test_a_missing_order_column_stops_before_any_row(tmp_path):
    _out, _err, error = run("import_orders", write(tmp_path, "order_id,email,sku,quantity\n1,a@example.com,A,1\n"))
    assert error.startswith("missing required columns: placed_at, currency, unit_price")
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "row, reason",
    [
        ("9,2026-03-01,a@example.com,EUR,SOCK-1,1,-12.50", "unit_price is negative"),
        ("9,2026-03-01,a@example.com,XYZ,SOCK-1,1,12.50", "unknown currency"),
        ("9,2026-03-01,a@example.com,EUR,SOCK-1,two,12.50", "quantity is not a whole number"),
        ("9,2026-03-01,a@example.com,EUR,SOCK-1,0,12.50", "quantity must be between 1 and 100000"),
        ("9,yesterday,a@example.com,EUR,SOCK-1,1,12.50", "placed_at is not a date and time"),
        ("9,2026-03-01,not-an-email,EUR,SOCK-1,1,12.50", "'not-an-email' is not an e-mail address"),
        ("9,2026-03-01,a@example.com,EUR,,1,12.50", "sku is missing"),
        ("9,2026-03-01,a@example.com,EUR,SOCK-1,1,12.50,shipped", "status must be one of pending, paid, cancelled, refunded"),
        ("9,2026-03-01,b@example.com,EUR,SOCK-1,1,12.50", "email 'b@example.com' differs from line 2"),
    ],
)
def test_a_bad_order_row_skips_its_whole_order_and_the_rest_imports(tmp_path, products, row, reason):
    text = (
        "order_id,placed_at,email,currency,sku,quantity,unit_price,status\n"
        "9,2026-03-01,a@example.com,EUR,SHIRT-1,1,49.00\n"
        "10,2026-03-01,c@example.com,EUR,SHIRT-1,1,49.00\n"
        f"{row}\n"
        "11,2026-03-02,d@example.com,EUR,SOCK-1,2,12.50\n"
    )
    out, err, error = run("import_orders", write(tmp_path, text))
    assert f"line 4: order 9: {reason}" in err
    assert "(all lines of this order skipped: 2, 4)" in err
    assert "1 row(s) with errors" in error
    assert "Orders: 2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["10", "11"]
    assert OrderLine.objects.count() == 2


def test_every_bad_row_is_reported_and_a_missing_order_id_alone_is_skipped(tmp_path, products):
    text = (
        "order_id,placed_at,email,currency,sku,quantity,unit_price\n"
        "1,2026-03-01,a@example.com,EUR,SHIRT-1,x,49.00\n"
        ",2026-03-01,a@example.com,EUR,SHIRT-1,1,49.00\n"
        "2,2026-13-45,b@example.com,EUR,SHIRT-1,1,49.00\n"
        "3,2026-03-01,c@example.com,EUR,SHIRT-1,1,49.00\n"
    )
    out, err, error = run("import_orders", write(tmp_path, text))
    assert [line.split(":")[0] for line in err.splitlines()] == ["line 2", "line 3", "line 4"]
    assert "line 3: order_id is missing" in err
    assert "3 row(s) with errors" in error
    assert "Orders: 1 created, 0 updated, 0 unchanged, 3 skipped" in out


def test_refunds_beyond_the_total_and_refund_amounts_without_refunded_status_are_refused(tmp_path, products):
    text = (
        "order_id,placed_at,email,currency,sku,quantity,unit_price,status,refunded_amount\n"
        "1,2026-03-01,a@example.com,EUR,SHIRT-1,1,49.00,refunded,50.00\n"
        "2,2026-03-01,a@example.com,EUR,SHIRT-1,1,49.00,paid,10.00\n"
    )
    _out, err, error = run("import_orders", write(tmp_path, text))
    assert "line 2: order 1: refunded_amount 50.00 is more than the total 49.00" in err
    assert "line 3: order 2: refunded_amount is given but status is paid" in err
    assert error and not Order.objects.exists()


def test_lines_of_one_order_need_not_be_adjacent_and_line_ids_are_kept(tmp_path, products):
    text = (
        "order_id,placed_at,email,currency,sku,quantity,unit_price,line_id\n"
        "1,2026-03-01,a@example.com,EUR,SHIRT-1,1,49.00,L-9\n"
        "2,2026-03-01,b@example.com,EUR,SHIRT-1,1,49.00,\n"
        "1,,,,SOCK-1,2,12.50,L-10\n"
    )
    out, _err, error = run("import_orders", write(tmp_path, text))
    assert error is None and "2 created" in out
    order = Order.objects.get(external_id="1")
    assert sorted(order.lines.values_list("external_id", flat=True)) == ["L-10", "L-9"]
    assert order.total == Decimal("74.00")


def test_orders_dry_run_writes_nothing_and_sends_nothing(tmp_path, products, captured_signals,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, _err, error = run("import_orders", write(tmp_path, ORDERS), "--dry-run")
    assert error is None
    assert "Dry run, nothing written. Orders: 5 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert not Order.objects.exists() and not Refund.objects.exists()
    assert captured_signals == []


def test_orders_with_non_ascii_and_a_byte_order_mark(tmp_path, products):
    text = ("order_id,placed_at,email,currency,sku,quantity,unit_price,name\n"
            "Ø-1,2026-03-01,Asne@Fjordmøte.no,NOK,COAT-X,1,1890.00,Fjord raincoat – ø edition\n")
    out, _err, error = run("import_orders", write(tmp_path, text, bom=True))
    assert error is None and "1 created" in out
    order = Order.objects.get(external_id="Ø-1")
    assert order.email == "asne@fjordmøte.no" and order.lines.get().name == "Fjord raincoat – ø edition"
