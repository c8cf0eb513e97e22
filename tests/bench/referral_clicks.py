"""Benchmark: `/r/<code>` (count the click, set the cookies, 302) against the one-line ceiling view,
with wrk on gunicorn + PostgreSQL + Redis, and afterwards: are the clicks recorded the requests served?

Creates a fresh PostgreSQL database (bench_clicks, dropped at the end), migrates it, makes a member
and their code, and serves the site with gunicorn (tests/bench/referral_settings.py: dev settings
with DEBUG off, Redis as the cache and click buffer, the per-address click limit lifted since wrk
clicks from one address; the immediate task backend, so a full buffer is flushed inside the
request that fills it). wrk keeps no cookies, so every request is a new visitor: a click row, a
device cookie and an attribution cookie each. In the same run: the ceiling, the click, the ceiling
again (the higher ceiling counts). Then clicks once more, and halfway through that run
the gunicorn workers are replaced (SIGHUP to the master), as a deploy or a crash would (this run
is not compared with the ceiling: new workers take seconds to start). Then gunicorn stops, the buffer is flushed
(`referral_clicks_flush`), and the Click rows are compared with the 302 answers in gunicorn's
access log (exact: wrk's own count misses requests that were in flight when it stopped).

Prints req/s, p50/p99, the share of the ceiling (target >= 70%) by req/s and by the gunicorn
processes' CPU time per request (steadier when other work shares the cores), and "clicks recorded vs
requests served". Exits 1 when they differ or any answer was an error.

    .venv/bin/python tests/bench/referral_clicks.py [--seconds 10] [--connections 16] [--workers 2]
    .venv/bin/python tests/bench/referral_clicks.py --embedded   # SQLite + the file cache instead
    .venv/bin/python tests/bench/referral_clicks.py --write-through   # PostgreSQL, an INSERT per click

BENCH_CLICK_FLUSH_SIZE=N sets REFERRAL_CLICK_FLUSH_SIZE (500): a huge value leaves every click in
the buffer until the end, which shows what the flushes cost the requests that run them.

Needs wrk (Debian package `wrk`), PostgreSQL (BENCH_PG_SERVER, default postgres://postgres@127.0.0.1:5432)
and Redis (database 12 is emptied).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import psycopg
import requests
from forum_pages import server_cpu_seconds
from server import ROOT, gunicorn, parse_wrk

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_clicks"
REDIS_URL = "redis://127.0.0.1:6379/12"
TARGET = 0.70


def gunicorn_master(base):
    """The pid of the gunicorn master serving `base` (the process whose parent is not gunicorn)."""
    bind = base.removeprefix("http://").encode()
    pids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if b"gunicorn" in cmdline and bind in cmdline:
            pids[int(entry)] = ppid
    masters = [pid for pid, ppid in pids.items() if ppid not in pids]
    return masters[0] if masters else None


def wrk(base, path, seconds, connections, during=None):
    """wrk's figures (server.parse_wrk) plus the gunicorn processes' CPU ms per request."""
    cpu_before = server_cpu_seconds(base)
    figures = _wrk(base, path, seconds, connections, during)
    return (*figures, (server_cpu_seconds(base) - cpu_before) * 1000 / max(figures[4], 1))


def _wrk(base, path, seconds, connections, during):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", base + path]
    if during is None:
        run = subprocess.run(command, capture_output=True, text=True, check=True)
    else:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        timer = threading.Timer(seconds / 2, during)
        timer.start()
        out, err = proc.communicate()
        timer.cancel()
        run = subprocess.CompletedProcess(command, proc.returncode, out, err)
    return parse_wrk(run.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-restart", action="store_true", help="do not replace the workers mid-run")
    parser.add_argument("--write-through", action="store_true", help="PostgreSQL, one INSERT per click, no buffer")
    parser.add_argument("--embedded", action="store_true", help="SQLite and the file cache (clicks written through)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="bench-clicks-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.referral_settings",
        "DJANGO_ROOT_URLCONF": "tests.bench.urls",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONUNBUFFERED": "1",
        "GUNICORN_CMD_ARGS": f"--access-logfile {tmp / 'access.log'}",
    }
    if args.write_through:
        env["BENCH_CLICK_BUFFER"] = "off"
    if args.embedded:
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        env["CACHE_DIR"] = str(tmp / "cache")
        return run(args, env, tmp)
    env["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    env["REDIS_URL"] = REDIS_URL
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {PG_SERVER}: {error}")
    try:
        return run(args, env, tmp)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def run(args, env, tmp):
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache

    from community.members.models import User
    from referrals.clicks import buffered, clicks_flush, clicks_pending
    from referrals.codes import code_for
    from referrals.models import Click, ReferralProgramme

    cache.clear()
    ReferralProgramme.load()
    member = User.objects.create_user(username="ελένη", email="eleni@example.com", display_name="Ελένη")
    code = code_for(member)
    from django.db import connections

    connections.close_all()
    click_path = f"/r/{code.code}?via=whatsapp"
    results, restarted = {}, []
    with gunicorn(env, workers=args.workers, threads=4) as base:
        for path in ("/bench/ceiling/", click_path):
            for _ in range(5):  # warm every worker (the clicks count too: they are served)
                check = requests.get(base + path, timeout=30, allow_redirects=False)
            assert check.status_code in (200, 302), (path, check.status_code, check.text[:300])
        results["ceiling"] = wrk(base, "/bench/ceiling/", args.seconds, args.connections)

        def restart_workers():
            master = gunicorn_master(base)
            if master:
                os.kill(master, signal.SIGHUP)  # new workers, the old ones finish what they hold
                restarted.append(master)

        results["click"] = wrk(base, click_path, args.seconds, args.connections)
        results["ceiling again"] = wrk(base, "/bench/ceiling/", args.seconds, args.connections)
        if not args.no_restart:  # not timed against the ceiling: new workers take seconds to start
            results["click, restart"] = wrk(base, click_path, args.seconds, args.connections, during=restart_workers)
    # gunicorn has stopped: what it answered is in the access log, what it counted is in the
    # database or still in the buffer, outside every process
    pending = clicks_pending()
    flushed = clicks_flush()
    served = sum(1 for line in (tmp / "access.log").read_text().splitlines()
                 if f'"GET {click_path} ' in line and '" 302 ' in line)
    recorded = Click.objects.filter(code=code).count()
    ceiling = max(results["ceiling"][0], results["ceiling again"][0])
    store = "SQLite + file cache, clicks written through" if args.embedded else (
        "PostgreSQL + Redis, clicks buffered in Redis" if buffered() else "PostgreSQL, clicks written through")
    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s; gunicorn {args.workers} workers x 4 threads; {store}")
    print(f"{'':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of ceiling':>12}{'CPU ms/req':>12}")
    for label, (rps, p50, p99, errors, _done, cpu) in results.items():
        cpu_text = "-" if "restart" in label else f"{cpu:.2f}"  # the replaced workers' CPU time is gone
        print(f"{label:<16}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{errors:>8}{rps / ceiling:>12.0%}{cpu_text:>12}")
    share = results["click"][0] / ceiling
    print(f"\n/r/<code>: {results['click'][0]:.0f} req/s vs ceiling {ceiling:.0f} req/s = {share:.0%} "
          f"(target {TARGET:.0%}: {'met' if share >= TARGET else 'MISSED'})")
    # steadier when other work shares the cores: the server's own CPU time per request
    ceiling_cpu = min(results["ceiling"][5], results["ceiling again"][5])
    print(f"by CPU time per request: {ceiling_cpu / results['click'][5]:.0%} of the ceiling "
          f"({results['click'][5]:.2f} ms vs {ceiling_cpu:.2f} ms)")
    print(f"workers restarted mid-run: {'yes' if restarted else 'no'}; clicks still buffered when gunicorn stopped: "
          f"{pending}, flushed afterwards: {flushed}")
    print(f"clicks recorded vs requests served: {recorded} vs {served} "
          f"({'equal' if recorded == served else 'DIFFERENT'}); wrk counted "
          f"{sum(r[4] for label, r in results.items() if label.startswith('click'))} + 5 warm-up")
    errors = sum(r[3] for r in results.values())
    return 0 if recorded == served and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
