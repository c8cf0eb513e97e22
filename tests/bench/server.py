"""What the benchmarks share: a free port and gunicorn serving the site until the block ends.

The scripts run as files (`python tests/bench/x.py`), so they import this as `server`.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, workers=2, threads=4, log=None):
    """Serve website.wsgi with `env` on a free loopback port; yield its base URL once /healthz
    answers 200, stop it when the block ends. Output goes to `log` (a path) when given."""
    port = free_port()
    out = open(log, "wb") if log else None  # closed below, after the server stops
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "website.wsgi", "--config", os.devnull, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer /healthz{f'; see {log}' if log else ''}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        if out:
            out.close()
