"""Benchmark: the member's /me/points/ page beside the one-line ceiling view (wrk on gunicorn +
PostgreSQL + Redis), and the nightly tier recompute over many members.

Builds a fresh PostgreSQL database (bench_points, dropped at the end unless --keep), migrates it,
and seeds it in bulk: --members members (100,000 by default), each with a loyalty account and
--entries ledger entries (3 by default) of earning kinds spread over the last two years, so that
the recompute finds members to move up, members whose points are leaving the 12-month window (a
move down to announce) and members who stay; and one member with 10,000 entries, on the
leaderboard, whose page is measured.

Then:
1. `tiers_recompute` (the nightly run's tier step) three times: the first run after the seed
   (every account gets its tier named), the next night (steady: little changes), and 400 days
   later (old points have left the window: moves down announced). Prints seconds, members per
   second and what happened.
2. wrk on the ceiling, /me/points/ signed in as the 10,000-entry member, the ceiling again; prints
   req/s, p50/p99, the page's share of the ceiling and the gunicorn processes' CPU ms per request.

    .venv/bin/python tests/bench/points_page.py [--members 100000] [--entries 3] [--seconds 10]
        [--connections 16] [--workers 2] [--keep]

Needs wrk (Debian package `wrk`), PostgreSQL (BENCH_PG_SERVER, default
postgres://postgres@127.0.0.1:5432) and Redis (BENCH_REDIS_URL, default database 11, is emptied). Exits non-zero only when an
answer was not 2xx.
"""

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys
import time

import psycopg
import requests
from forum_pages import copy_rows, server_cpu_seconds, session_cookie
from server import ROOT, gunicorn, parse_wrk

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_points"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
HEAVY_ENTRIES = 10_000


def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def seed(members, entries):
    """Members, their loyalty accounts and ledger entries, in bulk. Returns the heavy member."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from community.members.models import User
    from referrals.loyalty.models import LoyaltyAccount
    from referrals.models import LedgerEntry

    rng = random.Random(20261126)
    now = timezone.now()
    kinds = ["review", "photo_post", "solved_answer", "order", "signup"]
    with transaction.atomic():
        password = make_password("bench-password-123")
        User.objects.bulk_create([
            User(username=f"m{i:06d}", email=f"m{i:06d}@example.com", password=password,
                 display_name=f"Μέλος {i}", date_joined=now - datetime.timedelta(days=800))
            for i in range(members + 1)
        ], batch_size=5000)
        ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        heavy_id = ids[0]
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            copy_rows(raw, LoyaltyAccount, ["member_id", "tier_since", "leaderboard"],
                      ((pk, now, pk == heavy_id or pk % 50 == 0) for pk in ids))

            def rows():
                serial = 0
                for pk in ids[1:]:
                    for _ in range(entries):
                        serial += 1
                        at = now - datetime.timedelta(seconds=rng.uniform(0, 2 * 365 * 86400))
                        points = rng.choice([20, 25, 50, 100, 400, 900])
                        yield (pk, points, rng.choice(kinds), "approved", f"bench:{serial}", "", at)
                for n in range(HEAVY_ENTRIES):
                    at = now - datetime.timedelta(seconds=rng.uniform(0, 2 * 365 * 86400))
                    yield (heavy_id, rng.choice([1, 5, 20]), rng.choice(kinds), rng.choice(["approved", "pending"]),
                           f"bench:heavy:{n}", "#1001", at)

            written = copy_rows(raw, LedgerEntry,
                                ["member_id", "points", "kind", "status", "source_key", "note", "created_at"], rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return User.objects.get(pk=heavy_id), written


def recompute(label, now):
    from referrals.loyalty.tiers import tiers_recompute

    started = time.perf_counter()
    done = tiers_recompute(now=now)
    seconds = time.perf_counter() - started
    return label, seconds, done


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=3, help="ledger entries per member")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} at the end")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    database_url = f"{PG_SERVER}/{DB_NAME}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONUNBUFFERED": "1",
    }
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
    from django.utils import timezone

    cache.clear()
    started = time.perf_counter()
    heavy, written = seed(args.members, args.entries)
    print(f"seeded {args.members:,} members and {written:,} ledger entries in {time.perf_counter() - started:.1f} s",
          flush=True)

    # Notifications of tier changes are enqueued (after commit) for a worker, as in production; the
    # dummy backend keeps them instead of sending them inline, so the figures are the recompute's.
    from django.test.utils import override_settings

    now = timezone.now()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        runs = [recompute("first run (every tier named)", now),
                recompute("next night (steady)", now + datetime.timedelta(days=1)),
                recompute("400 days later (points leave)", now + datetime.timedelta(days=400))]
    print(f"\nnightly tier recompute over {args.members + 1:,} members ({args.entries} entries each, "
          "batches of 1,000, each batch's rows locked while decided):")
    for label, seconds, done in runs:
        what = ", ".join(f"{k} {v:,}" for k, v in sorted(done.items())) or "no changes"
        print(f"  {label:<32}{seconds:>8.1f} s {args.members / seconds:>10,.0f} members/s   {what}")

    # the member back in the present: the runs above moved the clock
    from referrals.loyalty.models import LoyaltyAccount

    LoyaltyAccount.objects.filter(member=heavy).update(downgrade_to=None, downgrade_announced_at=None,
                                                        downgrade_on=None)
    cookie_name, session = session_cookie(heavy)
    connections.close_all()
    targets = [("ceiling (one-line view)", "/bench/ceiling/", False), ("/me/points/ (10,000 entries)", "/me/points/", True),
               ("ceiling (again, at end)", "/bench/ceiling/", False)]
    results = []
    with gunicorn(env, workers=args.workers, threads=4) as base:
        cookie = f"{cookie_name}={session}"
        for label, path, signed_in in targets:
            headers = {"Cookie": cookie} if signed_in else {}
            for _ in range(3):
                check = requests.get(base + path, headers=headers, timeout=60, allow_redirects=False)
            if check.status_code != 200:
                print(f"{label}: {path} answered {check.status_code}; skipped")
                continue
            command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
            if headers:
                command += ["-H", f"Cookie: {cookie}"]
            cpu_before = server_cpu_seconds(base)
            out = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)
            cpu = server_cpu_seconds(base) - cpu_before
            rps, p50, p99, errors, done = parse_wrk(out.stdout)
            if signed_in and requests.get(base + path, headers=headers, timeout=60,
                                          allow_redirects=False).status_code != 200:
                # wrk counts a redirect to the log-in page as a success: a session lost during the
                # run (another process emptying the same Redis database) would measure redirects
                print(f"{label}: the session was lost during the run; its figures are not the page's")
                errors = errors or -1
            results.append((label, path, rps, p50, p99, errors, len(check.content) / 1024, cpu * 1000 / max(done, 1)))
    ceiling = max((r[2] for r in results if r[1] == "/bench/ceiling/"), default=0)
    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn {args.workers} workers x 4 threads, "
          "PostgreSQL + Redis, 2 cores shared with wrk")
    print(f"{'page':<32}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}{'non-2xx':>9}{'KiB':>6}{'CPU ms/req':>12}")
    for label, _path, rps, p50, p99, errors, kib, cpu_ms in results:
        share = f"{rps / ceiling:.0%}" if ceiling else "-"
        print(f"{label:<32}{rps:>8.0f}{p50:>9.1f}{p99:>9.1f}{share:>12}{errors:>9}{kib:>6.0f}{cpu_ms:>12.1f}")
    return 1 if any(r[5] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
