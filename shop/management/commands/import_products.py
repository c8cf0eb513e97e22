"""Import products from a CSV file, matched to existing products by SKU.

    manage.py import_products FILE [--dry-run] [--no-progress] [--delimiter SEP]

The file is UTF-8 text (with or without a byte-order mark) with a header row. Columns may come in
any order; their names are not case-sensitive. Commas separate cells; a header separated by
semicolons or tabs (as some spreadsheets save it) is recognised too.

Required columns:
  sku          the product's SKU in the shop, up to 64 characters; each SKU once per file
  name         up to 200 characters, in any script ("Fjord raincoat – ø edition")
  price        an amount of zero or more with at most two decimals and a dot: 49.00
  currency     an ISO 4217 code: EUR, NOK, HUF, ...

Optional columns:
  slug         the address part (/products/<slug>/): letters of any script, digits, hyphens.
               Empty: made from the name for a new product (linen-shirt, linen-shirt-2, ...);
               an existing product keeps its slug, also when its name changes.
  description  plain text. When the column is present, an empty cell clears the description.
  shop_url     the product's http(s) address in the shop; an empty cell clears it.
  active       true/false, 1/0 or yes/no. Empty: true for a new product, unchanged otherwise.
  product_type up to 64 characters ("Shoes"): reviews ask the questions editors set for the
               type. When the column is present, an empty cell clears it.
Other columns are ignored, with a warning naming them.

A row with a new SKU creates a product; a row with a known SKU saves only the fields that differ,
so importing the same file twice changes nothing the second time. A bad row (negative price,
unknown currency, empty SKU, ...) is reported with its line number (the header is line 1) and
skipped; the other rows are imported, and the command then exits with an error status. A missing
required column stops the import before any row. At the end it prints how many products were
created, updated, unchanged and skipped.
"""

import logging
from argparse import RawDescriptionHelpFormatter
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from shop import csv_import


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's ordering of options, with the column list printed as written."""


class ProgressStream:
    """stderr for tqdm: written as is, without the newline and colour OutputWrapper would add."""

    encoding = "utf-8"

    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.write(text, style_func=str, ending="")

    def flush(self):
        self.out.flush()


@contextmanager
def quiet_task_log(verbosity):
    """Below -v 2, hide the task backend's line per task (a search-index update per product saved)."""
    logger = logging.getLogger("django_tasks")
    level = logger.level
    if verbosity < 2:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class CsvImportCommand(BaseCommand):
    """What both CSV imports share: arguments, progress bar, the report and the exit status."""

    noun = "Rows"

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check and report every row, write nothing")
        parser.add_argument("--no-progress", action="store_true",
                            help="no progress bar (there is none anyway when stderr is not a terminal)")
        parser.add_argument("--delimiter", choices=[",", ";", "tab"], metavar="SEP",
                            help="the cell separator: \",\", \";\" or tab (default: guessed from the header)")

    def run_import(self, path, **kwargs):
        raise NotImplementedError

    def handle(self, *args, file, dry_run=False, no_progress=False, delimiter=None, **options):
        stream = None if no_progress or not self.stderr.isatty() else ProgressStream(self.stderr)
        delimiter = "\t" if delimiter == "tab" else delimiter
        try:
            with quiet_task_log(options["verbosity"]):
                result = self.run_import(file, dry_run=dry_run, progress_stream=stream, delimiter=delimiter, **options)
        except csv_import.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if result.ignored_columns:
            self.stderr.write(self.style.WARNING(f"Ignored unknown columns: {', '.join(result.ignored_columns)}"))
        for problem in result.problems:
            self.stderr.write(str(problem))
        self.stdout.write(result.summary(self.noun))
        if not result.ok:
            done = "checked" if dry_run else "imported"
            raise CommandError(f"{len(result.problems)} row(s) with errors (see above); the other rows were {done}.")


class Command(CsvImportCommand):
    help = __doc__
    noun = "Products"

    def run_import(self, path, **kwargs):
        return csv_import.import_products(path, dry_run=kwargs["dry_run"], progress_stream=kwargs["progress_stream"],
                                          delimiter=kwargs["delimiter"])
