"""Benchmark: a product page with many reviews on PostgreSQL + Redis against a one-line Django view,
with wrk, on gunicorn; and how long the rating aggregate takes to move after a new review.

Builds a fresh PostgreSQL database (dropped and recreated each run), migrates it, and seeds it in
bulk (COPY) with 2,000 members, 1,000 products and 200,000 published reviews (a tenth with a photo
row, half from verified buyers, answers to one question), one product having exactly 2,000 of them;
the ProductRating aggregates are computed by `product_rating_recount` (the reviews_recount code).
Serves it twice with gunicorn (dev settings, DEBUG off, Redis as the shared cache): once with the
anonymous page cache on (PAGE_CACHE_SECONDS=600) and once with it off, and measures with wrk the
ceiling (a view returning "ok" through the whole middleware stack), the big product's page and a
filtered page of it (4 stars, with photos), anonymously. Then writes reviews of the big product
through the services and times the write (its transaction moves the aggregate) and the time until
an anonymous GET of the page (page cache on) shows the new count.

    .venv/bin/python tests/bench/review_pages.py [--seconds 10] [--connections 16] [--workers 2]
        [--products 1000] [--reviews 200000] [--big 2000] [--keep]

Target: the anonymous product page (cache on) at 80% of the ceiling or more; the cache-off figure
is printed beside it. Needs wrk, PostgreSQL (trust auth for `postgres` on 127.0.0.1:5432) and
Redis (database 12 is emptied). Exits non-zero only when a response was not 2xx.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import timedelta

import psycopg
import requests
from server import ROOT, gunicorn, parse_wrk

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_reviews"
REDIS_URL = "redis://127.0.0.1:6379/12"
MEMBERS = 2_000
TARGET = 0.80
TITLES = ["Lovely linen", "Runs a little small", "Ωραίο ύφασμα", "Nem rossz", "Perfect for summer", "Shrank a bit",
          "Good value", "Not for me", "Soft and light", "Fin skjorte"]
BODIES = ["Soft, breathes well, washes at 30 °C without fuss.\nThe sleeves are a touch short.",
          "Μου αρέσει πολύ, αλλά μικραίνει λίγο στο πλύσιμο.",
          "Jó minőség, de a színe kicsit más, mint a képen.",
          "I sized up and it fits the way the photos show. Would buy again."]


def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def copy_rows(cursor, model, fields, rows):
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def split(rng, products, total, big):
    """Reviews per product: `big` for the first, the rest spread and summing to `total`."""
    rest = total - big
    counts = [big] + [rest // (products - 1)] * (products - 1)
    for i in range(rest - sum(counts[1:])):
        counts[1 + i % (products - 1)] += 1
    for _ in range(products * 2):  # some variety, same total, never more reviews than members
        a, b = rng.randrange(1, products), rng.randrange(1, products)
        move = rng.randint(0, 50)
        if counts[a] - move >= 0 and counts[b] + move <= MEMBERS:
            counts[a] -= move
            counts[b] += move
    return counts


def seed(products_n, reviews_n, big_n):
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from community.members.models import User
    from community.reviews.models import Review, ReviewAttribute, ReviewPhoto
    from community.reviews.services import product_rating_recount
    from shop.models import Product

    rng = random.Random(20261126)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        password = make_password("bench-password-123")
        members = User.objects.bulk_create([
            User(username=f"reviewer{i:04d}", email=f"reviewer{i:04d}@example.com", password=password,
                 display_name=f"Reviewer {i}", date_joined=now - timedelta(days=400)) for i in range(MEMBERS)])
        products = Product.objects.bulk_create([
            Product(sku=f"SKU-{i:05d}", name=f"Linen shirt {i}", slug=f"linen-shirt-{i}", price="49.00",
                    product_type="Shirts", description="Light linen, cut loose.") for i in range(products_n)])
        ReviewAttribute.objects.create(product_type="Shirts", code="fit", label="Fit", kind="scale",
                                       low_label="Runs small", high_label="Runs large")
        counts = split(rng, products_n, reviews_n, big_n)
        member_ids = [m.pk for m in members]
        review_rows, photo_rows = [], []
        review_id = 0
        for product, count in zip(products, counts, strict=True):
            for author in rng.sample(member_ids, count):
                review_id += 1
                created = now - timedelta(seconds=rng.uniform(60, 700 * 86400))
                has_photo = rng.random() < 0.1
                # id, product, author, rating, title, body, attributes, language, status, held_reason,
                # reject_reason, hidden, verified_buyer, incentivised, from_request, helpful_count, photo_count,
                # created_at, published_at, rating_edited, brand_reply
                review_rows.append((review_id, product.pk, author, rng.choice([5, 5, 5, 4, 4, 3, 2, 1]),
                                    rng.choice(TITLES), rng.choice(BODIES),
                                    json.dumps({"fit": rng.randint(1, 5)}) if rng.random() < 0.6 else "{}",
                                    "en", "published", "", "", False, rng.random() < 0.5, False, False,
                                    rng.randint(0, 30), 1 if has_photo else 0, created, created, False,
                                    "Thank you!" if rng.random() < 0.05 else ""))
                if has_photo:
                    photo_rows.append((review_id, 0, f"reviews/bench-{review_id}.webp", 1200, 900, "{}", "A sleeve"))
        built = time.perf_counter() - started
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            copy_rows(cursor, Review, ["id", "product", "author", "rating", "title", "body", "attributes", "language",
                                       "status", "held_reason", "reject_reason", "hidden", "verified_buyer",
                                       "incentivised", "from_request", "helpful_count", "photo_count", "created_at",
                                       "published_at", "rating_edited", "brand_reply"], review_rows)
            copy_rows(cursor, ReviewPhoto, ["review", "position", "file", "width", "height", "renditions", "alt_text"],
                      photo_rows)
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Review._meta.db_table, review_id])
    copied = time.perf_counter() - started - built
    recount_started = time.perf_counter()
    product_rating_recount()
    recount = time.perf_counter() - recount_started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  rows built in {built:.1f} s; COPY and commit {copied:.1f} s; reviews_recount of {products_n:,} "
          f"aggregates {recount:.1f} s", flush=True)
    return products[0], len(review_rows), len(photo_rows)


def aggregate_latency(base, product, writes=20):
    """Write `writes` reviews of `product` through the services (new members each time) and time
    each write (its transaction moves ProductRating) and the time until the anonymous page, served
    through the page cache, shows the new count."""
    from community.members.models import User
    from community.reviews import services
    from community.reviews.models import ProductRating

    write_ms, visible_ms = [], []
    for i in range(writes):
        member = User.objects.create(username=f"late{i}", email=f"late{i}@example.com", display_name=f"Late {i}")
        count = ProductRating.objects.get(product=product).count
        requests.get(base + product.get_absolute_url(), timeout=30)  # the page is in the cache
        started = time.perf_counter()
        services.review_submit(member, product, rating=4, title="Late review", body="Written during the bench.")
        write_ms.append((time.perf_counter() - started) * 1000)
        wanted = f"{count + 1:,}".replace(",", "")
        while True:
            html = requests.get(base + product.get_absolute_url(), timeout=30).text
            if f"· {wanted} reviews" in html or f"· {count + 1} reviews" in html:
                break
            if time.perf_counter() - started > 10:
                raise SystemExit("the new review did not show within 10 s")
        visible_ms.append((time.perf_counter() - started) * 1000)
    write_ms.sort()
    visible_ms.sort()
    return write_ms, visible_ms


def measure(base, targets, args):
    results = []
    for label, path in targets:
        for _ in range(3):
            check = requests.get(base + path, timeout=60)
        if check.status_code != 200:
            print(f"{label}: {path} answered {check.status_code}; skipped")
            continue
        command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", base + path]
        run = subprocess.run(command, capture_output=True, text=True, check=True)
        rps, p50, p99, errors, _done = parse_wrk(run.stdout)
        results.append({"label": label, "path": path, "rps": rps, "p50": p50, "p99": p99, "errors": errors,
                        "kib": len(check.content) / 1024, "cache": check.headers.get("X-Page-Cache", "-")})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--reviews", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    database_url = f"{PG_SERVER}/{DB_NAME}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.dev", "DJANGO_ROOT_URLCONF": "tests.bench.urls",
           "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "PYTHONUNBUFFERED": "1"}
    try:
        recreate_database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env)
    finally:
        if args.keep:
            print(f"\nkept the database: DATABASE_URL={database_url} REDIS_URL={REDIS_URL}")
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
    from django.core.cache import cache
    from django.db import connections

    cache.clear()
    print(f"seeding {args.products:,} products and {args.reviews:,} reviews ...", flush=True)
    started = time.perf_counter()
    big, reviews, photos = seed(args.products, args.reviews, args.big)
    seconds = time.perf_counter() - started
    print(f"seeded {reviews:,} reviews ({photos:,} with a photo) in {seconds:.1f} s", flush=True)
    connections.close_all()
    url = big.get_absolute_url()
    targets = [("ceiling (one-line view)", "/bench/ceiling/"), (f"product, {args.big:,} reviews", url),
               ("product, 4 stars + photos", f"{url}?rating=4&photos=1"),
               ("product, page 50 by helpful", f"{url}?sort=helpful&page=50"),
               ("ceiling (again, at end)", "/bench/ceiling/")]
    runs = {}
    for cache_on in (True, False):
        run_env = {**env, "PAGE_CACHE_SECONDS": "600" if cache_on else "0"}
        with gunicorn(run_env, workers=args.workers, threads=4) as base:
            runs[cache_on] = measure(base, targets, args)
            if cache_on:
                write_ms, visible_ms = aggregate_latency(base, big)
                connections.close_all()

    print(f"\n{args.products:,} products, {reviews:,} reviews; the big product has {args.big:,}")
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn {args.workers} workers x 4 threads, "
          "PostgreSQL + Redis, 2 cores shared with wrk and other work; anonymous")
    print(f"{'page':<30}{'cache':<7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}{'non-2xx':>9}{'KiB':>6}")
    failed = []
    for cache_on, results in runs.items():
        ceiling = max((r["rps"] for r in results if r["path"] == "/bench/ceiling/"), default=0)
        for r in results:
            share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
            print(f"{r['label']:<30}{'on' if cache_on else 'off':<7}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                  f"{share:>12}{r['errors']:>9}{r['kib']:>6.0f}")
            if r["errors"]:
                failed.append(r)
        if cache_on and ceiling:
            page = next((r for r in results if r["path"] == url), None)
            if page:
                verdict = "met" if page["rps"] / ceiling >= TARGET else "MISSED"
                print(f"  target: the anonymous product page >= {TARGET:.0%} of the ceiling: "
                      f"{page['rps'] / ceiling:.0%}, {verdict}")
    n = len(write_ms)
    print(f"\naggregate after a new review ({n} writes): the write with its F() aggregate update "
          f"p50 {write_ms[n // 2]:.1f} ms, max {write_ms[-1]:.1f} ms; shown on the anonymous page (cache on) "
          f"p50 {visible_ms[n // 2]:.1f} ms, max {visible_ms[-1]:.1f} ms after the write began")
    for r in failed:
        print(f"FAILED: {r['label']} {r['path']} had {r['errors']} non-2xx responses")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
