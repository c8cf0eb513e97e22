"""What the benchmarks share: a free port, gunicorn serving the site until the block ends, and
reading wrk's report.

The scripts run as files (`python tests/bench/x.py`), so they import this as `server`.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
MASTERS = {}  # port -> the gunicorn master's pid, while it serves


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, workers=2, threads=4, log=None, port=None):
    """Serve website.wsgi with `env` on a free loopback port; yield its base URL once /healthz
    answers 200, stop it when the block ends. Output goes to `log` (a path) when given."""
    port = port or int(os.environ.get("BENCH_PORT") or 0) or free_port()
    out = open(log, "wb") if log else None  # closed below, after the server stops
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "website.wsgi", "--config", os.devnull, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
    )
    base = f"http://127.0.0.1:{port}"
    MASTERS[port] = server.pid
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
        MASTERS.pop(port, None)
        server.terminate()
        server.wait(timeout=30)
        if out:
            out.close()


def children(pid):
    """The pids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid):
    """A process's resident memory in MB (VmRSS), or 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_rss_mb(port):
    """The RSS (MB) of each worker of the gunicorn serving `port` from this process."""
    master = MASTERS.get(port)
    return [rss_mb(pid) for pid in children(master)] if master else []


def parse_wrk(output):
    """wrk --latency's report: (requests per second, p50 ms, p99 ms, non-2xx/3xx answers, requests)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(pct):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    done = int(re.search(r"(\d+) requests in", output).group(1))
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0, done
