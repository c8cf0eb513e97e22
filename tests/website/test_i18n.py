import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_english_is_the_default_at_unprefixed_urls_whatever_the_browser_asks(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="el").get("/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.parametrize("code, word", [("el", "Σύνδεση"), ("nb", "Logg inn"), ("hu", "Bejelentkezés")])
def test_prefixed_urls_switch_language(client, code, word):
    # "Log in", the log-in page's heading, in each language (our catalogue, then allauth's).
    response = client.get(f"/{code}/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{code}"' in body
    assert word in body


def test_every_page_links_its_translations_with_hreflang(client):
    body = client.get("/accounts/login/").content.decode()
    for code, prefix in [("en", ""), ("el", "/el"), ("nb", "/nb"), ("hu", "/hu")]:
        assert f'hreflang="{code}" href="http://testserver{prefix}/accounts/login/"' in body
    assert 'hreflang="x-default" href="http://testserver/accounts/login/"' in body


def test_language_switcher_keeps_the_page(client):
    body = client.get("/el/").content.decode()
    assert 'href="/hu/" hreflang="hu" lang="hu"' in body
    assert 'href="/" hreflang="en" lang="en"' in body


def test_wagtail_home_is_served_under_every_language_prefix(client):
    for prefix in ("", "/el", "/nb", "/hu"):
        assert client.get(f"{prefix}/").status_code == 200


def test_non_ascii_search_and_profile_urls(client):
    assert client.get("/search/?q=Ελληνικά ő ø").status_code == 200


@pytest.mark.parametrize("path", ["//evil.example/forum/", "///evil.example/", "/\\evil.example/x/", "/%2F%2Fevil.example/"])
def test_language_links_never_name_another_host(client, path):
    # The test client would read "//evil.example" as a host; a real server passes it on as the path.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    body = response.content.decode()
    for link in response.context["language_links"]:
        assert link["url"].startswith("/") and not link["url"].startswith(("//", "/\\")), link
    assert 'href="//' not in body and "href=\"/\\" not in body
    assert "://evil.example" not in body
