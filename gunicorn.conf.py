"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py website.wsgi`.

Every value can be overridden by the environment (PORT, WEB_CONCURRENCY, GUNICORN_THREADS, ...).
"""

import gc
import os

# Loopback by default: the proxy in front (which sets X-Forwarded-For) is the only client, so nobody
# can reach gunicorn directly and dodge per-IP limits with a forged header. Set BIND_HOST (e.g.
# 0.0.0.0 inside a container whose port only the proxy reaches) to listen elsewhere.
bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The app is imported once, before the workers fork: they start at once and share its memory.
# Django opens no database connection at import, so nothing is shared that must not be.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# No recycling by count: restarting every worker after N requests made them restart almost
# together every few seconds under load (tests/bench: p99 of seconds). A worker is recycled only
# when it grows past GUNICORN_MAX_RSS_MB (the memory guard in post_request below); set
# GUNICORN_MAX_REQUESTS to recycle by count as well (with a jitter of a fifth of it).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 5
MAX_RSS_MB = int(os.environ.get("GUNICORN_MAX_RSS_MB", "300"))
# Only the proxy in front may set X-Forwarded-*; list its address(es) in FORWARDED_ALLOW_IPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_ms":%(M)s,"user_agent":"%(a)s"}'
)


def _rss_mb():
    """This process's resident memory in MB (Linux), or 0 where /proc is not there."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def post_request(worker, req, environ, resp):
    # The memory guard: a worker that has grown past the limit finishes what it is doing and is
    # replaced, one worker at a time (the others keep serving).
    if MAX_RSS_MB and worker.alive and _rss_mb() > MAX_RSS_MB:
        worker.log.info("worker %s uses more than %s MB: recycling it", worker.pid, MAX_RSS_MB)
        worker.alive = False


def pre_fork(server, worker):
    # The preloaded app (about 130 MB: some 2,300 modules, most of them Wagtail's and Django's) is
    # shared with each worker until a page of it is written. Python's cyclic garbage collector
    # writes to every object it walks, and so copied the whole app into each worker: frozen here,
    # the objects made at import stay out of its walks, and stay shared (tests/bench/worker_memory.py
    # prints each worker's private memory, USS, beside its RSS).
    if os.environ.get("GUNICORN_GC_FREEZE", "1") != "0":
        gc.collect()
        gc.freeze()
