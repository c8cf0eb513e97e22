"""A reply in the forum leaves the home page in the page cache; its community strip follows its
stated age, HOME_COMMUNITY_SECONDS, and is then rendered again by one request (issue 18)."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from community.forum import services
from core.versions import versions_get
from website import middleware
from website.middleware import AnonymousPageCacheMiddleware


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.HOME_COMMUNITY_SECONDS = 60


def home_key():
    return AnonymousPageCacheMiddleware._key(RequestFactory().get("/"))


def test_a_reply_moves_no_scope_the_home_page_shows(client, page_cache_on, topic, alice, bob,
                                                    django_capture_on_commit_callbacks):
    assert client.get("/")["X-Page-Cache"] == "miss"
    versions = cache.get(home_key())[0]
    assert versions and not [scope for scope in versions if scope.startswith("forum:")]
    with django_capture_on_commit_callbacks(execute=True):  # the moves after commit too
        services.post_reply(bob, topic, body="Cold water, always.")
        services.topic_create(alice, topic.category, title="Drying wool flat", body="On a towel?")
    assert versions_get(list(versions)) == versions
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert "Drying wool flat" not in response.content.decode()  # the strip lags, as stated


def test_past_its_age_the_home_is_served_stale_while_one_request_renders_it(client, page_cache_on, topic, alice,
                                                                           monkeypatch):
    assert client.get("/")["X-Page-Cache"] == "miss"
    services.topic_create(alice, topic.category, title="Drying wool flat", body="On a towel?")
    assert client.get("/")["X-Page-Cache"] == "hit"
    now = time.time()  # the page cache's clock moves on, the cache's own does not
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: now + 61))
    cache.add(f"{home_key()}:rendering", 1)  # another request is rendering it: no waiting, no render
    stale = client.get("/")
    assert stale["X-Page-Cache"] == "stale" and "Drying wool flat" not in stale.content.decode()
    cache.delete(f"{home_key()}:rendering")
    fresh = client.get("/")
    assert fresh["X-Page-Cache"] == "miss" and "Drying wool flat" in fresh.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_page_without_a_max_age_does_not_age(client, page_cache_on, topic, monkeypatch):
    url = topic.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    now = time.time()
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: now + 3600))
    assert client.get(url)["X-Page-Cache"] == "hit"
