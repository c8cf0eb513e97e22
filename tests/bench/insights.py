"""Benchmark: the Insights pages (issue 19) on PostgreSQL with 1,000,000 orders from 100,000
customers over three years, cold (figures computed) and cached.

Seeding takes minutes, so the seeded database is kept as a template (bc_insights_bench_seed, or
$BENCH_INSIGHTS_DB_seed) and reused while --customers and --orders stay the same: each run copies
it to bc_insights_bench, applies the migrations newer than the template (timed: a backfill shows
here), measures, and drops the copy unless --keep. The template is migrated and seeded with COPY:
--customers customers (70 % members, 30 % guests), --orders orders spread over the last three
years (about 10 % partly or fully refunded, 3 % cancelled), and forum likes from a third of the
members (the community activity of the split); COPY sends no signals, so the per-order facts are
then rebuilt (timed). Each page is requested in-process through Django's test client as a
superuser: once with an empty cache (cold: the SQL aggregates run) and five times cached; prints
the times, the SQL time alone of each selector, and the machine's load average (it is shared).

    .venv/bin/python tests/bench/insights.py [--customers 100000] [--orders 1000000] [--keep] [--reuse] [--reseed]

Needs PostgreSQL (BENCH_PG_SERVER, default postgres://postgres@127.0.0.1:5432) and Redis
(database 13 is emptied; BENCH_REDIS_URL). Targets (issue 19): cold <= 2 s, cached <= 100 ms.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal

import psycopg
from forum_pages import copy_rows
from server import ROOT

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_INSIGHTS_DB", "bc_insights_bench")
SEED_DB = f"{DB_NAME}_seed"  # the seeded template, kept between runs
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def _admin(*statements):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def seed_comment():
    """What the seeded template holds ("customers=…,orders=…"), or None when there is none."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           [SEED_DB]).fetchone()
    return None if row is None else (row[0] or "")


def drop_database():
    _admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def seed(customers, orders):
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from community.forum.models import Category, Post, PostLike, Topic
    from community.members.models import User
    from shop.models import Order

    rng = random.Random(19)
    now = timezone.now()
    start = now - datetime.timedelta(days=3 * 365)
    members = int(customers * 0.7)
    password = make_password("bench-password-123")
    with transaction.atomic(), connection.cursor() as cursor:
        copy_rows(cursor.cursor, User, ["username", "email", "password", "is_active", "is_staff", "is_superuser",
                                        "first_name", "last_name", "display_name", "bio", "date_joined",
                                        "avatar", "avatar_renditions", "language"],
                  ((f"c{i}", f"c{i}@bench.example", password, True, False, False, "", "", f"C {i}", "",
                    start + datetime.timedelta(days=rng.uniform(0, 3 * 365)), "", "{}", "") for i in range(members)))
        User.objects.create_superuser("bench-admin", "admin@bench.example", "bench-password-123")
        first_id = User.objects.filter(username="c0").values_list("pk", flat=True).get()
        # orders: each customer gets a share drawn from a skewed distribution
        weights = [rng.paretovariate(1.5) for _ in range(customers)]
        total_weight = sum(weights)
        counts = [max(1, round(w / total_weight * orders)) for w in weights]

        def order_rows():
            n = 0
            for c, count in enumerate(counts):
                member = first_id + c if c < members else None
                email = f"c{c}@bench.example"
                for _k in range(count):
                    n += 1
                    placed = start + datetime.timedelta(seconds=rng.uniform(0, 3 * 365 * 86400))
                    total = Decimal(rng.randint(1500, 30000)) / 100
                    roll = rng.random()
                    status, refunded = "paid", Decimal("0")
                    if roll < 0.04:
                        status, refunded = "refunded", total
                    elif roll < 0.10:
                        status, refunded = "partially_refunded", (total * Decimal("0.3")).quantize(Decimal("0.01"))
                    elif roll < 0.13:
                        status = "cancelled"
                    yield ("bench", f"o{n}", email, member, status, total, Decimal("0"), total, refunded, "EUR", "[]",
                           placed, placed, "{}", now, now)

        written = copy_rows(cursor.cursor, Order, [
            "source", "external_id", "email", "member_id", "status", "subtotal", "discount_total", "total",
            "refunded_total", "currency", "discount_codes", "placed_at", "paid_at", "raw", "created_at", "updated_at"],
            order_rows())
        admin = User.objects.get(username="bench-admin")
        category = Category.objects.create(slug="bench", name="Bench")
        topics = Topic.objects.bulk_create([Topic(category=category, title=f"T{i}", slug=f"t{i}", author=admin,
                                                  created_at=start, last_posted_at=start) for i in range(200)])
        posts = Post.objects.bulk_create([Post(topic=t, number=1, author=admin, body="b", body_html="<p>b</p>",
                                               created_at=start) for t in topics])
        likes = copy_rows(cursor.cursor, PostLike, ["post_id", "member_id", "created_at"], (
            (rng.choice(posts).pk, first_id + m, start + datetime.timedelta(days=rng.uniform(0, 3 * 365)))
            for m in range(0, members, 3)))
        cursor.execute("ANALYZE")
    return written, likes


def timed(fn, cpu=False):
    """Seconds fn() took (wall); with cpu, (wall, CPU time of this process): on a shared machine
    the wall time of a cached page is mostly waiting for a CPU, its CPU time is not."""
    started, started_cpu = time.perf_counter(), time.process_time()
    fn()
    wall = time.perf_counter() - started
    return (wall, time.process_time() - started_cpu) if cpu else wall


def _env(database):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.dev", "DATABASE_URL": f"{PG_SERVER}/{database}",
            "REDIS_URL": REDIS_URL, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PYTHONUNBUFFERED": "1"}


def _django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed_template(args):
    """Build SEED_DB: migrate and seed it (in a child process, so this one can connect elsewhere)."""
    _admin(f'DROP DATABASE IF EXISTS "{SEED_DB}" WITH (FORCE)', f'CREATE DATABASE "{SEED_DB}"')
    env = _env(SEED_DB)
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"migrated the template in {time.perf_counter() - started:.1f} s", flush=True)
    subprocess.run([sys.executable, __file__, "--seed-into", SEED_DB, "--customers", str(args.customers),
                    "--orders", str(args.orders)], cwd=ROOT, env=env, check=True)
    _admin(f"COMMENT ON DATABASE \"{SEED_DB}\" IS 'customers={args.customers},orders={args.orders}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} at the end")
    parser.add_argument("--reuse", action="store_true", help=f"measure the database {DB_NAME} kept by --keep as it is")
    parser.add_argument("--reseed", action="store_true", help=f"seed the template {SEED_DB} again")
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into:
        _django(_env(args.seed_into))
        return seed_and_facts(args)
    if args.reuse:
        return run(_env(DB_NAME))
    try:
        wanted = f"customers={args.customers},orders={args.orders}"
        if args.reseed or seed_comment() != wanted:
            seed_template(args)
        else:
            print(f"reusing the seeded template {SEED_DB} ({wanted})", flush=True)
        started = time.perf_counter()
        _admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)', f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{SEED_DB}"')
        print(f"copied the template in {time.perf_counter() - started:.1f} s", flush=True)
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    env = _env(DB_NAME)
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        print(f"migrations newer than the template in {time.perf_counter() - started:.1f} s", flush=True)
        return run(env)
    finally:
        if args.keep:
            print(f"\nkept the database: DATABASE_URL={env['DATABASE_URL']} REDIS_URL={REDIS_URL}")
        else:
            drop_database()


def seed_and_facts(args):
    started = time.perf_counter()
    written, likes = seed(args.customers, args.orders)
    print(f"seeded {args.customers:,} customers, {written:,} orders and {likes:,} forum likes "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    from insights.facts import facts_rebuild

    started = time.perf_counter()
    rows, _corrected = facts_rebuild()
    print(f"built {rows:,} order facts in {time.perf_counter() - started:.1f} s", flush=True)


def run(env):
    _django(env)
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from community.members.models import User
    from insights import periods, selectors

    print(f"load average: {_load()}", flush=True)
    year = periods.Range.last_months(12)
    three = periods.Range.last_months(36)
    print("\nSQL alone (selectors, no cache):")
    for label, fn in [
        ("retention, 12 months", lambda: selectors.retention(year)),
        ("retention, 36 months", lambda: selectors.retention(three)),
        ("retention, 12 quarters", lambda: selectors.retention(three, periods.QUARTER)),
        ("cohorts, 12 months", lambda: selectors.cohorts(year)),
        ("community effect, 3 months", lambda: selectors.community_effect(periods.Range.last_months(3))),
        ("engagement, 12 months", lambda: selectors.engagement(year)),
    ]:
        print(f"  {label:<34}{timed(fn):>8.2f} s", flush=True)
    client = Client(HTTP_HOST="testserver")
    client.force_login(User.objects.get(username="bench-admin"))
    print("\npages (test client, superuser):            cold      cached, median of 5: wall and CPU of this process")
    for name in ["insights_retention:index", "insights_cohorts:index", "insights_community:index",
                 "insights_engagement:index", "wagtailadmin_home"]:
        url = reverse(name)
        cache.clear()
        client.force_login(User.objects.get(username="bench-admin"))
        cold = timed(lambda url=url: _ok(client.get(url)))
        warm = [timed(lambda url=url: _ok(client.get(url)), cpu=True) for _ in range(5)]
        wall = statistics.median(w for w, _c in warm)
        cpu = statistics.median(c for _w, c in warm)
        print(f"  {url:<40}{cold:>8.2f} s {wall * 1000:>8.1f} ms {cpu * 1000:>8.1f} ms", flush=True)
    print(f"load average: {_load()}", flush=True)
    from insights.warm import figures_warm

    cache.clear()
    started = time.perf_counter()
    figures_warm()
    print(f"\nmanage.py insights_warm (the nightly precompute of every default page): "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    client.force_login(User.objects.get(username="bench-admin"))
    for name in ["insights_retention:index", "insights_community:index", "wagtailadmin_home"]:
        url = reverse(name)
        first = timed(lambda url=url: _ok(client.get(url)))
        print(f"  first visit after it: {url:<34}{first * 1000:>8.1f} ms", flush=True)


def _load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


def _ok(response):
    if response.status_code != 200:
        raise SystemExit(f"answered {response.status_code}")


if __name__ == "__main__":
    main()
