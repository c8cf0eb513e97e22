"""Benchmark: a gunicorn worker's memory after 50,000 requests (issue 18, item 7: under 100 MB).

Builds a PostgreSQL database with the demo site (load_demo: pages with Wagtail images, the forum,
photo posts, products, reviews, members), serves it with the project's own gunicorn.conf.py
(preloaded app; the memory guard off, so growth is seen rather than recycled away), tasks in the
database queue with a `db_worker` beside it (as in production: renditions are made there, not in
the web worker), and sends the requests with wrk and a Lua script that walks a mix of pages round
robin: content pages and images (home, blog, lookbooks, products, the photo wall and posts, whose
first views queue renditions), the forum (index, topics, pages of them), searches, profiles, and a
share of them signed in (no page cache: each is rendered). The anonymous page cache is on, as in
production; query strings vary so many anonymous requests render too.

Prints RSS, PSS and USS per worker (from /proc/<pid>/smaps_rollup) after start-up and warming, and
after the requests; the task worker's RSS; and the target, 100 MB per web worker, judged on PSS: a
worker's private memory plus its share of the pages it shares with the master and the other workers
(the preloaded app, some 130 MB, is loaded once and shared). That is what one worker more costs the
machine. RSS counts every shared page in full in every worker, so it is printed and judged too, but
on Wagtail 8 it cannot fall under 100 MB: Wagtail's own apps import django-ninja, pydantic and Django
REST framework at start-up (wagtail.images and wagtail.contrib.redirects load their API routers).

Takes its resources from the environment: BENCH_PG_SERVER, BENCH_DB_NAME (bench_memory, dropped and
created), BENCH_REDIS_URL (redis://127.0.0.1:6379/12, emptied), BENCH_PORT (a free one).

    .venv/bin/python tests/bench/worker_memory.py [--requests 50000] [--workers 1] [--member-share 0.05]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import requests
from server import ROOT, children, free_port, parse_wrk, rss_mb

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_memory")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
TARGET_MB = 100

FIND_PATHS = '''
from django.conf import settings
from django.test import Client
from wagtail.models import Page
from community.forum.models import Topic
from community.posts.models import Post as PhotoPost
from community.members.models import User
from shop.models import Product
pages = Page.objects.live().public().specific()
for kind in ("blogpage", "lookbookpage", "brandstorypage", "blogindexpage", "lookbookindexpage"):
    for page in Page.objects.live().public().filter(content_type__model=kind)[:3]:
        print("ANON", page.url)
for topic in Topic.objects.filter(hidden=False, category__members_only=False).order_by("-reply_count")[:6]:
    print("ANON", topic.get_absolute_url())
    print("MEMBER", topic.get_absolute_url())
for product in Product.objects.all()[:6]:
    print("ANON", product.get_absolute_url())
for post in PhotoPost.objects.order_by("-pk")[:6]:
    print("ANON", f"/posts/{post.pk}/")
member = User.objects.filter(is_active=True, is_staff=False).exclude(username="").order_by("pk").first()
for user in User.objects.filter(is_active=True, is_staff=False).order_by("pk")[:3]:
    print("ANON", f"/members/{user.username}/")
client = Client()
client.force_login(member)
print("COOKIE", settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
'''

COMMON = ["/", "/blog/", "/lookbooks/", "/products/", "/forum/", "/forum/latest/", "/posts/", "/posts/popular/",
          "/search/?q=linen", "/search/?q=λινό", "/blog/feed/", "/sitemap.xml", "/help/", "/challenges/"]
MEMBER_COMMON = ["/", "/forum/", "/me/", "/me/points/", "/posts/", "/products/"]

LUA = '''
local anon = {%(anon)s}
local member = {%(member)s}
local cookie = "%(cookie)s"
local quota = %(quota)d
local share = %(share)f
local counter, done = 0, 0

function request()
  counter = counter + 1
  if math.fmod(counter * 7919, 1000) < share * 1000 then
    local path = member[math.fmod(counter, #member) + 1]
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  local path = anon[math.fmod(counter, #anon) + 1]
  if math.fmod(counter, 3) == 0 then  -- a third with a query string the page cache has not seen often
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "v=" .. math.fmod(counter, 997)
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  done = done + 1
  if done >= quota then
    wrk.thread:stop()
  end
end
'''


def memory(pid):
    """(RSS, PSS, USS) of a process in MB."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        return (rss_mb(pid), 0.0, 0.0)
    return (values.get("Rss", 0.0), values.get("Pss", 0.0),
            values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0))


def database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--member-share", type=float, default=0.05)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    try:
        database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args)
    finally:
        drop()


def run(args):
    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev", "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL, "DEBUG": "false", "TASKS_BACKEND": "database",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "PYTHONUNBUFFERED": "1", "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers), "GUNICORN_MAX_RSS_MB": "0", "SITE_URL": f"http://127.0.0.1:{port}",
    }
    py = sys.executable
    print(f"load average at start: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "-c", "import django, os; django.setup(); from django.core.cache import cache; cache.clear()"],
                   cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, check=True)
    subprocess.run([py, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    found = subprocess.run([py, "manage.py", "shell", "-c", FIND_PATHS], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    anon = COMMON + [line.split(" ", 1)[1] for line in found if line.startswith("ANON ")]
    member = MEMBER_COMMON + [line.split(" ", 1)[1] for line in found if line.startswith("MEMBER ")]
    cookie = next(line.split(" ", 1)[1] for line in found if line.startswith("COOKIE "))
    logs = Path(tempfile.gettempdir())
    web_log, task_log = open(logs / "bench-memory-web.log", "wb"), open(logs / "bench-memory-tasks.log", "wb")
    web = subprocess.Popen([py, "-m", "gunicorn", "-c", "gunicorn.conf.py", "website.wsgi", "--access-logfile",
                            os.devnull], cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([py, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=task_log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer; see {web_log.name}")
        started = {pid: memory(pid) for pid in children(web.pid)}
        bad = []
        for path in anon:
            status = requests.get(base + path, timeout=120).status_code
            if status >= 500:
                bad.append((path, status))
        for path in member:
            status = requests.get(base + path, headers={"Cookie": cookie}, timeout=120).status_code
            if status >= 500:
                bad.append((path, status))
        warmed = {pid: memory(pid) for pid in children(web.pid)}
        quoted = lambda paths: ", ".join(f'"{quote(p, safe="/?=&")}"' for p in paths)  # noqa: E731
        script = logs / "bench-memory.lua"
        threads = 2
        script.write_text(LUA % {"anon": quoted(anon), "member": quoted(member), "cookie": cookie,
                                 "quota": args.requests // threads, "share": args.member_share})
        begun = time.perf_counter()
        print(f"sending {args.requests:,} requests with wrk...", flush=True)
        run = subprocess.run(["wrk", f"-t{threads}", f"-c{args.connections}", "-d1800s", "--latency", "-s", str(script),
                              base + "/"], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - begun
        rps, _p50, p99, errors, done = parse_wrk(run.stdout)
        after = {pid: memory(pid) for pid in children(web.pid)}
        task_rss = rss_mb(worker.pid)
    finally:
        web.terminate()
        worker.terminate()
        web.wait(timeout=30)
        worker.wait(timeout=30)
        web_log.close()
        task_log.close()

    print(f"\n{len(anon)} anonymous and {len(member)} signed-in paths; {done:,} requests in {seconds:.0f} s "
          f"({rps:.0f} req/s, p99 {p99:.0f} ms, {errors} non-2xx/3xx), {args.member_share:.0%} signed in; "
          f"gunicorn.conf.py with {args.workers} worker(s) x 4 threads, preloaded; "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if bad:
        print("answered 5xx while warming: " + ", ".join(f"{p} ({s})" for p, s in bad))
    print(f"{'worker':>8}  {'RSS MB: start':>14}{'warmed':>9}{'after':>9}   {'PSS after':>10}{'USS after':>11}")
    over = rss_over = False
    for pid, (rss, pss, uss) in after.items():
        start, warm = started.get(pid, (0, 0, 0)), warmed.get(pid, (0, 0, 0))
        print(f"{pid:>8}  {start[0]:>14.0f}{warm[0]:>9.0f}{rss:>9.0f}   {pss:>10.0f}{uss:>11.0f}")
        over = over or pss >= TARGET_MB
        rss_over = rss_over or rss >= TARGET_MB
    print(f"task worker (db_worker, makes the renditions): {task_rss:.0f} MB RSS")
    print(f"target: each web worker under {TARGET_MB} MB PSS after the requests: {'MISSED' if over else 'met'}")
    print(f"(under {TARGET_MB} MB RSS, counting the shared app in full in each worker: {'no' if rss_over else 'yes'})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
