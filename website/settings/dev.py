"""The embedded default: SQLite, local media, a file cache shared by its processes, e-mail to files, tasks at once.

Setting DATABASE_URL or REDIS_URL switches to PostgreSQL or Redis without other changes.
"""

import environ

from .base import *  # noqa: F403
from .base import CACHES, VAR_DIR, database_from_env, redis_cache

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
INTERNAL_IPS = ["127.0.0.1"]
# Links made without a request (a management command, a task): `make run` passes its HOST:PORT.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
ROOT_URLCONF = env.str("DJANGO_ROOT_URLCONF", default="website.urls")  # benchmarks add a ceiling view
# While developing (DEBUG), template edits must show at once: no whole-page cache by default.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 600)

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": database_from_env(env, env.path("SQLITE_PATH", default=str(VAR_DIR / "db.sqlite3")))}
CACHES = {"default": {**CACHES["default"], "LOCATION": env.str("CACHE_DIR", default=CACHES["default"]["LOCATION"])}}
if env.str("REDIS_URL", default=""):
    CACHES = {"default": redis_cache(env.str("REDIS_URL"))}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # as in production

# Tasks run at once inside the request by default; TASKS_BACKEND=database queues them in the
# database for `manage.py db_worker`, as in production (the benchmarks and the two-server script).
if env.str("TASKS_BACKEND", default="immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HOME_COMMUNITY_SECONDS = env.int("HOME_COMMUNITY_SECONDS", default=60)
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=86400)
FORUM_MEMBER_PAGE_SECONDS = env.int("FORUM_MEMBER_PAGE_SECONDS", default=60)

# Every e-mail leaves through the task queue and is written to var/mail/ (one .log file per
# connection) and echoed to the console.
EMAIL_BACKEND = "website.mail.TaskQueueBackend"
EMAIL_DELIVERY_BACKEND = "website.mail.FileAndConsoleBackend"
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# `manage.py load_demo` keeps the demo admin's random password here (git-ignored), so that every
# `make run` can show it again beside "Serving on …" until someone changes it.
DEMO_ADMIN_PASSWORD_FILE = VAR_DIR / "demo-admin-password.txt"

# Webhook secrets: fixed values in development so the demo and benchmarks can sign deliveries.
SHOP_WEBHOOK_SOURCES = {
    "shopify": {"format": "shopify", "secret": env.str("SHOP_SHOPIFY_SECRET", default="dev-shopify-secret")},
    "generic": {"format": "generic", "secret": env.str("SHOP_GENERIC_SECRET", default="dev-generic-secret")},
}
