"""Benchmark: anonymous content pages against a one-line Django view, with wrk, on gunicorn.

Builds a fresh SQLite database with the demo data, serves it with gunicorn (dev settings with
DEBUG off, so the anonymous page cache is on), and measures with wrk, in the same run: the ceiling
(a view returning "ok" through the whole middleware stack), the home page, the blog index, a blog
post, the brand story, the lookbooks, a members-only page's teaser and the product list. Prints
requests per second, p50/p99 latency and each page's share of the ceiling. Needs wrk (Debian package `wrk`).

    .venv/bin/python tests/bench/content_pages.py [--seconds 10] [--connections 16]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
from server import ROOT, gunicorn, parse_wrk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="bench-content-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    py = sys.executable
    print(f"preparing the demo site in {tmp} ...", flush=True)
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    find_post = (
        "from wagtail.models import Page\n"
        "post = Page.objects.live().filter(content_type__model='blogpage').order_by('-first_published_at').first()\n"
        "print(post.url if post else '')\n"
    )
    out = subprocess.run([py, "manage.py", "shell", "-c", find_post], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    post_url = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    targets = [("ceiling (one-line view)", "/bench/ceiling/"), ("home page", "/"), ("blog index", "/blog/")]
    if post_url:
        targets.append(("blog post", post_url))
    targets += [("brand story", "/about/"), ("lookbook index", "/lookbooks/"), ("lookbook", "/lookbooks/summer-linen/"),
                ("members-only (teaser)", "/in-the-studio/"), ("product list", "/products/"),
                ("ceiling (again, at end)", "/bench/ceiling/")]  # the higher ceiling counts
    results = []
    try:
        with gunicorn(env, workers=args.workers, threads=4) as base:
            for label, path in targets:
                for _ in range(3):  # warm every worker's cache and the content version
                    check = requests.get(base + path, timeout=180)  # the first view makes image renditions
                if check.status_code != 200:
                    print(f"{label}: {path} answered {check.status_code}; skipped")
                    continue
                run = subprocess.run(
                    ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", base + path],
                    capture_output=True, text=True, check=True,
                )
                rps, p50, p99, errors, _done = parse_wrk(run.stdout)
                results.append((label, path, rps, p50, p99, errors, check.headers.get("X-Page-Cache", "-")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ceiling = max((rps for _label, path, rps, *_rest in results if path == "/bench/ceiling/"), default=0)
    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn {args.workers} workers x 4 threads, "
          "2 cores shared with wrk")
    print(f"{'page':<26}{'path':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}{'non-2xx':>9}  cache")
    for label, path, rps, p50, p99, errors, cache in results:
        share = f"{rps / ceiling:.0%}" if ceiling else "-"
        print(f"{label:<26}{path[:38]:<40}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{share:>12}{errors:>9}  {cache}")
    failed = any(errors for *_, errors, _cache in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
