"""Two app servers, one site (issue 18, item 6): two gunicorn instances behind HAProxy on one
PostgreSQL and one Redis, and the four behaviours a second server must not break.

1. A reply posted through server A is seen at once through server B, anonymous and signed in (and
   through the load balancer).
2. A rate limit counts across both: a new member's replies, sent to A and B in turn, are refused
   after the limit, not after twice the limit.
3. A moderator's hide on A is obeyed on B (anonymous and signed in as another member).
4. The task worker (`manage.py db_worker`), killed with SIGKILL mid-queue and restarted (after
   `manage.py tasks_recover`, which puts back what it left running), loses no e-mail and no webhook
   delivery: every delivery posted through the balancer is processed, every e-mail is written.

Prints each result and exits 1 when any behaviour fails. A bench script, not part of the test run.
Installs HAProxy (Debian's package, `apt-get install -y haproxy`) when it is missing.

Takes everything from the environment and touches nothing else: BENCH_PG_SERVER
(postgres://postgres@127.0.0.1:5432), BENCH_DB_NAME (bench_two_servers, dropped and created),
BENCH_REDIS_URL (redis://127.0.0.1:6379/12, emptied), BENCH_PORTS ("A,B,balancer"; free ones).

    .venv/bin/python tests/bench/two_servers.py [--deliveries 300] [--emails 100]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg
import requests
from server import ROOT, free_port, gunicorn

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_two_servers")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SECRET = "two-servers-secret"

results = []


def report(name, ok, detail):
    results.append(ok)
    print(f"[{'ok' if ok else 'FAILED'}] {name}: {detail}", flush=True)


def admin(sql):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def ensure_haproxy():
    if shutil.which("haproxy"):
        return
    print("installing haproxy (apt-get install -y haproxy) ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "haproxy"], check=True, stdout=subprocess.DEVNULL)


def haproxy(port, backends, folder):
    config = Path(folder) / "haproxy.cfg"
    servers = "\n".join(f"    server s{i} 127.0.0.1:{p}" for i, p in enumerate(backends))
    config.write_text(f"""global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend site
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
{servers}
""")
    process = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            requests.get(base + "/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.1)
    return process, base


class Browser:
    """A member's (or a visitor's) session, sent to any server: the session lives in Redis."""

    def __init__(self, cookie=None):
        self.http = requests.Session()
        if cookie:
            self.http.cookies.set(*cookie)

    def get(self, base, path):
        return self.http.get(base + path, timeout=60)

    def post_form(self, base, form_path, data, action=None):
        """GET the form for its CSRF token, then POST it (to `action`, else the form's address)."""
        page = self.get(base, form_path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        payload = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        return self.http.post(base + (action or form_path), data=payload, timeout=60, allow_redirects=False,
                              headers={"Referer": base + form_path})


def seed():
    from datetime import timedelta

    from django.utils import timezone

    from community.forum import services
    from community.forum.models import Category
    from community.moderation.services import moderator_grant
    from tests.factories import MemberFactory

    category = Category.objects.create(name="Care", slug="care", description="Washing and mending.")
    old = timezone.now() - timedelta(days=400)
    alice = MemberFactory(username="alice", display_name="Alice", date_joined=old)
    carol = MemberFactory(username="carol", display_name="Carol", date_joined=old)
    newbie = MemberFactory(username="newbie", display_name="Newbie")  # joined today: tighter limits
    moderator = moderator_grant(MemberFactory(username="mod", display_name="Moderator", date_joined=old))
    topic = services.topic_create(carol, category, title="How do I wash linen?", body="Cold or warm water?")
    for n in range(3):  # alice is an established member
        services.post_reply(alice, topic, body=f"An earlier answer, number {n}.")
    return topic, alice, carol, newbie, moderator


def cookie_for(member):
    from tests.bench.forum_pages import session_cookie

    return session_cookie(member)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=300)
    parser.add_argument("--emails", type=int, default=100)
    args = parser.parse_args()
    ensure_haproxy()
    ports = [int(p) for p in os.environ.get("BENCH_PORTS", "").split(",") if p] or [free_port() for _ in range(3)]
    folder = tempfile.mkdtemp(prefix="two-servers-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "PAGE_CACHE_SECONDS": "600",
        "TASKS_BACKEND": "database",
        "SHOP_GENERIC_SECRET": SECRET,
        "EMAIL_FILE_PATH": str(Path(folder) / "mail"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONUNBUFFERED": "1",
    }
    admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{DB_NAME}"')
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import logging

        logging.disable(logging.INFO)
        from django.core.cache import cache
        from django.db import connections

        cache.clear()  # this script's own Redis database
        seeded = seed()
        connections.close_all()
        with ExitStack() as stack:
            a = stack.enter_context(gunicorn(env, workers=1, threads=4, port=ports[0],
                                             log=Path(folder) / "a.log"))
            b = stack.enter_context(gunicorn(env, workers=1, threads=4, port=ports[1],
                                             log=Path(folder) / "b.log"))
            balancer, lb = haproxy(ports[2], ports[:2], folder)
            stack.callback(balancer.terminate)
            print(f"server A {a}, server B {b}, HAProxy {lb}; PostgreSQL {DB_NAME}, Redis {REDIS_URL}", flush=True)
            run(args, env, folder, a, b, lb, *seeded)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{sum(results)} of {len(results)} behaviours hold")
    return 0 if results and all(results) else 1


def run(args, env, folder, a, b, lb, topic, alice, carol, newbie, moderator):
    from community.forum.models import Post
    from community.forum.ratelimit import limit_for

    path = topic.get_absolute_url()
    visitor, alice_s, carol_s = Browser(), Browser(cookie_for(alice)), Browser(cookie_for(carol))
    # Both servers have the topic in the page cache and in their member caches.
    for base in (a, b, lb, lb):
        visitor.get(base, path)
        carol_s.get(base, path)

    # 1. A reply through A, seen at once through B.
    text = "Cold water and a gentle cycle, every time."
    posted = alice_s.post_form(a, f"/forum/t/{topic.pk}/reply/", {"body": text})
    seen = {
        "B anonymous": text in visitor.get(b, path).text,
        "B signed in": text in carol_s.get(b, path).text,
        "balancer anonymous x2": all(text in visitor.get(lb, path).text for _ in range(2)),
    }
    report("a reply through A is seen at once through B", posted.status_code == 302 and all(seen.values()),
           f"POST on A answered {posted.status_code}; " + ", ".join(f"{k}: {'yes' if v else 'NO'}"
                                                                      for k, v in seen.items()))

    # 2. A rate limit counts across both servers.
    limit, _window = limit_for(newbie, "reply")
    newbie_s = Browser(cookie_for(newbie))
    answers = []
    for n in range(limit + 2):
        base = (a, b)[n % 2]
        answers.append(newbie_s.post_form(base, f"/forum/t/{topic.pk}/reply/",
                                          {"body": f"Reply number {n} from a new member."}).status_code)
    accepted = answers.count(302)
    report("a rate limit counts across both servers", accepted == limit and answers[limit:] == [429, 429],
           f"limit {limit} replies; sent {len(answers)} alternately to A and B: {accepted} accepted, "
           f"then {answers[limit:]}")

    # 3. A moderator's hide on A is obeyed on B.
    reply = Post.objects.get(topic=topic, body=text)
    moderator_s = Browser(cookie_for(moderator))
    hidden = moderator_s.post_form(a, path, {"action": "hide", "reason": "two servers"},
                                   action=f"/forum/p/{reply.pk}/moderate/")
    gone = {"B anonymous": text not in visitor.get(b, path).text,
            "B signed in (another member)": text not in carol_s.get(b, path).text,
            "balancer anonymous": text not in visitor.get(lb, path).text}
    report("a moderator's hide on A is obeyed on B", hidden.status_code == 302 and all(gone.values()),
           f"hide on A answered {hidden.status_code}; " + ", ".join(f"{k}: {'gone' if v else 'STILL SHOWN'}"
                                                                    for k, v in gone.items()))

    # 4. The task worker killed mid-queue loses nothing.
    worker_killed(args, env, folder, lb)


def worker_killed(args, env, folder, lb):
    from django.core.mail import send_mail
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from shop.models import WebhookDelivery
    from shop.services import signature_for

    statuses = []
    for n in range(args.deliveries):
        body = json.dumps({"delivery_id": f"two-{n}", "topic": "orders/create", "data": {
            "id": f"T-{n}", "email": f"buyer{n}@example.com", "placed_at": "2026-10-01T09:00:00Z", "currency": "EUR",
            "status": "paid", "subtotal": "10.00", "total": "10.00", "discount_codes": [],
            "lines": [{"id": "1", "sku": "SKU-1", "name": "Socks", "quantity": 1, "unit_price": "10.00"}]}}).encode()
        statuses.append(requests.post(lb + "/webhooks/shop/generic/", data=body, timeout=60, headers={
            "Content-Type": "application/json", "X-Community-Hmac-SHA256": signature_for(SECRET, body)}).status_code)
    for n in range(args.emails):  # through the site's e-mail backend: one task per message
        send_mail(f"Two servers, message {n}", "Hello.", None, [f"member{n}@example.com"])
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2",
               "-v0"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    target = max(1, queued // 3)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        done = DBTaskResult.objects.exclude(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()
        if done >= target:
            break
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    left_running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    done_at_kill = DBTaskResult.objects.exclude(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()
    subprocess.run([sys.executable, "manage.py", "tasks_recover", "--older-than", "0", "-v0"], cwd=ROOT, env=env,
                   check=True)
    subprocess.run(command[:3] + ["--batch"] + command[3:], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processed = WebhookDelivery.objects.filter(state=WebhookDelivery.State.PROCESSED).count()
    from shop.models import Order

    orders = Order.objects.filter(external_id__startswith="T-").count()
    subjects = []
    for log in (Path(folder) / "mail").glob("*.log"):
        subjects += re.findall(r"^Subject: (Two servers, message \d+)$", log.read_text(), re.MULTILINE)
    written = len(set(subjects))
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    ok = (statuses.count(202) == args.deliveries and processed == orders == args.deliveries
          and written == args.emails and failed == 0)
    report("the task worker killed mid-queue and restarted loses nothing", ok,
           f"{args.deliveries} deliveries accepted {statuses.count(202)}, {queued} tasks queued; killed after "
           f"{done_at_kill} done with {left_running} left running (put back by tasks_recover); after the restart: "
           f"{processed} deliveries processed, {orders} orders, {written} of {args.emails} e-mails written "
           f"({len(subjects) - written} twice), {failed} tasks failed")


if __name__ == "__main__":
    sys.exit(main())
