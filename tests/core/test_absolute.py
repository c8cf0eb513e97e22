"""core.absolute: the site's address and name, with a request, carried from one, and without."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from wagtail.models import Site

from core.absolute import (
    BaseUrlMiddleware,
    absolute_url,
    base_url_carried,
    base_url_use,
    email_subject,
    site_base_url,
    site_name,
)


@pytest.mark.parametrize(("path", "expected"), [
    ("/forum/t/1/", "https://community.example/forum/t/1/"),
    ("forum/", "https://community.example/forum/"),
    ("/søk/?q=ø", "https://community.example/søk/?q=ø"),
    ("/go?to=https://elsewhere.example/", "https://community.example/go?to=https://elsewhere.example/"),
    ("https://cdn.example/a.png", "https://cdn.example/a.png"),
])
def test_without_a_request_the_sites_public_address(settings, path, expected):
    settings.SITE_URL = "https://community.example/"
    assert absolute_url(path) == expected


def test_with_a_request_its_scheme_and_host(rf, settings):
    settings.SITE_URL = "https://community.example"
    settings.ALLOWED_HOSTS = ["other.example"]
    request = rf.get("/", HTTP_HOST="other.example", secure=True)
    assert absolute_url("/forum/", request) == "https://other.example/forum/"
    assert absolute_url("https://cdn.example/a.png", request) == "https://cdn.example/a.png"


@pytest.mark.django_db
@pytest.mark.parametrize(("site_url", "wagtail_site", "admin_base", "expected"), [
    ("https://set.example", ("brand.example", 443), "http://admin.example", "https://set.example"),
    ("", ("brand.example", 443), "http://admin.example", "https://brand.example"),
    ("", ("brand.example", 8811), "http://admin.example", "http://brand.example:8811"),
    ("", None, "http://admin.example/", "http://admin.example"),
])
def test_without_a_request_or_carried_address_site_url_then_the_wagtail_site(
        settings, site_url, wagtail_site, admin_base, expected):
    settings.SITE_URL = site_url
    settings.WAGTAILADMIN_BASE_URL = admin_base
    if wagtail_site is None:
        Site.objects.all().delete()
    else:
        Site.objects.filter(is_default_site=True).update(hostname=wagtail_site[0], port=wagtail_site[1])
    assert site_base_url() == expected
    assert absolute_url("/me/") == expected + "/me/"


def test_a_carried_address_wins_over_the_settings_and_a_request_over_both(rf, settings):
    settings.SITE_URL = "https://set.example"
    settings.ALLOWED_HOSTS = ["localhost"]
    assert base_url_carried() == ""
    with base_url_use("http://localhost:8811/"):
        assert base_url_carried() == "http://localhost:8811"
        assert absolute_url("/newsletter/") == "http://localhost:8811/newsletter/"
        with base_url_use(""):  # nothing carried by the task: what was there stays
            assert absolute_url("/x/") == "http://localhost:8811/x/"
        assert absolute_url("/x/", rf.get("/", HTTP_HOST="localhost:9000")) == "http://localhost:9000/x/"
    assert base_url_carried() == ""
    assert absolute_url("/newsletter/") == "https://set.example/newsletter/"


@pytest.mark.parametrize(("host", "secure", "carried"), [
    ("localhost:8811", False, "http://localhost:8811"),
    ("127.0.0.1:8000", False, "http://127.0.0.1:8000"),
    ("[::1]:8811", False, "http://[::1]:8811"),
    ("localhost", True, "https://localhost"),
    ("evil.example", False, None),  # not in ALLOWED_HOSTS: never carried, never linked to
])
def test_the_middleware_carries_an_allowed_hosts_address_while_the_request_runs(rf, settings, host, secure, carried):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    settings.SITE_URL = "https://set.example"
    seen = []

    def view(request):
        seen.append(absolute_url("/confirm/"))
        return HttpResponse()

    BaseUrlMiddleware(view)(rf.get("/", HTTP_HOST=host, secure=secure))
    assert seen == [f"{carried or 'https://set.example'}/confirm/"]
    assert base_url_carried() == ""  # and nothing is left behind for the next request


@pytest.mark.django_db
def test_the_brand_name_is_the_wagtail_sites_else_the_setting(rf, settings):
    settings.WAGTAIL_SITE_NAME = "Fallback Name"
    Site.objects.filter(is_default_site=True).update(site_name="")
    assert site_name() == "Fallback Name"
    Site.objects.filter(is_default_site=True).update(site_name="Linen & Loom")
    assert site_name() == "Linen & Loom"
    assert site_name(rf.get("/", HTTP_HOST="localhost:8811")) == "Linen & Loom"
    assert email_subject("  Your\n code ") == "[Linen & Loom] Your code"
    with override_settings(WAGTAIL_SITE_NAME="Other"):
        assert email_subject("Hi", "Given") == "[Given] Hi"
