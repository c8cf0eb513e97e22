"""The embedded default is correct with several processes (issue 11, item 5).

Two real gunicorn processes serve the site from the test database file with the embedded
default's cache (core.cache.FileCache in one temporary folder): a moderator's hide sent to one is
seen at once by anonymous visitors of both, though both had the page cached, and the failed-login
limit (allauth's 5 per 5 minutes per login, a form error from the sixth) counts the attempts of both together.
"""

import os
import shutil
import tempfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from community.forum.models import Category
from community.forum.services import post_reply, topic_create
from community.moderation.services import moderator_grant
from tests.factories import MemberFactory

requests = pytest.importorskip("requests")
pytest.importorskip("gunicorn")
server = pytest.importorskip("tests.bench.server")

HOST = {"Host": "127.0.0.1"}  # one site behind one address, as behind the proxy (allauth keys on it)
CSRF = "a" * 32  # an unmasked token: the cookie and the form field carry the same secret


@pytest.fixture
def two_servers():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default (SQLite, no Redis) is under test")
    cache_dir = tempfile.mkdtemp(prefix="test-cache-")
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    } | {
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-key",  # the sessions this process writes must be valid there
        "SQLITE_PATH": connection.settings_dict["NAME"],
        "CACHE_DIR": cache_dir,
        "PAGE_CACHE_SECONDS": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    try:
        with server.gunicorn(env, workers=1, threads=2) as first, server.gunicorn(env, workers=1, threads=2) as second:
            yield first, second
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_a_hide_and_a_rate_limit_hold_across_two_processes(two_servers):
    first, second = two_servers
    author = MemberFactory(username="alice")
    moderator = moderator_grant(MemberFactory(username="mod", is_staff=True))
    category = Category.objects.create(name="Care", slug="care")
    topic = topic_create(author, category, title="How do I wash linen?", body="Cold or warm water?")
    reply = post_reply(author, topic, body="Spam spam wonderful spam")
    path = topic.get_absolute_url()

    kept = []
    for base in (first, second):
        page = requests.get(base + path, headers=HOST, timeout=10)
        assert page.status_code == 200 and "wonderful spam" in page.text
        kept.append(page.headers["X-Page-Cache"])
    assert kept == ["miss", "hit"]  # the second process serves the page the first one kept

    signed_in = Client()
    signed_in.force_login(moderator)
    cookies = {"sessionid": signed_in.cookies["sessionid"].value, "csrftoken": CSRF}
    hidden = requests.post(
        first + reverse("forum:moderate_post", args=[reply.pk]),
        data={"action": "hide", "csrfmiddlewaretoken": CSRF}, cookies=cookies, headers=HOST, allow_redirects=False,
        timeout=10,
    )
    assert hidden.status_code == 302
    for base in (first, second):
        page = requests.get(base + path, headers=HOST, timeout=10)
        assert page.status_code == 200
        assert "wonderful spam" not in page.text, base

    refused = []
    for attempt in range(7):
        base = (first, second)[attempt % 2]
        answer = requests.post(
            base + reverse("account_login"),
            data={"login": author.email, "password": "wrong", "csrfmiddlewaretoken": CSRF},
            cookies={"csrftoken": CSRF}, headers=HOST, allow_redirects=False, timeout=10,
        )
        assert answer.status_code == 200  # the form again, with its error
        refused.append("Too many failed login attempts" in answer.text)
    # the sixth attempt is refused, whichever process answers (each counting alone let 10 through)
    assert refused == [False] * 5 + [True, True]
