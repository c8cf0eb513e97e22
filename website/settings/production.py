"""Production: everything comes from environment variables.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), REDIS_URL. A missing one stops
start-up with ImproperlyConfigured naming the variable. Optional groups are listed in the README.
"""

import copy

import environ
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ADMIN_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY, LOGGING, database_from_env, redis_cache

env = environ.Env()


def required(name, cast=str, **kwargs):
    try:
        value = env.get_value(name, cast=cast, **kwargs)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production (see README, 'Production')."
        ) from None
    if value in ("", [], None):
        raise ImproperlyConfigured(f"The environment variable {name} is set but empty.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = required("ALLOWED_HOSTS", cast=list)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS])

required("DATABASE_URL")
DATABASES = {"default": database_from_env(env, None)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...) in production.")

REDIS_URL = required("REDIS_URL")
CACHES = {"default": redis_cache(REDIS_URL)}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto and X-Forwarded-For.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # false only while trying a new domain
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(MEDIA_ROOT))
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible media (AWS, MinIO, R2, ...). Credentials come from the usual AWS_* variables.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
    # Pictures then come from the bucket's host: the Content-Security-Policies must allow it.
    _media = STORAGES["default"]["OPTIONS"]
    if _media["custom_domain"]:
        _media_origins = [f"https://{_media['custom_domain']}"]
    elif _media["endpoint_url"]:
        _media_origins = [_media["endpoint_url"].rstrip("/")]
    else:
        _bucket = _media["bucket_name"]
        _media_origins = [f"https://{_bucket}.s3.amazonaws.com"]
        if _media["region_name"]:
            _media_origins.append(f"https://{_bucket}.s3.{_media['region_name']}.amazonaws.com")
    CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)
    ADMIN_CONTENT_SECURITY_POLICY = copy.deepcopy(ADMIN_CONTENT_SECURITY_POLICY)
    for _policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):
        _policy["DIRECTIVES"]["img-src"] += _media_origins
        _policy["DIRECTIVES"]["media-src"] += _media_origins

EMAIL_BACKEND = "website.mail.TaskQueueBackend"
EMAIL_DELIVERY_BACKEND = env.str("EMAIL_DELIVERY_BACKEND", default="website.mail.SMTPBackend")
# Addresses with non-ASCII letters before the @ (åsne@example.no): only when the relay announces
# SMTPUTF8 (README, "Languages"). Off, the forms say such an address cannot be used yet.
EMAIL_SMTPUTF8 = env.bool("EMAIL_SMTPUTF8", default=False)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env.list("ADMINS", default=[])]

# Tasks go to a database queue; run `manage.py db_worker` beside the web processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {**LOGGING, "handlers": {"stdout": {**LOGGING["handlers"]["stdout"], "formatter": "json"}}}
LOGGING["root"] = {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")}

# The shop's webhook secrets; a source whose secret is not set answers 404.
SHOP_WEBHOOK_SOURCES = {
    "shopify": {"format": "shopify", "secret": env.str("SHOP_SHOPIFY_SECRET", default="")},
    "generic": {"format": "generic", "secret": env.str("SHOP_GENERIC_SECRET", default="")},
}

# Where discount codes are sent to the shop (shop.outbound), and the secret that signs them. While
# either is empty, events wait in the outbox (Shop → Sent to the shop) and go out once both are set.
SHOP_OUTBOUND_URL = env.str("SHOP_OUTBOUND_URL", default="")
SHOP_OUTBOUND_SECRET = env.str("SHOP_OUTBOUND_SECRET", default="")

# Cache times, switchable for measuring (tests/bench) or tuning: 0 turns each cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
HOME_COMMUNITY_SECONDS = env.int("HOME_COMMUNITY_SECONDS", default=60)
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=86400)
FORUM_MEMBER_PAGE_SECONDS = env.int("FORUM_MEMBER_PAGE_SECONDS", default=60)
