"""Benchmark: the nightly lifecycle pass (birthdays, win-back, care tips, CSAT and NPS) over many
members and orders on PostgreSQL, and the weekly digest. Prints seconds, e-mails and queries.

Builds a fresh PostgreSQL database (bench_lifecycle, dropped at the end unless --keep), migrates it
and seeds it in bulk: --members members (100,000 by default) with a confirmed address and a random
birthday, 200 products with care guides, and --orders paid orders (1,000,000 by default) of one to
three lines spread over the last two years. Then runs `lifecycle_nightly` on two nights in a row
(the first sends a week's backlog of care tips and surveys, the second only the new day's) and
`lifecycle_weekly`, e-mail to the in-memory backend. The query count depends on the number of
batches of RECIPIENTS (LIFECYCLE_BATCH, 500), never on the number of members: compare two runs of
different --members with the figures it prints per batch.

    .venv/bin/python tests/bench/lifecycle.py [--members 100000] [--orders 1000000] [--keep]

Measured 2026-11-26 (2 shared cores, 100,000 members, 1,000,000 orders, 1.75 M lines): first night
148.5 s, 625 queries, 28,049 e-mails; the same night again 31.3 s, 200 queries, none sent; next
night 49.7 s, 464 queries, 4,173 e-mails.

Needs PostgreSQL (BENCH_PG_SERVER, default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time

import psycopg
from forum_pages import copy_rows
from server import ROOT

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_lifecycle"
PRODUCTS = 200


def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def seed(members, orders, now):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from community.members.models import User
    from shop.models import Order, OrderLine, Product

    rng = random.Random(20261126)
    with transaction.atomic():
        password = make_password("bench-password-123")
        User.objects.bulk_create([
            User(username=f"m{i:06d}", email=f"m{i:06d}@example.com", password=password, display_name=f"Tag {i}",
                 date_joined=now - datetime.timedelta(days=900),
                 birthday=datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365)),
                 language=rng.choice(["", "", "el", "nb", "hu"]))
            for i in range(members)
        ], batch_size=5000)
        ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        Product.objects.bulk_create([
            Product(sku=f"B{i:04d}", name=f"Bench product {i}", slug=f"bench-product-{i}", price="49.00",
                    care_guide="Wash cold, inside out.\n\nDry flat, away from the sun." if i % 3 else "")
            for i in range(PRODUCTS)])
        products = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            copy_rows(raw, EmailAddress, ["user_id", "email", "verified", "primary"],
                      ((pk, f"m{n:06d}@example.com", True, True) for n, pk in enumerate(ids)))
            plan = []

            def order_rows():
                for n in range(orders):
                    member = ids[rng.randrange(len(ids))]
                    at = now - datetime.timedelta(seconds=rng.uniform(0, 2 * 365 * 86400))
                    plan.append(n + 1)
                    yield (n + 1, "bench", f"B{n}", "x@example.com", member, "paid", "49.00", "0", "49.00", "0", "EUR",
                           "[]", at, at, "{}", at, at)

            copy_rows(raw, Order, ["id", "source", "external_id", "email", "member", "status", "subtotal",
                                   "discount_total", "total", "refunded_total", "currency", "discount_codes",
                                   "placed_at", "paid_at", "raw", "created_at", "updated_at"], order_rows())

            def line_rows():
                for order_id in plan:
                    # customers buy in clusters, so co-purchases mean something
                    base = rng.randrange(PRODUCTS)
                    for k in range(rng.choice([1, 1, 2, 3])):
                        product = products[(base + k * 7) % PRODUCTS]
                        yield (order_id, product, str(k + 1), "", "", 1, "49.00", "49.00")

            lines = copy_rows(raw, OrderLine, ["order", "product", "external_id", "sku", "name", "quantity",
                                               "unit_price", "total"], line_rows())
            raw.execute("SELECT setval(pg_get_serial_sequence('shop_order', 'id'), (SELECT max(id) FROM shop_order))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return lines


def measure(label, fn):
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mail.outbox = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    seconds = time.perf_counter() - started
    sent = sum(result.values())
    print(f"  {label:<34}{seconds:>8.1f} s {len(queries):>7,} queries {sent:>8,} e-mails   "
          + ", ".join(f"{k} {v:,}" for k, v in result.items()), flush=True)
    return seconds, len(queries), sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} at the end")
    args = parser.parse_args()
    database_url = f"{PG_SERVER}/{DB_NAME}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.dev", "DATABASE_URL": database_url,
           "DEBUG": "false", "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    try:
        recreate_database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env)
    finally:
        if args.keep:
            print(f"\nkept the database: DATABASE_URL={database_url}")
        else:
            drop_database()


def run(args, env):
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # a line per batch sent: the figures below say it
    from django.test.utils import override_settings
    from django.utils import timezone

    from engagement.lifecycle.app_settings import app_settings
    from engagement.lifecycle.passes import lifecycle_nightly, lifecycle_weekly

    now = timezone.now().replace(hour=3, minute=0, second=0, microsecond=0)
    started = time.perf_counter()
    lines = seed(args.members, args.orders, now)
    print(f"seeded {args.members:,} members, {args.orders:,} orders and {lines:,} order lines in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    print(f"\nnightly lifecycle pass (batches of {app_settings.BATCH}; e-mail to memory, tasks not run):")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        first = measure("first night (a week's backlog)", lambda: lifecycle_nightly(now))
        measure("the same night again (replay)", lambda: lifecycle_nightly(now))
        second = measure("next night (one new day)", lambda: lifecycle_nightly(now + datetime.timedelta(days=1)))
        measure("weekly digest (nobody opted in)", lambda: lifecycle_weekly(now))
    for label, (seconds, queries, sent) in (("first night", first), ("next night", second)):
        if sent:
            print(f"  {label}: {seconds * 1000 / sent:.1f} ms and {queries / sent:.3f} queries per e-mail sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
