"""Import orders from a CSV file with one row per order line, applied as the shop's webhook would be.

    manage.py import_orders FILE [--source NAME] [--dry-run] [--no-progress] [--delimiter SEP]

The file is UTF-8 text (with or without a byte-order mark) with a header row. Columns may come in
any order; their names are not case-sensitive. Commas separate cells; a header separated by
semicolons or tabs is recognised too. Rows with the same order_id make one order (they need not
be next to each other); order-wide values may be repeated on each of its rows (they must agree)
or given once.

Required columns:
  order_id         the order's id in the shop, up to 64 characters
  placed_at        ISO 8601 date and time (2026-03-01T14:30:00+01:00; without an offset it is UTC)
                   or a date (2026-03-01)
  email            the customer's e-mail address (trimmed and lower-cased; a member who verified
                   it gets the order)
  currency         an ISO 4217 code: EUR, NOK, HUF, ...
  sku              the line's SKU (linked to the product with that SKU when there is one)
  quantity         a whole number from 1 to 100000
  unit_price       an amount of zero or more with at most two decimals and a dot: 49.00

Optional columns:
  status           pending, paid, cancelled or refunded (default: paid). A refunded order is
                   recorded as paid and then refunded.
  line_id          the line's id in the shop (default: its position within the order: 1, 2, ...)
  name             the line's product name (default: the name of the product with that SKU)
  discount_codes   codes used, separated by spaces or semicolons: "WELCOME10;FRIEND-AB12"
  total            what the customer paid (default: the sum of quantity x unit_price); a total
                   below that sum records the difference as discounts
  refunded_amount  only with status refunded: how much was refunded (default: the whole total);
                   less than the total makes the order partially refunded. It is recorded as one
                   refund with the id "csv-refund", dated placed_at.
  product_type     the product's type ("Shoes"): given to a product with that SKU that has none
                   yet (a type editors set is kept)
Other columns are ignored, with a warning naming them.

Orders get the source "csv" (or --source NAME) and are unique by (source, order_id): importing the
same file again changes nothing, and an order already there keeps its lines and totals (a later
status such as paid or refunded is still applied). Each order is written in its own transaction
and sends the same signals as the webhook (order_paid, order_cancelled, order_refunded), once.
A bad row (bad date, bad e-mail, non-numeric quantity, empty SKU, ...) is reported with its line
number (the header is line 1) and its whole order is skipped; the other orders are imported, and
the command then exits with an error status. A missing required column stops the import before
any row. At the end it prints how many orders were created, updated, unchanged and skipped.
"""

from shop import csv_import

from .import_products import CsvImportCommand


class Command(CsvImportCommand):
    help = __doc__
    noun = "Orders"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--source", default=csv_import.DEFAULT_SOURCE,
                            help=f"the source name the orders are stored under (default: {csv_import.DEFAULT_SOURCE})")

    def run_import(self, path, **kwargs):
        return csv_import.import_orders(path, source=kwargs["source"], dry_run=kwargs["dry_run"],
                                        progress_stream=kwargs["progress_stream"], delimiter=kwargs["delimiter"])
