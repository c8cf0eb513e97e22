"""Test settings: the embedded default made quick, or PostgreSQL and Redis when DATABASE_URL and
REDIS_URL are set (as .ci/run does)."""

import os

from .dev import *  # noqa: F403
from .dev import CACHES, DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Off, so each view's own queries can be pinned; tests/website/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# Sessions in the database on SQLite and on PostgreSQL + Redis alike, so pinned query counts hold
# for both runs (dev.py keeps them in Redis when REDIS_URL is set, as production does).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
DEMO_ADMIN_PASSWORD_FILE = None  # tests never touch the developer's demo admin password
# Under pytest-xdist (make test and .ci/run run the suite on several workers) each worker gets its
# own Redis database, as pytest-django gives it its own test database: every test empties the
# cache (tests/conftest.py), which must not empty another worker's under its feet.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    CACHES = {"default": {**CACHES["default"], "LOCATION": f"{_base}/{(_db - int(_WORKER[2:])) % 16}"}}

if CACHES["default"]["BACKEND"] == "core.cache.FileCache":
    # Local memory keeps the suite quick; tests/website/test_processes.py runs the real default
    # (the file cache) in two processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that tests run SQLite exactly as configured for visitors (WAL,
    # busy timeout, IMMEDIATE transactions) and threads share it as separate connections.
    # One file per run (the process id), so two runs at once on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Transactional tests end by emptying every table: with DELETEs, not Django's TRUNCATE, which
    # costs seconds a test here (tests/pg_fast_flush/base.py says why it is safe).
    DATABASES["default"]["ENGINE"] = "tests.pg_fast_flush"
