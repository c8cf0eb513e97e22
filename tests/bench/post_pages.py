"""Benchmark: photo post pages on PostgreSQL + Redis against a one-line Django view, with wrk, on
gunicorn; and the time a 12-megapixel photo upload takes to answer and until its renditions are ready.

Builds a fresh PostgreSQL database (dropped and recreated each run), migrates it, and seeds it in
bulk (COPY) with 200 members, 2,000 hashtags and 100,000 posts (one to three photos each, one to
four hashtags, likes and comments). The photos point at a dozen real masters with their renditions,
so pages show <picture> elements as they will. Serves it with gunicorn (dev settings with DEBUG
off, Redis as the shared cache) and measures with wrk, in the same run: the ceiling (a view
returning "ok" through the whole middleware stack), the wall, the biggest hashtag's page and a post
page, anonymously and signed in; then the same pages again with the page cache off
(PAGE_CACHE_SECONDS=0). Targets: anonymous >= 80 % of the ceiling, signed in >= 30 %.

The upload is measured in this process through Django's test client on the same database: a
12-megapixel JPEG (4,032 x 3,024, a phone's) posted to /posts/new/ with the task backend set to
record tasks instead of running them, as a worker would take them (that is the request's own
time: the check, the re-encode of the master, the rows); then the renditions task run as the worker
would (time until ready = answer + task, with an idle worker).

    .venv/bin/python tests/bench/post_pages.py [--posts 100000] [--hashtags 2000] [--seconds 10]
        [--connections 16] [--workers 2] [--keep]

Needs wrk, PostgreSQL (trust auth for `postgres` on 127.0.0.1:5432) and Redis (database 12 is
emptied). Exits non-zero only when a response was not 2xx; missed targets are reported.
"""

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

import psycopg
import requests
from forum_pages import copy_rows, server_cpu_seconds
from server import ROOT, gunicorn, parse_wrk

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_posts"
REDIS_URL = "redis://127.0.0.1:6379/12"
MEMBERS = 200
MASTERS = 12
ANON_TARGET, MEMBER_TARGET = 0.80, 0.30
WORDS = ["linen", "summer", "sommer", "nyár", "καλοκαίρι", "été", "wool", "denim", "look", "ootd", "style",
         "beach", "city", "κήπος", "reise", "sunset"]


def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def photo_bytes(seed, size=(1600, 1200)):
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse((x, y, x + rng.randrange(10, size[0] // 6), y + rng.randrange(10, size[1] // 6)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def make_masters():
    """A dozen real masters with their renditions, as the pipeline makes them: [(name, w, h, manifest)]."""
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.images import image_process, image_use
    from core.renditions import renditions_make

    use = image_use("post_photo")
    masters = []
    for n in range(MASTERS):
        size = (1600, 1200) if n % 3 else (1200, 1600)
        processed = image_process(SimpleUploadedFile("p.jpg", photo_bytes(n, size)), use)
        name = default_storage.save(f"posts/{processed.content.name}", processed.content)
        manifest = renditions_make(default_storage, name, use.rendition_widths, use.fallback_width)
        masters.append((name, processed.width, processed.height, manifest))
    return masters


def seed(posts_total, hashtags_total):
    """Fill the database in bulk; returns (rows, the biggest hashtag's key, a post id, a member)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from community.members.models import User
    from community.posts.hashtags import hashtag_key
    from community.posts.markup import render_caption
    from community.posts.models import Comment, Hashtag, Post, PostLike, PostPhoto, TaggedPost

    rng = random.Random(20261126)
    now = timezone.now()
    rows = 0
    masters = make_masters()
    with transaction.atomic():
        password = make_password("bench-password-123")
        names = ["Ελένη", "Åsne", "Zoltán", "Maya", "Jonas", "Dóra", "Νίκος", "Sigrid", "Bence", "Ada"]
        members = User.objects.bulk_create([
            User(username=f"member{i:03d}", email=f"member{i:03d}@example.com", password=password,
                 display_name=f"{names[i % len(names)]} {i}", date_joined=now - timedelta(days=400))
            for i in range(1, MEMBERS + 1)])
        member_ids = [m.pk for m in members]
        tag_names = [f"{WORDS[i % len(WORDS)]}{i // len(WORDS) or ''}" for i in range(hashtags_total)]
        tags = Hashtag.objects.bulk_create([Hashtag(name=n, key=hashtag_key(n), slug=f"t{i}")
                                            for i, n in enumerate(tag_names)])
        tag_ids = [t.pk for t in tags]
        # A few popular hashtags carry most posts, as on any wall (Zipf-like).
        weights = [1 / (rank + 1) for rank in range(len(tags))]
        counts = dict.fromkeys(tag_ids, 0)
        post_rows, photo_rows, tagged_rows, like_rows, comment_rows = [], [], [], [], []
        photo_id = 0
        for post_id in range(1, posts_total + 1):
            chosen = {tags[i] for i in rng.choices(range(len(tags)), weights=weights, k=rng.randint(1, 4))}
            caption = f"Day {post_id} in the new shirt " + " ".join(f"#{t.name}" for t in chosen)
            created = now - timedelta(seconds=(posts_total - post_id) * 30 + rng.randint(0, 20))
            likes = rng.choice((0, 0, 1, 2, 3, 5, 8))
            comments = rng.choice((0, 0, 0, 1, 2))
            post_rows.append((post_id, member_ids[post_id % MEMBERS], caption, render_caption(caption), "published",
                              "", False, created, created, likes, comments, created if post_id % 3 else None,
                              "2026-1" if post_id % 3 else ""))
            for position in range(rng.choice((1, 1, 1, 2, 3))):
                photo_id += 1
                name, width, height, manifest = masters[(post_id + position) % MASTERS]
                photo_rows.append((photo_id, post_id, position, name, width, height, manifest, f"Photo {position + 1}"))
            for tag in chosen:
                tagged_rows.append((post_id, tag.pk))
                counts[tag.pk] += 1
            for liker in rng.sample(member_ids, likes):  # distinct members: one like each
                like_rows.append((post_id, liker, created + timedelta(minutes=5)))
            for c in range(comments):
                comment_rows.append((post_id, rng.choice(member_ids), "Love it!", "Love it!",
                                     created + timedelta(minutes=10 + c), False))
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            rows += copy_rows(cursor, Post, ["id", "author", "caption", "caption_html", "status", "reject_reason", "hidden",
                                             "created_at", "published_at", "like_count", "comment_count",
                                             "rights_granted_at", "rights_version"], post_rows)
            from psycopg.types.json import Jsonb

            rows += copy_rows(cursor, PostPhoto, ["id", "post", "position", "file", "width", "height", "renditions",
                                                  "alt_text"], [(*r[:6], Jsonb(r[6]), r[7]) for r in photo_rows])
            rows += copy_rows(cursor, TaggedPost, ["content_object", "tag"], tagged_rows)
            rows += copy_rows(cursor, PostLike, ["post", "member", "created_at"], like_rows)
            rows += copy_rows(cursor, Comment, ["post", "author", "body", "body_html", "created_at", "hidden"],
                              comment_rows)
            for model, count in ((Post, posts_total), (PostPhoto, photo_id)):
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, count])
        for tag in tags:
            tag.post_count = counts[tag.pk]
        Hashtag.objects.bulk_update(tags, ["post_count"], batch_size=1000)
        rows += len(members) + len(tags)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    biggest = max(tags, key=lambda t: counts[t.pk])
    return rows, biggest, posts_total // 2, members[4]


def session_cookie(member):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def measure_upload(member, runs=3):
    """The answer time of posting one 12-megapixel JPEG, and the renditions task's time after it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings

    from community.posts.models import PostPhoto
    from core.tasks import renditions_build

    data = photo_bytes(99, (4032, 3024))
    client = Client()
    client.force_login(member)
    answers, tasks = [], []
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
                           POSTS_RATE_LIMITS={"post": (1000, 1000, 3600)}):
        for n in range(runs):
            started = time.perf_counter()
            # Outside a transaction, as under gunicorn: the on_commit enqueue runs at once, and the
            # dummy backend only records the task.
            response = client.post("/posts/new/", {"photo_1": SimpleUploadedFile("IMG_0001.JPG", data),
                                                       "alt_1": "A bench photo", "caption": f"Upload {n} #linen"})
            answers.append(time.perf_counter() - started)
            assert response.status_code == 302, response.status_code
            photo = PostPhoto.objects.latest("pk")
            started = time.perf_counter()
            renditions_build.func("posts.PostPhoto", photo.pk, "file", "renditions", "post_photo", photo.file.name)
            tasks.append(time.perf_counter() - started)
            assert PostPhoto.objects.get(pk=photo.pk).renditions, "no renditions recorded"
    return len(data), answers, tasks


def wrk_pages(args, env, pages, member_cookie, csrf_name, label_suffix=""):
    results = []
    with gunicorn(env, workers=args.workers, threads=4) as base:
        cookie = member_cookie
        for label, path, who in pages:
            headers = {"Cookie": cookie} if who == "member" else {}
            for _ in range(3):
                check = requests.get(base + path, headers=headers, timeout=60, allow_redirects=False)
                if who == "member" and csrf_name in check.cookies and csrf_name not in cookie:
                    cookie += f"; {csrf_name}={check.cookies[csrf_name]}"
                    headers = {"Cookie": cookie}
            if check.status_code != 200:
                print(f"{label} ({who}): {path} answered {check.status_code}; skipped")
                continue
            command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
            if headers:
                command += ["-H", f"Cookie: {headers['Cookie']}"]
            cpu_before = server_cpu_seconds(base)
            run = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)
            cpu = server_cpu_seconds(base) - cpu_before
            rps, p50, p99, errors, done = parse_wrk(run.stdout)
            results.append({"label": label + label_suffix, "who": who, "path": path, "rps": rps, "p50": p50,
                            "p99": p99, "errors": errors, "kib": len(check.content) / 1024,
                            "cpu_ms": cpu * 1000 / max(done, 1), "cache": check.headers.get("X-Page-Cache", "-")})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--hashtags", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} at the end")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    media = tempfile.mkdtemp(prefix="bench-posts-media-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MEDIA_ROOT": media,
        "PYTHONUNBUFFERED": "1",
    }
    try:
        print(f"creating the database {DB_NAME} ...", flush=True)
        recreate_database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env)
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if args.keep:
            print(f"\nkept the database: DATABASE_URL={PG_SERVER}/{DB_NAME} REDIS_URL={REDIS_URL}")
        else:
            drop_database()


def run(args, env):
    py = sys.executable
    started = time.perf_counter()
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections

    settings.MEDIA_ROOT = env["MEDIA_ROOT"]
    cache.clear()
    print(f"seeding {args.posts:,} posts over {args.hashtags:,} hashtags ...", flush=True)
    started = time.perf_counter()
    rows, biggest, post_id, member = seed(args.posts, args.hashtags)
    seconds = time.perf_counter() - started
    print(f"seeded {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s, with the masters' renditions "
          f"and ANALYZE); the biggest hashtag #{biggest.name} has {biggest.post_count:,} posts", flush=True)

    size, answers, tasks = measure_upload(member)
    cookie_name, session = session_cookie(member)
    csrf_name = settings.CSRF_COOKIE_NAME
    connections.close_all()

    pages = [("wall", "/posts/"), ("hashtag page", biggest.get_absolute_url()), ("post page", f"/posts/{post_id}/")]
    targets = [("ceiling (one-line view)", "/bench/ceiling/", "anon")]
    for who in ("anon", "member"):
        targets += [(label, path, who) for label, path in pages]
    targets.append(("ceiling (again, at end)", "/bench/ceiling/", "anon"))
    member_cookie = f"{cookie_name}={session}"
    results = wrk_pages(args, env, targets, member_cookie, csrf_name)
    uncached = wrk_pages(args, {**env, "PAGE_CACHE_SECONDS": "0"},
                         [(label, path, "anon") for label, path in pages], member_cookie, csrf_name, " (no page cache)")

    ceiling = max((r["rps"] for r in results if r["path"] == "/bench/ceiling/"), default=0)
    print(f"\n{args.posts:,} posts over {args.hashtags:,} hashtags; wrk -t2 -c{args.connections} -d{args.seconds}s, "
          f"gunicorn {args.workers} workers x 4 threads, PostgreSQL + Redis, 2 cores shared with wrk")
    print(f"{'page':<32}{'user':<8}{'path':<30}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}"
          f"{'non-2xx':>9}{'KiB':>6}{'CPU ms/req':>12}{'cache':>7}")
    for r in results + uncached:
        share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
        path = r["path"] if len(r["path"]) <= 28 else f"{r['path'][:27]}…"
        print(f"{r['label']:<32}{r['who']:<8}{path:<30}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{share:>12}"
              f"{r['errors']:>9}{r['kib']:>6.0f}{r['cpu_ms']:>12.1f}{r['cache']:>7}")
    print(f"\ntargets: anonymous >= {ANON_TARGET:.0%} of the ceiling, signed in >= {MEMBER_TARGET:.0%}")
    for r in results:
        if r["path"] == "/bench/ceiling/" or not ceiling:
            continue
        goal = ANON_TARGET if r["who"] == "anon" else MEMBER_TARGET
        verdict = "met" if r["rps"] / ceiling >= goal else "MISSED"
        print(f"  {r['label']:<20}{r['who']:<8}{r['rps'] / ceiling:>5.0%} of the ceiling (target {goal:.0%}): {verdict}")
    ms = [f"{a * 1000:.0f}" for a in answers]
    print(f"\nupload of a 12-megapixel JPEG ({size / 1e6:.1f} MB, 4032 x 3024): answered in {', '.join(ms)} ms "
          f"(target < 300 ms: {'met' if min(answers) < 0.3 else 'MISSED'}); renditions ready "
          f"{', '.join(f'{(a + t) * 1000:.0f}' for a, t in zip(answers, tasks, strict=True))} ms after the upload started "
          f"(the task alone: {', '.join(f'{t * 1000:.0f}' for t in tasks)} ms)")
    failed = [r for r in results + uncached if r["errors"]]
    for r in failed:
        print(f"FAILED: {r['label']} ({r['who']}) {r['path']} had {r['errors']} non-2xx responses")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
