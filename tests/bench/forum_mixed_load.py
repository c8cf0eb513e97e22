"""Benchmark: reading the forum while a writer posts to other topics (issue 18, part 4).

Seeds the forum bench's data (tests/bench/forum_pages.py: members, categories, topics and replies,
one topic with 1,000 replies; --topics/--replies make it smaller) on PostgreSQL, serves it with
gunicorn (dev settings, DEBUG off, Redis as the shared cache, the anonymous page cache on) and
measures with wrk, for each write rate (replies per second to *other* topics, posted through the
forum's own service by a thread of this process, so the versions move exactly as on the site):
the first page of the big topic anonymously and signed in, and the home page anonymously. Prints
requests per second, p99 and each page's share of the ceiling and of its own throughput at 0
writes/s. Target: at 5 writes/s the topic and the home page keep at least 70 % of their 0-writes
throughput.

Takes its database, Redis database and port from the environment and touches nothing else:
BENCH_PG_SERVER (postgres://postgres@127.0.0.1:5432), BENCH_DB_NAME (bench_forum_mixed, dropped and
created), BENCH_REDIS_URL (redis://127.0.0.1:6379/11, emptied), BENCH_PORT (a free one).

    .venv/bin/python tests/bench/forum_mixed_load.py [--seconds 8] [--rates 0,1,5,20] [--topics 2000]
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time

import forum_pages
import psycopg
import requests
from server import ROOT, gunicorn, parse_wrk, worker_rss_mb

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_forum_mixed")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
TARGET = 0.70  # of the 0-writes throughput, at 5 writes/s


class Writer(threading.Thread):
    """Posts `rate` replies a second to random topics other than `spared`, through post_reply."""

    def __init__(self, rate, topic_ids, spared, authors):
        super().__init__(daemon=True)
        self.rate, self.topic_ids, self.spared, self.authors = rate, topic_ids, spared, authors
        self.stop = threading.Event()
        self.posted = 0
        self.errors = 0

    def run(self):
        from django.db import connection

        from community.forum.models import Topic
        from community.forum.services import post_reply

        rng = random.Random(7)
        interval = 1 / self.rate
        next_at = time.monotonic()
        try:
            while not self.stop.is_set():
                topic_id = rng.choice(self.topic_ids)
                if topic_id == self.spared:
                    continue
                try:
                    post_reply(rng.choice(self.authors), Topic.objects.get(pk=topic_id),
                               body=f"A reply from the writer, number {self.posted}.")
                    self.posted += 1
                except Exception:  # counted and printed: the run goes on
                    self.errors += 1
                next_at += interval
                self.stop.wait(max(0.0, next_at - time.monotonic()))
        finally:
            connection.close()


STATES_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache_states.lua")


def wrk(base, path, seconds, connections, cookie=None, states=False):
    """wrk's figures; with `states`, also the count of each X-Page-Cache answer (hit, stale, miss,
    waited, none) as a dict, the last item."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if states:
        command += ["-s", STATES_SCRIPT]
    run = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)
    figures = parse_wrk(run.stdout)
    if not states:
        return figures
    line = next((row for row in run.stdout.splitlines() if row.startswith("cache-states")), "")
    counted = dict(part.split("=") for part in line.split()[1:])
    return (*figures, {state: int(n) for state, n in counted.items()})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rates", default="0,1,5,20")
    parser.add_argument("--topics", type=int, default=2_000)
    parser.add_argument("--replies", type=int, default=40_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    rates = [float(r) for r in args.rates.split(",")]

    forum_pages.PG_SERVER, forum_pages.DB_NAME = PG_SERVER, DB_NAME
    forum_pages.TOPICS, forum_pages.REPLIES = args.topics, args.replies
    database_url = f"{PG_SERVER}/{DB_NAME}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "PAGE_CACHE_SECONDS": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONUNBUFFERED": "1",
    }
    try:
        forum_pages.recreate_database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env, rates)
    finally:
        forum_pages.drop_database()


def run(args, env, rates):
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the writer's tasks log each run
    from django.core.cache import cache
    from django.db import connections

    from community.forum.models import Topic
    from community.members.models import User

    cache.clear()  # this bench's own Redis database
    print(f"seeding {args.topics:,} topics and {args.replies:,} replies ...", flush=True)
    _rows, _posts, big, member = forum_pages.seed()
    cookie_name, session = forum_pages.session_cookie(member)
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    authors = list(User.objects.exclude(pk=member.pk)[:20])
    topic_url = big.get_absolute_url()
    connections.close_all()

    pages = [("topic", topic_url, "anon"), ("home", "/", "anon"), ("topic", topic_url, "member")]
    results, cache_states = {}, {}
    with gunicorn(env, workers=args.workers, threads=4) as base:
        member_cookie = f"{cookie_name}={session}"
        for _ in range(3):
            answer = requests.get(base + topic_url, headers={"Cookie": member_cookie}, timeout=60)
            if "csrftoken" in answer.cookies and "csrftoken" not in member_cookie:
                member_cookie += f"; csrftoken={answer.cookies['csrftoken']}"
        ceiling = max(wrk(base, "/bench/ceiling/", args.seconds, args.connections)[0] for _ in range(2))
        for rate in rates:
            writer = Writer(rate, topic_ids, big.pk, authors) if rate else None
            if writer:
                writer.start()
            for label, path, who in pages:
                requests.get(base + path, timeout=60)  # warm
                rps, _p50, p99, errors, _done, states = wrk(
                    base, path, args.seconds, args.connections, member_cookie if who == "member" else None,
                    states=True)
                results[(rate, label, who)] = (rps, p99, errors)
                cache_states[(rate, label, who)] = states
            if writer:
                writer.stop.set()
                writer.join()
                print(f"  {rate:g} writes/s: the writer posted {writer.posted} replies ({writer.errors} errors)",
                      flush=True)
        rss = worker_rss_mb(int(base.rsplit(":", 1)[1]))

    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn {args.workers} workers x 4 threads, "
          f"PostgreSQL + Redis, page cache on; ceiling (one-line view) {ceiling:.0f} req/s")
    print(f"{'writes/s':>9}  {'page':<7}{'user':<8}{'req/s':>8}{'p99 ms':>9}{'of ceiling':>12}{'of 0 writes':>13}"
          f"{'non-2xx':>9}  X-Page-Cache answers")
    failed = False
    for (rate, label, who), (rps, p99, errors) in results.items():
        base_rps = results.get((0.0, label, who), (0,))[0]
        kept = f"{rps / base_rps:.0%}" if base_rps else "-"
        states = " ".join(f"{state}={n}" for state, n in sorted(cache_states[(rate, label, who)].items()))
        print(f"{rate:>9g}  {label:<7}{who:<8}{rps:>8.0f}{p99:>9.1f}{rps / ceiling:>12.0%}{kept:>13}{errors:>9}  {states}")
        failed = failed or bool(errors)
    print("RSS per gunicorn worker after the runs: " + ", ".join(f"{mb:.0f} MB" for mb in rss))
    print(f"\ntarget: at 5 writes/s, the topic and the home page keep >= {TARGET:.0%} of their 0-writes throughput")
    for label, who in [("topic", "anon"), ("home", "anon"), ("topic", "member")]:
        at0, at5 = results.get((0.0, label, who)), results.get((5.0, label, who))
        if at0 and at5 and at0[0]:
            share = at5[0] / at0[0]
            print(f"  {label:<7}{who:<8}{share:>5.0%}: {'met' if share >= TARGET else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
