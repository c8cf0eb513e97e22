"""Benchmark: forum pages on PostgreSQL + Redis against a one-line Django view, with wrk, on gunicorn.

Builds a fresh PostgreSQL database (dropped and recreated each run), migrates it, and seeds it in
bulk (COPY) with 50 members, 6 categories, 10,000 topics and 200,000 replies, one topic having
exactly 1,000 replies. Serves it with gunicorn (dev settings with DEBUG off, Redis as the shared
cache) and measures with wrk, in the same run: the ceiling (a view returning "ok" through the whole
middleware stack), the forum index, a category page, and the first and last pages of the
1,000-reply topic, each anonymously and signed in as a member. Prints requests per second, p50/p99
latency, each page's share of the ceiling and the gunicorn processes' CPU time per request (steadier
than requests per second when other work shares the cores); the targets are an anonymous topic page at 50% of the
ceiling or more and a signed-in one at 30% or more. Needs wrk (Debian package `wrk`), PostgreSQL
(trust auth for `postgres` on 127.0.0.1:5432) and Redis (database 13 is emptied).

    .venv/bin/python tests/bench/forum_pages.py [--seconds 10] [--connections 16] [--workers 2] [--keep]

Exits non-zero only when a response was not 2xx; targets that are missed are reported, not failed.
"""

import argparse
import math
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
DB_NAME = "bench_forum"
REDIS_URL = "redis://127.0.0.1:6379/13"

MEMBERS = 50
TOPICS = 10_000
REPLIES = 200_000
BIG_TOPIC_REPLIES = 1_000
LIKES = 5_000
POSTS_PER_PAGE = 20  # community.forum.selectors.POSTS_PER_PAGE, checked after Django starts

ANON_TARGET, MEMBER_TARGET = 0.50, 0.30

CATEGORIES = [
    ("Fit and sizing", "fit-and-sizing", "#0f5c4d"),
    ("Care and repairs", "care-and-repairs", "#7a3b1d"),
    ("Styling", "styling", "#3b4a8c"),
    ("Fabrics and making", "fabrics-and-making", "#6b2d5c"),
    ("Orders and delivery", "orders-and-delivery", "#2d6b3a"),
    ("Off topic", "off-topic", "#555555"),
]
SUBJECTS = ["linen shirt", "wool coat", "wide trousers", "summer dress", "denim jacket", "knit jumper",
            "canvas tote", "rain mac", "cord skirt", "silk scarf"]
QUESTIONS = ["How does the {} fit?", "Washing the {} at 40°?", "What to wear with the {}", "Is the {} worth it?",
             "Repairing a torn {}", "Sizing up or down in the {}?", "The {} after a year", "Colour of the {} fading"]
OPENINGS = [
    "I bought the **{s}** last month and I am not sure about the size.\n\n"
    "- I usually take an M\n- my shoulders are broad\n- I like it a bit loose\n\n"
    "Has anyone with a similar build tried it? Photos welcome.",
    "Quick question about the {s}: the label says *30 °C*, but the shop page says 40.\n\n"
    "Which one is right? I don't want to ruin it. See [the care guide](https://example.com/care) too.",
    "## A year with the {s}\n\nI have worn it nearly every week. The seams held, one button came loose, "
    "the colour softened in a nice way.\n\n> Buy less, choose well.\n\nWhat are your long-term reviews?",
]
REPLY_BODIES = [
    "Same here, I sized down and it is perfect.",
    "I wash mine at 30 °C inside out, no problems after two years. @member02 said the same in another topic.",
    "Try the **next size up** if you layer under it. The sleeves run a little short.",
    "Mine shrank about 1 cm after the first wash, then never again.\n\nSo expect a little, not much.",
    "There is a guide here: https://example.com/guide — scroll to *Fit*.",
    "I asked the shop and they said:\n\n> The fabric is pre-washed, so it will not shrink.\n\nGood to know!",
    "1. Cold water\n2. No dryer\n3. Iron while damp\n\nThat's the trick.",
    "Ελένη here: the dark blue is lovely, the grey less so. Ja, enig! Szerintem is jó.",
    "`Size M` on me (176 cm, 70 kg) fits like the photos.",
    "Thanks, that helps a lot! 🙏",
]


def server_cpu_seconds(base):
    """CPU time (user + system) used so far by the gunicorn processes serving `base` (found by the
    --bind address on their command line). The machine is shared, so CPU time per request says
    more than requests per second when other work competes for the cores."""
    bind = base.removeprefix("http://").encode()
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if b"gunicorn" not in (cmdline := f.read()) or bind not in cmdline:
                    continue
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


# --- database ---------------------------------------------------------------------------------

def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def split_replies(rng, topics, total, big_index, big_replies):
    """Replies per topic: `big_replies` for the big one, the rest spread 0..39 and summing to `total`."""
    counts = [rng.randint(0, 39) for _ in range(topics)]
    counts[big_index] = big_replies
    others = [i for i in range(topics) if i != big_index]
    diff = total - sum(counts)
    while diff:
        i = rng.choice(others)
        if diff > 0 and counts[i] < 60:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1
    return counts


def copy_rows(cursor, model, fields, rows):
    """COPY `rows` (tuples in the order of `fields`, attribute names) into `model`'s table."""
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def seed():
    """Fill the database in bulk; returns (rows written, the big topic, a member to sign in as)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from community.forum.markup import members_for_mentions, render_markdown
    from community.forum.models import Category, ForumTag, Post, PostLike, TaggedTopic, Topic
    from community.members.models import User

    rng = random.Random(20240601)
    now = timezone.now()
    rows = 0
    clock = [time.perf_counter()]

    def lap():
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    with transaction.atomic():
        password = make_password("bench-password-123")  # hashed once, shared by every member
        names = ["Ελένη", "Åsne", "Zoltán", "Maya", "Jonas", "Dóra", "Νίκος", "Sigrid", "Bence", "Ada"]
        members = User.objects.bulk_create([
            User(username=f"member{i:02d}", email=f"member{i:02d}@example.com", password=password,
                 display_name=f"{names[i % len(names)]} {i}", date_joined=now - timedelta(days=400))
            for i in range(1, MEMBERS + 1)
        ])
        member_ids = [m.pk for m in members]
        categories = Category.objects.bulk_create([
            Category(name=name, slug=slug, colour=colour, position=i, description=f"Talk about {name.lower()}.")
            for i, (name, slug, colour) in enumerate(CATEGORIES)
        ])
        tags = ForumTag.objects.bulk_create([ForumTag(name=s, slug=slugify(s)) for s in SUBJECTS])
        rows += len(members) + len(categories) + len(tags)

        # A handful of bodies, rendered once (mentions resolved against the members above).
        openings = [(b, render_markdown(b, members_for_mentions(b)))
                    for s in SUBJECTS for b in (t.format(s=s) for t in OPENINGS)]
        replies = [(b, render_markdown(b, members_for_mentions(b))) for b in REPLY_BODIES]

        big_index = 0
        counts = split_replies(rng, TOPICS, REPLIES, big_index, BIG_TOPIC_REPLIES)
        topic_rows, post_rows, tagged_rows = [], [], []
        post_id = 0
        per_category = {c.pk: [0, 0, None] for c in categories}  # topics, posts, last posted at
        pinned_categories = set()
        for index in range(TOPICS):
            topic_id = index + 1
            n_replies = counts[index]
            category = categories[0] if index == big_index else rng.choice(categories)
            if index == big_index:
                title = "The big linen thread: 1,000 replies on care, fit and colours"
                start, end = now - timedelta(days=300), now - timedelta(minutes=5)
            else:
                subject = rng.choice(SUBJECTS)
                title = f"{rng.choice(QUESTIONS).format(subject)} ({topic_id})"
                start = now - timedelta(seconds=rng.uniform(3600, 365 * 86400))
                end = start + (now - start) * rng.uniform(0.02, 0.95)
            step = (end - start) / max(1, n_replies)
            first_post_id = post_id + 1
            author = None
            for number in range(1, n_replies + 2):
                post_id += 1
                poster = rng.choice(member_ids)
                if number == 1:
                    author = poster
                    body, html = rng.choice(openings)
                    reply_to = None
                else:
                    body, html = rng.choice(replies)
                    reply_to = first_post_id + rng.randrange(number - 1) if rng.random() < 0.15 else None
                # id, topic, number, author, body, body_html, reply_to, created_at, like_count, hidden, approved
                post_rows.append([post_id, topic_id, number, poster, body, html, reply_to, start + step * (number - 1),
                                  0, False, True])
            last = post_rows[-1]
            pinned = category.pk not in pinned_categories and index != big_index
            if pinned:
                pinned_categories.add(category.pk)
            solution = first_post_id + 1 if n_replies and index != big_index and rng.random() < 0.1 else None
            # id, category, title, slug, author, created_at, last_posted_at, last_poster, last_post_number,
            # reply_count, like_count, solution, pinned, locked, closed, hidden, approved
            topic_rows.append([topic_id, category.pk, title, slugify(title, allow_unicode=True)[:140].strip("-") or "topic",
                               author, start, last[7], last[3], n_replies + 1, n_replies, 0, solution, pinned,
                               False, False, False, True])
            stats = per_category[category.pk]
            stats[0] += 1
            stats[1] += n_replies + 1
            stats[2] = max(stats[2], last[7]) if stats[2] else last[7]
            if rng.random() < 0.3:
                for tag in rng.sample(tags, rng.randint(1, 2)):
                    tagged_rows.append((topic_id, tag.pk))

        # Likes: unique (post, member) pairs, with the counters on posts and topics to match.
        like_pairs = set()
        big_posts = range(1, BIG_TOPIC_REPLIES + 2)  # the big topic's posts have ids 1..1001
        while len(like_pairs) < LIKES:
            pid = rng.choice(big_posts) if rng.random() < 0.2 else rng.randint(1, post_id)
            like_pairs.add((pid, rng.choice(member_ids)))
        like_rows = []
        for pid, member in like_pairs:
            post = post_rows[pid - 1]
            post[8] += 1
            topic_rows[post[1] - 1][10] += 1
            like_rows.append((pid, member, post[7]))

        built = lap()
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # psycopg 3's own cursor, for COPY
            rows += copy_rows(cursor, Topic, ["id", "category", "title", "slug", "author", "created_at", "last_posted_at",
                                              "last_poster", "last_post_number", "reply_count", "like_count",
                                              "solution", "pinned", "locked", "closed", "hidden", "approved"],
                              topic_rows)
            rows += copy_rows(cursor, Post, ["id", "topic", "number", "author", "body", "body_html", "reply_to",
                                             "created_at", "like_count", "hidden", "approved"], post_rows)
            rows += copy_rows(cursor, PostLike, ["post", "member", "created_at"], like_rows)
            rows += copy_rows(cursor, TaggedTopic, ["content_object", "tag"], tagged_rows)
            for model in (Topic, Post):
                table = model._meta.db_table
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, len(
                    topic_rows if model is Topic else post_rows)])
        for category in categories:
            category.topic_count, category.post_count, category.last_posted_at = per_category[category.pk]
        Category.objects.bulk_update(categories, ["topic_count", "post_count", "last_posted_at"])
    copied = lap()  # including the commit, where the deferred foreign keys are checked
    # The badges their posts earned, as on a forum that has lived a while (COPY sends no signal): the
    # members' first posts through the site would otherwise each award "First post" during a run,
    # moving every page that shows that member once, which a living forum did long ago.
    from engagement.play.services import badges_recompute, rule_badges_ensure

    rule_badges_ensure()
    badges_recompute(members, now=now)
    with connection.cursor() as cursor:  # fresh statistics, as a database that has lived a while has
        cursor.execute("ANALYZE")
    print(f"  members, categories, bodies and rows built in Python: {built:.1f} s; COPY and commit: {copied:.1f} s; "
          f"ANALYZE: {lap():.1f} s", flush=True)
    big = Topic.objects.get(pk=big_index + 1)
    assert big.posts.count() == BIG_TOPIC_REPLIES + 1 and big.reply_count == BIG_TOPIC_REPLIES
    return rows, len(post_rows), big, members[4]


def session_cookie(member):
    """A signed-in session for `member`, stored where the server will look for it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


# --- the run ----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
        print(f"creating the database {DB_NAME} ...", flush=True)
        recreate_database()
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env, database_url)
    finally:
        if args.keep:
            print(f"\nkept the database: DATABASE_URL={database_url} REDIS_URL={REDIS_URL}")
        else:
            drop_database()


def run(args, env, database_url):
    py = sys.executable
    started = time.perf_counter()
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

    # Seed in this process, with the same settings the server will use.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connections

    from community.forum import selectors

    assert selectors.POSTS_PER_PAGE == POSTS_PER_PAGE, "the topic page size changed: update the bench"
    cache.clear()  # Redis database 13 belongs to this bench: no counters or versions from earlier runs
    print(f"seeding {TOPICS:,} topics and {REPLIES:,} replies ...", flush=True)
    started = time.perf_counter()
    rows, posts, big, member = seed()
    seconds = time.perf_counter() - started
    print(f"seeded {rows:,} rows ({posts:,} posts) in {seconds:.1f} s: {rows / seconds:,.0f} rows/s "
          "(including the final ANALYZE)", flush=True)
    cookie_name, session = session_cookie(member)
    from django.conf import settings

    csrf_name = settings.CSRF_COOKIE_NAME
    category_url = big.category.get_absolute_url()
    topic_url = big.get_absolute_url()
    last_page = math.ceil(big.last_post_number / POSTS_PER_PAGE)
    connections.close_all()

    pages = [("forum index", "/forum/"), ("category", category_url), ("topic, first page", topic_url),
             ("topic, last page", f"{topic_url}?page={last_page}")]
    targets = [("ceiling (one-line view)", "/bench/ceiling/", "anon")]
    for who in ("anon", "member"):
        targets += [(label, path, who) for label, path in pages]
    # The ceiling again at the end: the first run can meet PostgreSQL still busy after the seed
    # (autovacuum), and a low ceiling would flatter every share. The higher of the two counts.
    targets.append(("ceiling (again, at end)", "/bench/ceiling/", "anon"))

    results = []
    with gunicorn(env, workers=args.workers, threads=4) as base:
        member_cookie = f"{cookie_name}={session}"
        for label, path, who in targets:
            headers = {"Cookie": member_cookie} if who == "member" else {}
            for _ in range(3):  # warm every worker, and move the member's read position
                check = requests.get(base + path, headers=headers, timeout=60, allow_redirects=False)
                if who == "member" and csrf_name in check.cookies and csrf_name not in member_cookie:
                    # a browser keeps the CSRF cookie it was given; so does wrk from now on
                    member_cookie += f"; {csrf_name}={check.cookies[csrf_name]}"
                    headers = {"Cookie": member_cookie}
            if check.status_code != 200:
                print(f"{label} ({who}): {path} answered {check.status_code}; skipped")
                continue
            if who == "member" and "/accounts/logout/" not in check.text:
                print(f"{label} ({who}): the page does not look signed in; the session cookie may not work")
            command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
            if headers:
                command += ["-H", f"Cookie: {headers['Cookie']}"]
            cpu_before = server_cpu_seconds(base)
            run = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)
            cpu = server_cpu_seconds(base) - cpu_before
            rps, p50, p99, errors, done = parse_wrk(run.stdout)
            results.append({"label": label, "who": who, "path": path, "rps": rps, "p50": p50, "p99": p99,
                            "errors": errors, "kib": len(check.content) / 1024, "cpu_ms": cpu * 1000 / max(done, 1)})

    ceiling = max((r["rps"] for r in results if r["path"] == "/bench/ceiling/"), default=0)
    print(f"\n{TOPICS:,} topics, {REPLIES:,} replies; the big topic has {big.reply_count:,} replies "
          f"({last_page} pages of {POSTS_PER_PAGE})")
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn {args.workers} workers x 4 threads, "
          "PostgreSQL + Redis, 2 cores shared with wrk; CPU ms/req is the gunicorn processes' own CPU time")
    print(f"{'page':<25}{'user':<8}{'path':<52}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}"
          f"{'non-2xx':>9}{'KiB':>6}{'CPU ms/req':>12}")
    for r in results:
        share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
        path = r["path"] if len(r["path"]) <= 50 else f"{r['path'][:28]}…{r['path'][-21:]}"
        print(f"{r['label']:<25}{r['who']:<8}{path:<52}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{share:>12}"
              f"{r['errors']:>9}{r['kib']:>6.0f}{r['cpu_ms']:>12.1f}")

    print(f"\ntargets: an anonymous topic page >= {ANON_TARGET:.0%} of the ceiling, "
          f"a signed-in one >= {MEMBER_TARGET:.0%}")
    for r in results:
        if not r["label"].startswith("topic") or not ceiling:
            continue
        goal = ANON_TARGET if r["who"] == "anon" else MEMBER_TARGET
        verdict = "met" if r["rps"] / ceiling >= goal else "MISSED"
        print(f"  {r['label']:<20}{r['who']:<8}{r['rps'] / ceiling:>5.0%} of the ceiling (target {goal:.0%}): {verdict}")
    failed = [r for r in results if r["errors"]]
    for r in failed:
        print(f"FAILED: {r['label']} ({r['who']}) {r['path']} had {r['errors']} non-2xx responses")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
