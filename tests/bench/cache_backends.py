"""Which shared cache for the embedded default: the database cache or the file cache?

Run: `.venv/bin/python tests/bench/cache_backends.py [processes] [operations]`

Several plain processes (default 4, 3000 operations each) run the page cache's mix against each
backend at once, on a temporary SQLite database set up as the site's (WAL, IMMEDIATE transactions)
and a temporary folder:
- 85% read a page (a 40 kB HTML body, as the page-cache middleware stores it) and store it on a miss;
- 10% move a version (core.versions' incr) and store a page;
- 5% count a rate-limit hit (core.ratelimit's add + incr).
It prints operations per second and checks that the shared counter lost no hit (an atomic incr).
Both backends get an atomic incr: FileCache (core.cache) under a file lock; the database cache
in a transaction, which on SQLite's IMMEDIATE mode holds the write lock from BEGIN.
"""

import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="cache-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
os.environ["SQLITE_PATH"] = os.path.join(TMP, "db.sqlite3")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache.backends.db import DatabaseCache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, router, transaction  # noqa: E402

from core.cache import FileCache  # noqa: E402

PAGE = ("<!doctype html><html><body>" + "<p>Ένα μήνυμα στο φόρουμ, with text.</p>" * 900 + "</body></html>").encode()
PAGES = 200


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        with transaction.atomic(using=router.db_for_write(self.cache_model_class)):
            return super().incr(key, delta, version)

    def add(self, key, value, timeout=None, version=None):
        with transaction.atomic(using=router.db_for_write(self.cache_model_class)):
            return super().add(key, value, timeout, version)


def make(kind):
    if kind == "file":
        return FileCache(os.path.join(TMP, "cache"), {"OPTIONS": {"MAX_ENTRIES": 5000}})
    return AtomicDatabaseCache("bench_cache", {"OPTIONS": {"MAX_ENTRIES": 5000}})


def worker(kind, operations, seed, out):
    connections.close_all()  # a connection of its own, not the parent's
    cache = make(kind)
    rng = random.Random(seed)
    counted = 0
    for _ in range(operations):
        roll = rng.random()
        key = f"pagecache:{rng.randrange(PAGES)}"
        if roll < 0.85:
            if cache.get(key) is None:
                cache.set(key, (200, PAGE, [("Content-Type", "text/html")]), 600)
        elif roll < 0.95:
            try:
                cache.incr("version:forum")
            except ValueError:
                cache.set("version:forum", 1, None)
            cache.set(key, (200, PAGE, [("Content-Type", "text/html")]), 600)
        else:
            cache.add("rl:bench", 0, 3600)
            cache.incr("rl:bench")
            counted += 1
    connections.close_all()
    out.put(counted)


def run(kind, processes, operations):
    cache = make(kind)
    cache.clear()
    cache.set("rl:bench", 0, 3600)
    out = multiprocessing.Queue()
    started = time.perf_counter()
    procs = [multiprocessing.Process(target=worker, args=(kind, operations, n, out)) for n in range(processes)]
    for p in procs:
        p.start()
    counted = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    stored = cache.get("rl:bench")
    ops = processes * operations / elapsed
    print(f"{kind:>8}: {ops:8.0f} ops/s over {processes} processes ({elapsed:.2f} s); "
          f"rate counter {stored} of {counted} hits {'exact' if stored == counted else 'LOST HITS'}")
    return ops


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    operations = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    call_command("createcachetable", "bench_cache", verbosity=0)
    connections.close_all()
    results = {kind: run(kind, processes, operations) for kind in ("database", "file")}
    faster = max(results, key=results.get)
    print(f"faster: {faster} ({results[faster] / min(results.values()):.1f}x)")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
