"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py website.wsgi`.

Every value can be overridden by the environment (PORT, WEB_CONCURRENCY, GUNICORN_THREADS, ...).
"""

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
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only the proxy in front may set X-Forwarded-*; list its address(es) in FORWARDED_ALLOW_IPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_ms":%(M)s,"user_agent":"%(a)s"}'
)
