"""Settings shared by every way of running the site.

dev.py (the embedded default), test.py and production.py build on this file. Nothing here
reads a required environment variable: production.py does that, with clear errors.
"""

import base64
import hashlib
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: the SQLite file, sent e-mails, local media


def _csp_hash(source):
    """A CSP hash source ('sha256-...') for an inline script, style or style attribute."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


INSTALLED_APPS = [
    # Ours, highest layer first (website -> content -> referrals -> community -> shop -> core).
    "website",
    "content",
    "content.newsletter",
    "insights",
    "engagement.lifecycle",
    "engagement.play",
    "referrals",
    "community.forum",
    "community.posts",
    "community.reviews",
    "community.moderation",
    "community.members",
    "shop",
    "core",
    "core.schedule",  # the scheduler: each app registers its periodic jobs (schedules.py)
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Content in four languages: editors translate pages and snippets side by side with the
    # source, and see which translations are out of date (replaces wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.socialaccount",  # Google, Apple, Facebook: off until an editor enters keys (Settings > Social log-in)
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.apple",
    "allauth.socialaccount.providers.facebook",
    # Background tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so a response it serves carries the policies in force now.
    "website.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "website.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "website.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.absolute.BaseUrlMiddleware",  # e-mails sent while serving link to the host the visitor used
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: is this an htmx request, and what for
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "website" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.context_processors.site",
            ],
        },
    },
]

AUTH_USER_MODEL = "members.User"

# --- Forum -----------------------------------------------------------------------------------
# A member is "new" on their first day or until this many approved posts: tighter rate limits, at
# most two links a post, and (when FORUM_APPROVE_NEW_MEMBERS is on) posts wait for a moderator.
FORUM_NEW_MEMBER_POSTS = 3
FORUM_APPROVE_NEW_MEMBERS = False
# "Discuss in the forum" under blog posts starts each post's topic in this forum category (by slug);
# with no such category the link is not shown.
BLOG_DISCUSSION_CATEGORY = "from-the-blog"
# Notification e-mails: at most one per member in this many seconds, listing what is still unread.
NOTIFICATION_EMAIL_BATCH_SECONDS = 600
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------------------
# English is the default at unprefixed URLs; the others live under /el/, /nb/, /hu/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("el", "Ελληνικά"),
    ("nb", "Norsk bokmål"),
    ("hu", "Magyar"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Our catalogues first (makemessages writes there), then the Wagtail admin strings that Wagtail's
# own el/nb catalogues lack; both are consulted before any app's own. make builds the .mo files.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_admin"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: a request body (without files) is capped at 2.5 MB; files stream to disk past 2.5 MB
# and each upload field checks its own limits (core.images.IMAGE_USES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644
# Uploaded images per use (avatar, forum_picture, post_photo, review_photo): bytes, pixels, output
# size and format, renditions. The defaults and what each key means are in core.images.IMAGE_USES;
# set only what differs, e.g. {"avatar": {"max_bytes": 2 * 1024 * 1024}}.
IMAGE_USES = {}


def sqlite_database(path):
    """SQLite tuned for concurrent visitors: WAL lets readers run beside the one writer, the busy
    timeout makes a writer wait for the lock instead of failing, and IMMEDIATE transactions take
    the write lock at BEGIN, so a read-then-write transaction cannot deadlock on lock upgrade."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA cache_size=-20000;"
            ),
        },
    }


def database_from_env(env, default_sqlite_path):
    """DATABASE_URL when it is set (PostgreSQL through psycopg 3), else the embedded SQLite."""
    if env.str("DATABASE_URL", default=""):
        db = env.db_url("DATABASE_URL")
        db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        db["CONN_HEALTH_CHECKS"] = True
        return db
    return sqlite_database(default_sqlite_path)


def redis_cache(url):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "bc",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sessions, CSRF, security headers valid everywhere ----------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "website.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy and Permissions-Policy (django-csp, django-permissions-policy) ------
# The site's pages run no inline script, no inline style and no eval: every script and stylesheet
# is a file under /static/ (a forum category's colour comes from the stylesheet at
# /forum/categories.css). Images may be data: URLs (the CSS's icons); frames only the video players
# the brand story's video block embeds. No other site may frame a page. production.py adds the
# media host (S3) to img-src when media are stored there.
VIDEO_PLAYER_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Markdown tables align their columns with exactly these style attributes (community.forum.markup):
# 'unsafe-hashes' lets these three values through and no other inline style.
MARKDOWN_ALIGN_STYLES = ("text-align:left", "text-align:center", "text-align:right")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_HASHES, *(_csp_hash(style) for style in MARKDOWN_ALIGN_STYLES)],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "frame-src": list(VIDEO_PLAYER_ORIGINS),
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail admin makes no request to another site unless the site's owner turns it on here:
# editors' avatars from Gravatar (off: Wagtail draws its own default avatar) and the dashboard's
# "a new Wagtail version is out" notice, fetched from Wagtail's release server (off). A self-hosted
# community must not tell a third party who its editors are or when they work.
ADMIN_GRAVATAR = False
ADMIN_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar" if ADMIN_GRAVATAR else None
WAGTAIL_ENABLE_UPDATE_CHECK = ADMIN_UPDATE_CHECK
# The Wagtail admin needs inline scripts and styles, so under these prefixes its own policy
# replaces the site's (website.middleware.ContentSecurityPolicyMiddleware) rather than the site's
# being weakened. Its previews frame the site's pages, so it may frame itself.
ADMIN_URL_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data: and blob: for previews of images being uploaded; the thumbnails of the videos an
        # editor embeds (asked for by the editor, by adding the video).
        "img-src": [SELF, "data:", "blob:", "https://i.ytimg.com", "https://i.vimeocdn.com",
                    *(["www.gravatar.com"] if ADMIN_GRAVATAR else [])],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "frame-src": [SELF, *VIDEO_PLAYER_ORIGINS],
        "connect-src": [SELF, *(["https://releases.wagtail.org"] if ADMIN_UPDATE_CHECK else [])],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [SELF],
    },
}
# Browser features the site never uses are switched off for it and for every frame in it.
# Fullscreen stays for the embedded video players. Only features Chromium knows: it reports any
# other in the console (so no interest-cohort, FLoC's retired name: browsing-topics replaced it).
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "browsing-topics", "camera", "display-capture", "geolocation", "hid", "idle-detection", "magnetometer",
        "microphone", "midi", "payment", "serial", "usb",
    )
} | {"fullscreen": ["self", *VIDEO_PLAYER_ORIGINS]}

# --- Cache (files here; Redis in production through REDIS_URL) ---------------------------------
# Shared by every process on the machine (gunicorn workers, runserver, management commands), so
# pages, versions and rate counters agree across them; core.cache.FileCache makes its add/incr
# atomic. tests/bench/cache_backends.py found it faster than the database cache.
CACHES = {
    "default": {
        "BACKEND": "core.cache.FileCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Whole pages for anonymous visitors (website.middleware); 0 turns it off.
PAGE_CACHE_SECONDS = 600
# The home page's strips of what members do (the forum's latest topics) follow no scope of their
# own: a kept home page is rendered again at least this often, so they lag by at most this long.
HOME_COMMUNITY_SECONDS = 60
# Parts of pages kept under the versions of what they show ({% fragment %}, core/templatetags/
# fragments.py), for visitors and members alike, whether or not the whole page is kept, and the page
# each path leads to (website.views.serve_page); 0 turns them off.
FRAGMENT_CACHE_SECONDS = 86400

# --- Background tasks --------------------------------------------------------------------------
# Immediate by default; production.py switches to the database-backed queue and a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- E-mail ------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = "Brand Community <community@example.com>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Brand Community] "
# Accept e-mail addresses with non-ASCII letters before the @ (åsne@example.no, ελένη@example.gr):
# the embedded default writes e-mail to files and the console, which takes them. Production reads
# it from the environment (off unless the mail relay announces SMTPUTF8). core.email_address.
EMAIL_SMTPUTF8 = True

# --- Accounts (django-allauth) -----------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_SIGNUP_REDIRECT_URL = "members:welcome"  # a new member's first page: what to do first
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: no GET writes
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "homepage_url"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "community.members.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "referrals.forms.SignupForm",  # members' form + "Been referred by a friend?"
    "login": "community.members.forms.LoginForm",  # allauth's, in the site's words
    # and theirs too, taking e-mail addresses in any script (core.email_address)
    "add_email": "community.members.forms.AddEmailForm",
    "reset_password": "community.members.forms.ResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Social log-in: a provider shows on the log-in and join pages only once an editor has entered its
# keys in the admin (Settings > Social log-in, allauth's SocialApp rows); none is configured here.
# A provider's e-mail address counts as verified only where the provider vouches for it (Google
# and Apple); a Facebook sign-up confirms its address like any other.
SOCIALACCOUNT_ADAPTER = "community.members.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the provider's button opens a page with a POST form: no GET writes
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never log into an existing account by e-mail alone
SOCIALACCOUNT_STORE_TOKENS = False  # the site only signs members in; it calls no provider API for them
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}},
    "apple": {},
    "facebook": {
        "METHOD": "oauth2", "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name"],
    },
}
# allauth's rate limits stay on with its defaults (login, failed logins, sign-up, password
# reset, e-mail confirmation), counted in the cache: Redis in production, so shared by processes.
ALLAUTH_TRUSTED_PROXY_COUNT = 0

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Brand Community"
# The site's public address for links made without a request (core/absolute.py says which wins):
# empty here, so the default Wagtail Site's root URL counts; dev.py and production.py set it.
SITE_URL = ""
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILADMIN_LOGIN_URL = "account_login"  # the admin signs in through allauth and its limits
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are changed through allauth
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Accent-insensitive in every script (καλοκαίρι / καλοκαιρι): core/search_backend.py.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
# The image form with an alt text per language (core.image_alt; templates read them with {% image_alt %}).
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.image_alt.ImageForm"
TAGGIT_CASE_INSENSITIVE = True

# --- Logging: one line per event on stdout ------------------------------------------------------
LOG_LEVEL = "INFO"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security": {"level": "INFO"},
    },
}

# --- Shop connection ---------------------------------------------------------------------------
# Webhook sources: /webhooks/shop/<name>/. A source without a secret is switched off (404).
SHOP_WEBHOOK_SOURCES = {
    "shopify": {"format": "shopify", "secret": ""},
    "generic": {"format": "generic", "secret": ""},
}
SHOP_WEBHOOK_MAX_BYTES = 1_048_576
