"""core.absolute: absolute URLs with and without a request."""

import pytest

from core.absolute import absolute_url


@pytest.mark.parametrize(("path", "expected"), [
    ("/forum/t/1/", "https://community.example/forum/t/1/"),
    ("forum/", "https://community.example/forum/"),
    ("/søk/?q=ø", "https://community.example/søk/?q=ø"),
    ("/go?to=https://elsewhere.example/", "https://community.example/go?to=https://elsewhere.example/"),
    ("https://cdn.example/a.png", "https://cdn.example/a.png"),
])
def test_without_a_request_the_sites_public_address(settings, path, expected):
    settings.WAGTAILADMIN_BASE_URL = "https://community.example/"
    assert absolute_url(path) == expected


def test_with_a_request_its_scheme_and_host(rf, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://community.example"
    settings.ALLOWED_HOSTS = ["other.example"]
    request = rf.get("/", HTTP_HOST="other.example", secure=True)
    assert absolute_url("/forum/", request) == "https://other.example/forum/"
    assert absolute_url("https://cdn.example/a.png", request) == "https://cdn.example/a.png"
