"""Benchmark: 32 concurrent signed-in visitors reading and writing on the embedded SQLite default.

Starts gunicorn (2 workers x 16 threads, dev settings, DEBUG off) on a fresh SQLite file, signs in
32 members, then each visitor loops for DURATION seconds over: home page, a profile, the profile
form, and a profile save (POST). Prints requests per second, p50/p99 answer times, and the count
of answers by status; any 5xx (a "database is locked" would be one) makes it exit 1.

    .venv/bin/python tests/bench/sqlite_concurrency.py [DURATION_SECONDS]
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from server import ROOT, gunicorn

VISITORS = 32
DURATION = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0



def main():
    tmp = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    py = sys.executable
    print(f"preparing database in {tmp} ...", flush=True)
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup = (
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY\n"
        "from community.members.models import User\n"
        f"for i in range({VISITORS}):\n"
        "    u, _ = User.objects.get_or_create(username=f'bench{i}', defaults={'email': f'bench{i}@example.com'})\n"
        "    u.set_password('bench-password-123'); u.save()\n"
        "    s = SessionStore(); s[SESSION_KEY] = str(u.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "    s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create()\n"
        "    print(u.username, s.session_key)\n"
    )
    out = subprocess.run([py, "manage.py", "shell", "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    sessions = [line.split() for line in out.stdout.splitlines() if line.startswith("bench")]
    with gunicorn(env, workers=2, threads=16) as base:
        timings, statuses, lock = [], Counter(), threading.Lock()
        stop_at = time.monotonic() + DURATION
        start = threading.Barrier(VISITORS)

        def timed(call, url, **kwargs):
            t0 = time.perf_counter()
            response = call(url, timeout=30, **kwargs)
            with lock:
                timings.append(time.perf_counter() - t0)
                statuses[response.status_code] += 1
            return response

        def visitor(username, session_key):
            http = requests.Session()
            http.cookies.set("sessionid", session_key)
            start.wait()
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                timed(http.get, base + "/")
                timed(http.get, f"{base}/members/{username}/")
                form = timed(http.get, base + "/me/profile/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                data = {"csrfmiddlewaretoken": token.group(1) if token else "", "display_name": f"Bench {n}", "bio": f"round {n}"}
                timed(http.post, base + "/me/profile/", data=data, allow_redirects=False)

        threads = [threading.Thread(target=visitor, args=(u, k)) for u, k in sessions]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
    timings.sort()
    total = len(timings)
    print(f"visitors: {VISITORS}  duration: {elapsed:.1f} s  requests: {total}")
    print(f"requests/s: {total / elapsed:.1f}")
    print(f"p50: {statistics.median(timings) * 1000:.1f} ms  p99: {timings[int(total * 0.99) - 1] * 1000:.1f} ms")
    print("statuses: " + ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items())))
    errors = sum(c for code, c in statuses.items() if code >= 500)
    print(f"5xx answers: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
