"""Benchmark: our pages beside the projects we mean to beat, uncached, in one run (issue 18).

Serves, side by side on this machine, each with gunicorn (2 workers x 4 threads, gthread), DEBUG
off, PostgreSQL, and Redis for its cache and sessions:
- ours, with the anonymous page cache and the member page cache off (PAGE_CACHE_SECONDS=0,
  FORUM_MEMBER_PAGE_SECONDS=0): what a cache miss costs. Twice: with the parts of pages kept under
  their own scopes ({% fragment %}, kept routes, the forum's post blocks: how a render is made cheap;
  a miss of the whole page leaves them kept unless what they show changed), and with those off too
  (FRAGMENT_CACHE_SECONDS=0, "ours, every part made": the first render after everything changed).
  One database holds the forum bench's data (a topic with 1,000 replies, tests/bench/forum_pages.py)
  and the demo site (load_demo);
- Wagtail's bakerydemo, from its own source tree and its own virtualenv (never in the project);
- Spirit (`pip install django-spirit`, a project made by `spirit startproject`) in its own
  virtualenv, with a topic of 1,000 comments.
and measures with wrk, one page after the other, ours next to the peer's: our blog post vs
bakerydemo's, our home vs bakerydemo's, our 1,000-reply topic vs Spirit's anonymously and signed
in, and the one-line view (ours) as the ceiling, at the start and the end. Prints req/s, p99, share
of the ceiling, the servers' CPU ms per request (steadier than req/s on a shared machine), the
ratio to the peer with the issue's targets, and the load average around each measurement.

Where the peers live (made once by `--setup`, outside the project; nothing of theirs is copied in):
BENCH_PEERS_DIR (/work/peers) with spirit-venv/ and spiritsite/ (Spirit), bakery-venv/ and
bakerydemo/ (the bakerydemo source tree: give its path with --bakerydemo-src to --setup; bakerydemo
after Django 6 needs Python 3.12, so on Python 3.11 use its last Django 5.2 release, commit 5a01dcd,
Wagtail 7.2). Settings files for the bench (bench_settings.py) are written into the peers' trees.

The run's own resources, all from the environment: BENCH_PG_SERVER
(postgres://postgres@127.0.0.1:5432), BENCH_DB_PREFIX (bench_peers: <prefix>_ours, _spirit,
_bakery are dropped and created), BENCH_REDIS_URL (redis://127.0.0.1:6379/10, emptied; each
server its own key prefix), BENCH_PORTS (four ports, 8841,8842,8843,8844 by default).

    .venv/bin/python tests/bench/peers.py --setup --bakerydemo-src PATH   # once
    .venv/bin/python tests/bench/peers.py [--seconds 10] [--connections 16]
"""

import argparse
import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import forum_pages
import psycopg
import requests
from server import ROOT, gunicorn, parse_wrk

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_peers")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
PORTS = [int(p) for p in os.environ.get("BENCH_PORTS", "8841,8842,8843,8844").split(",")]
PEERS = Path(os.environ.get("BENCH_PEERS_DIR", "/work/peers"))
SPIRIT_VENV, SPIRIT_DIR = PEERS / "spirit-venv", PEERS / "spiritsite"
BAKERY_VENV, BAKERY_DIR = PEERS / "bakery-venv", PEERS / "bakerydemo"

MADE = "ours, every part made"
# Targets of issue 18, item 3: ours over the peer's req/s.
TARGETS = {"blog post": 2.0, "home": 3.0, "topic": 3.0}

SPIRIT_SETTINGS = '''"""Written by the project's tests/bench/peers.py: Spirit's production settings, pointed at the
bench's PostgreSQL database and Redis, on loopback."""
import os

from .prod import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["BENCH_DB"],
                         "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["BENCH_REDIS"],
                "KEY_PREFIX": "spirit"},
    "st_rate_limit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["BENCH_REDIS"],
                      "KEY_PREFIX": "spirit-rl", "TIMEOUT": None},
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# Served without collectstatic: the plain storage (prod's manifest one needs its manifest file).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
'''

BAKERY_SETTINGS = '''"""Written by the project's tests/bench/peers.py: bakerydemo's base settings with DEBUG off,
pointed at the bench's PostgreSQL database (DATABASE_URL) and Redis, on loopback."""
import os

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["BENCH_REDIS"],
                      "KEY_PREFIX": "bakery"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
'''

SPIRIT_SEED = '''
import random
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from datetime import timedelta
from spirit.category.models import Category
from spirit.topic.models import Topic
from spirit.comment.models import Comment
try:
    from spirit.core.utils.markdown import Markdown
    render = Markdown().render
except Exception:
    from django.utils.html import escape
    render = lambda text: "<p>" + escape(text) + "</p>"
BODIES = %(bodies)r
User = get_user_model()
users = [User.objects.create_user(f"member{i:02d}", f"member{i:02d}@example.com", "bench-password-123") for i in range(20)]
for user in users:
    profile = getattr(user, "st", None)
    if profile is not None:
        profile.is_verified = True
        profile.save()
category = Category.objects.create(title="Care and repairs", slug="care-and-repairs", description="Care.")
topic = Topic.objects.create(user=users[0], category=category, title="The big linen thread: 1,000 replies",
                             slug="the-big-linen-thread", comment_count=1001)
rng = random.Random(7)
rendered = [(b, render(b)) for b in BODIES]
start = timezone.now() - timedelta(days=300)
rows = []
for n in range(1001):
    body, html = rng.choice(rendered)
    rows.append(Comment(user=rng.choice(users), topic=topic, comment=body, comment_html=html,
                        date=start + timedelta(minutes=n)))
Comment.objects.bulk_create(rows)
client = Client()
client.force_login(users[3])
from django.conf import settings
print("URL", topic.get_absolute_url())
print("COOKIE", settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
'''

BAKERY_FIND = '''
from wagtail.models import Page
post = Page.objects.live().filter(content_type__model="blogpage").order_by("path").first()
print("URL", post.url)
'''

OURS_FIND = '''
from wagtail.models import Page
post = (Page.objects.live().filter(content_type__model="blogpage", locale__language_code="en")
        .order_by("-first_published_at").first())
print("URL", post.url)
'''


def load():
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def pg(statement):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def database(name):
    pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def setup(args):
    """Make the peers' virtualenvs and projects under BENCH_PEERS_DIR (never in the project)."""
    PEERS.mkdir(parents=True, exist_ok=True)
    py = shutil.which("python3") or sys.executable
    if not SPIRIT_VENV.exists():
        subprocess.run([py, "-m", "venv", str(SPIRIT_VENV)], check=True)
        subprocess.run([str(SPIRIT_VENV / "bin/pip"), "install", "-q", "django-spirit", "gunicorn",
                        "psycopg2-binary", "redis"], check=True)
    if not SPIRIT_DIR.exists():
        env = {**os.environ, "PATH": f"{SPIRIT_VENV / 'bin'}:{os.environ['PATH']}"}
        subprocess.run([str(SPIRIT_VENV / "bin/spirit"), "startproject", SPIRIT_DIR.name], cwd=PEERS, env=env,
                       check=True)
    if not BAKERY_DIR.exists():
        if not args.bakerydemo_src:
            sys.exit("bakerydemo's source tree is missing: give its path with --bakerydemo-src")
        shutil.copytree(args.bakerydemo_src, BAKERY_DIR)
    if not BAKERY_VENV.exists():
        subprocess.run([py, "-m", "venv", str(BAKERY_VENV)], check=True)
        # django-tasks 0.9.0, the newest Wagtail 7.2 allows, fails on enqueue under Python 3.11 (a TypeError in
        # typing's __orig_class__ on its TaskResult): 0.8.1 works.
        subprocess.run([str(BAKERY_VENV / "bin/pip"), "install", "-q", "-r", str(BAKERY_DIR / "requirements/base.txt"),
                        "gunicorn", "psycopg[binary]", "redis", "django-tasks==0.8.1"], check=True)
    print(f"peers ready under {PEERS}")


@contextlib.contextmanager
def peer_gunicorn(venv, cwd, wsgi, env, port, log):
    """A peer's gunicorn, from its own virtualenv, on a loopback port, until the block ends."""
    out = open(log, "wb")
    server = subprocess.Popen(
        [str(venv / "bin/gunicorn"), wsgi, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "--worker-class", "gthread", "--log-level", "warning"],
        cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(base + "/", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{wsgi} did not answer; see {log}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        out.close()


def shell(python, cwd, env, code):
    """Run `code` in a Django shell of that project and return {first word: rest} of its printed lines."""
    run = subprocess.run([str(python), "manage.py", "shell", "-c", code], cwd=cwd, env=env, check=True,
                         capture_output=True, text=True)
    found = {}
    for line in run.stdout.splitlines():
        key, _, value = line.partition(" ")
        found[key] = value.strip()
    return found


def prepare_ours(args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev", "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "DATABASE_URL": database(f"{DB_PREFIX}_ours"), "REDIS_URL": REDIS_URL, "DEBUG": "false",
        "PAGE_CACHE_SECONDS": "0", "FORUM_MEMBER_PAGE_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connections

    cache.clear()  # this run's own Redis database
    forum_pages.TOPICS, forum_pages.REPLIES = args.topics, args.replies
    _rows, _posts, big, member = forum_pages.seed()
    cookie_name, session = forum_pages.session_cookie(member)
    topic_url = big.get_absolute_url()
    connections.close_all()
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    post_url = shell(sys.executable, ROOT, env, OURS_FIND)["URL"]
    return env, {"blog post": post_url, "home": "/", "topic": topic_url}, f"{cookie_name}={session}"


def prepare_spirit():
    (SPIRIT_DIR / "spiritsite/settings/bench_settings.py").write_text(SPIRIT_SETTINGS)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "spiritsite.settings.bench_settings",
           "BENCH_DB": f"{DB_PREFIX}_spirit", "BENCH_REDIS": REDIS_URL, "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_ROOT_URLCONF"):
        env.pop(name, None)
    database(f"{DB_PREFIX}_spirit")
    python = SPIRIT_VENV / "bin/python"
    subprocess.run([str(python), "manage.py", "migrate", "-v0"], cwd=SPIRIT_DIR, env=env, check=True)
    found = shell(python, SPIRIT_DIR, env, SPIRIT_SEED % {"bodies": forum_pages.REPLY_BODIES})
    return env, found["URL"], found["COOKIE"]


def prepare_bakery():
    (BAKERY_DIR / "bakerydemo/settings/bench_settings.py").write_text(BAKERY_SETTINGS)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.bench_settings",
           "DATABASE_URL": database(f"{DB_PREFIX}_bakery"), "BENCH_REDIS": REDIS_URL, "PYTHONUNBUFFERED": "1"}
    for name in ("REDIS_URL", "DJANGO_ROOT_URLCONF"):
        env.pop(name, None)
    python = BAKERY_VENV / "bin/python"
    subprocess.run([str(python), "manage.py", "migrate", "-v0"], cwd=BAKERY_DIR, env=env, check=True)
    subprocess.run([str(python), "manage.py", "load_initial_data"], cwd=BAKERY_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env, shell(python, BAKERY_DIR, env, BAKERY_FIND)["URL"]


def measure(base, path, args, cookie=None):
    """wrk against base+path after three warming requests: (req/s, p99 ms, non-2xx, CPU ms/req, load)."""
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(3):
        check = requests.get(base + path, headers=headers, timeout=300)
    if check.status_code != 200:
        raise SystemExit(f"{base}{path} answered {check.status_code}")
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    cpu = forum_pages.server_cpu_seconds(base)
    run = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)
    cpu = forum_pages.server_cpu_seconds(base) - cpu
    rps, _p50, p99, errors, done = parse_wrk(run.stdout)
    return rps, p99, errors, cpu * 1000 / max(done, 1), load()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="make the peers' virtualenvs and projects")
    parser.add_argument("--bakerydemo-src", help="a bakerydemo source tree, for --setup")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--topics", type=int, default=300)
    parser.add_argument("--replies", type=int, default=6_000)
    args = parser.parse_args()
    if args.setup:
        return setup(args)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    for path, what in ((SPIRIT_VENV, "Spirit's virtualenv"), (SPIRIT_DIR, "the Spirit project"),
                       (BAKERY_VENV, "bakerydemo's virtualenv"), (BAKERY_DIR, "bakerydemo's source tree")):
        if not path.exists():
            sys.exit(f"{what} is missing at {path}: run with --setup first")
    try:
        psycopg.connect(f"{PG_SERVER}/postgres").close()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args)
    finally:
        for name in ("ours", "spirit", "bakery"):
            pg(f'DROP DATABASE IF EXISTS "{DB_PREFIX}_{name}" WITH (FORCE)')


def run(args):
    print(f"load average at start: {load()}", flush=True)
    started = time.perf_counter()
    ours_env, ours_paths, ours_cookie = prepare_ours(args)
    spirit_env, spirit_topic, spirit_cookie = prepare_spirit()
    bakery_env, bakery_post = prepare_bakery()
    print(f"prepared the three sites in {time.perf_counter() - started:.0f} s", flush=True)
    logs = Path(tempfile.gettempdir())
    rows = []
    made_env = {**ours_env, "FRAGMENT_CACHE_SECONDS": "0"}
    with gunicorn(ours_env, workers=2, threads=4, port=PORTS[0]) as ours, \
            gunicorn(made_env, workers=2, threads=4, port=PORTS[3]) as made, \
            peer_gunicorn(SPIRIT_VENV, SPIRIT_DIR, "spiritsite.wsgi", spirit_env, PORTS[1],
                          logs / "bench-peers-spirit.log") as spirit, \
            peer_gunicorn(BAKERY_VENV, BAKERY_DIR, "bakerydemo.wsgi", bakery_env, PORTS[2],
                          logs / "bench-peers-bakery.log") as bakery:
        ours_member = ours_cookie
        answer = requests.get(ours + ours_paths["topic"], headers={"Cookie": ours_member}, timeout=60)
        if "csrftoken" in answer.cookies:
            ours_member += f"; csrftoken={answer.cookies['csrftoken']}"
        plan = [
            ("ceiling (one-line view)", "ours", ours, "/bench/ceiling/", None),
            ("blog post", "ours", ours, ours_paths["blog post"], None),
            ("blog post", MADE, made, ours_paths["blog post"], None),
            ("blog post", "bakerydemo", bakery, bakery_post, None),
            ("home", "ours", ours, "/", None),
            ("home", MADE, made, "/", None),
            ("home", "bakerydemo", bakery, "/", None),
            ("topic", "ours", ours, ours_paths["topic"], None),
            ("topic", MADE, made, ours_paths["topic"], None),
            ("topic", "Spirit", spirit, spirit_topic, None),
            ("topic", "ours", ours, ours_paths["topic"], ours_member),
            ("topic", MADE, made, ours_paths["topic"], ours_member),
            ("topic", "Spirit", spirit, spirit_topic, spirit_cookie),
            ("ceiling (again, at end)", "ours", ours, "/bench/ceiling/", None),
        ]
        for label, site, base, path, cookie in plan:
            rps, p99, errors, cpu, loadavg = measure(base, path, args, cookie)
            rows.append((label, site, "member" if cookie else "anon", path, rps, p99, errors, cpu, loadavg))
            print(f"  {label:<24}{site:<23}{rows[-1][2]:<7}{rps:>8.1f} req/s  (load {loadavg})", flush=True)

    ceiling = max(r[4] for r in rows if r[0].startswith("ceiling"))
    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s; each site gunicorn 2 workers x 4 threads (gthread), "
          "DEBUG off, PostgreSQL + Redis, no page cache; the machine's 2 cores shared with wrk and other work")
    print(f"{'page':<25}{'site':<24}{'user':<8}{'req/s':>8}{'p99 ms':>9}{'of ceiling':>12}{'CPU ms/req':>12}"
          f"{'non-2xx':>9}  load average after")
    for label, site, who, _path, rps, p99, errors, cpu, loadavg in rows:
        print(f"{label:<25}{site:<24}{who:<8}{rps:>8.1f}{p99:>9.1f}{rps / ceiling:>12.1%}{cpu:>12.1f}{errors:>9}  {loadavg}")
    print("\nours against the peer (req/s ratio; CPU ms/req ratio), with the issue's targets:")
    for (label, peer), ours_as in itertools.product(
            (("blog post", "bakerydemo"), ("home", "bakerydemo"), ("topic", "Spirit")), ("ours", MADE)):
        for who in ("anon", "member"):
            mine = next((r for r in rows if r[0] == label and r[1] == ours_as and r[2] == who), None)
            theirs = next((r for r in rows if r[0] == label and r[1] == peer and r[2] == who), None)
            if not mine or not theirs:
                continue
            ratio, cpu_ratio = mine[4] / theirs[4], theirs[7] / mine[7]
            goal = TARGETS[label]
            print(f"  {label:<10}{who:<7}{ours_as:<23} {ratio:>5.2f}x {peer}'s req/s, {cpu_ratio:>5.2f}x less CPU per request "
                  f"(target {goal:g}x): {'met' if ratio >= goal else 'MISSED'}")
    return 1 if any(r[6] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
