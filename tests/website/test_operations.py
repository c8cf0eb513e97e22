import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory

from tests.admin_access import assert_sent_to_sign_in
from website import views

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_down(monkeypatch):
    # A real Redis client pointed at a port nothing listens on.
    from django_redis.cache import RedisCache

    broken = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}})
    monkeypatch.setattr(views, "cache", broken)
    response = views.healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "down", "database": "ok", "cache": "down"}


def test_healthz_is_503_when_the_database_is_down(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = views.healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "down"


def test_healthz_writes_nothing_to_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        client.get("/healthz")


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize("path", ["/me/", "/el/me/", "/nb/search/", "/hu/accounts/", "/el/accounts/", "/nb/me/",
                                  "/hu/search/", "/webhooks/"])
def test_robots_txt_keeps_private_paths_out_in_every_language(client, path):
    body = client.get("/robots.txt").content.decode()
    assert f"Disallow: {path}\n" in body


def test_404_page_is_in_the_site_style(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We can’t find that page" in body and 'class="site-header"' in body


def test_500_page_renders_without_database_or_context():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_403_and_400_pages():
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert views.permission_denied(request).status_code == 403
    assert views.bad_request(request).status_code == 400


def test_bad_host_header_is_400(settings):
    from django.test import Client

    settings.ALLOWED_HOSTS = ["community.example.com"]
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example.net")
    assert response.status_code == 400


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    response = client.get("/admin/login/?next=https://evil.example.net/")
    assert "evil" not in response["Location"]


def test_wagtail_admin_opens_for_staff(client):
    from tests.factories import MemberFactory

    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_non_staff_member_cannot_enter_the_admin(member_client):
    assert_sent_to_sign_in(member_client.get("/admin/"))
    assert_sent_to_sign_in(member_client.get("/admin/pages/"))


def _django(settings_module, env, code="import django; django.setup()"):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


PROD_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "community.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/brand_community",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _django("website.settings.production", env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_production_refuses_sqlite_and_a_short_key():
    result = _django("website.settings.production", {**PROD_ENV, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert "must point at PostgreSQL" in result.stderr
    result = _django("website.settings.production", {**PROD_ENV, "SECRET_KEY": "short"})
    assert "at least 50 characters" in result.stderr


def test_production_settings_pass_the_deploy_checks():
    code = (
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _django("website.settings.production", PROD_ENV, code)
    assert result.returncode == 0, result.stderr


def test_production_uses_s3_media_when_a_bucket_is_set():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.STORAGES['default']['BACKEND'], settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    )
    result = _django("website.settings.production", {**PROD_ENV, "AWS_STORAGE_BUCKET_NAME": "media"}, code)
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "django.contrib.sessions.backends.cache",
        "django_redis.cache.RedisCache",
    ]


def test_production_keeps_compiled_templates():
    """Production reads each template once per process: Django's cached loader wraps the file and
    app loaders (a TEMPLATES entry with its own "loaders" or debug on would turn it off)."""
    code = (
        "import django; django.setup(); from django.template import engines;"
        "print(*[type(loader).__module__ + '.' + type(loader).__name__ for loader in engines['django'].engine.template_loaders])"
    )
    result = _django("website.settings.production", PROD_ENV, code)
    assert result.stdout.split() == ["django.template.loaders.cached.Loader"], result.stderr


def _gunicorn_settings(env):
    code = "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); print(json.dumps(c['bind']))"
    out = subprocess.run([sys.executable, "-c", code], env={"PATH": os.environ.get("PATH", ""), **env},
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.stdout)


def test_gunicorn_listens_on_loopback_unless_told_otherwise():
    assert _gunicorn_settings({}) == "127.0.0.1:8000"
    assert _gunicorn_settings({"PORT": "8811"}) == "127.0.0.1:8811"
    assert _gunicorn_settings({"BIND_HOST": "127.0.0.2", "PORT": "9000"}) == "127.0.0.2:9000"
