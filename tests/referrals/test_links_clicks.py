"""Clicks buffered in Redis and flushed in batches (referrals.clicks): none lost, none twice.

The buffer needs Redis: these tests run where REDIS_URL is set (the PostgreSQL + Redis run) and
skip elsewhere; the straight-through path of the embedded default is tested here and in
test_links_views.py."""

import json
import os
import uuid

import pytest
from django.core.management import call_command

from referrals import clicks
from referrals.codes import code_for
from referrals.models import Click, ReferralCode
from tests.factories import MemberFactory
from website.settings.base import redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_buffer(settings):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: run with REDIS_URL=redis://... (the PostgreSQL + Redis run of .ci/run does)")
    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis."):
        settings.CACHES = {"default": redis_cache(url)}
    settings.REFERRAL_CLICK_BUFFER = "redis"
    redis = clicks._redis()
    keys = [clicks._key(k) for k in (clicks.BUFFER_KEY, clicks.FLUSHING_KEY, clicks.LOCK_KEY)]
    redis.delete(*keys)
    yield redis
    redis.delete(*keys)


@pytest.fixture
def code():
    return code_for(MemberFactory())


def test_straight_through_without_redis(code, settings):
    settings.REFERRAL_CLICK_BUFFER = "off"
    token = clicks.click_record(code, channel="qr", ip_hash="i", device_hash="d", user_agent="UA")
    assert Click.objects.get().token == token
    assert clicks.clicks_flush() == 0 and clicks.clicks_pending() == 0


def test_clicks_wait_in_redis_until_flushed(redis_buffer, code, settings):
    settings.REFERRAL_CLICK_FLUSH_SIZE = 1000
    tokens = {clicks.click_record(code, channel="email", ip_hash="i" * 64, user_agent="UA") for _ in range(5)}
    assert not Click.objects.exists() and clicks.clicks_pending() == 5
    assert clicks.clicks_flush() == 5
    rows = Click.objects.all()
    assert {c.token for c in rows} == tokens and {c.channel for c in rows} == {"email"}
    assert clicks.clicks_pending() == 0 and clicks.clicks_flush() == 0


def test_a_full_buffer_flushes_itself(redis_buffer, code, settings):
    settings.REFERRAL_CLICK_FLUSH_SIZE = 3
    for _ in range(7):
        clicks.click_record(code)
    assert Click.objects.count() == 6 and clicks.clicks_pending() == 1  # the immediate task backend ran it


def test_a_flush_repeated_after_a_crash_never_counts_twice(redis_buffer, code, monkeypatch):
    for _ in range(5):
        clicks.click_record(code)
    real_ltrim = redis_buffer.ltrim

    class Crash(Exception):
        pass

    def crash(*args, **kwargs):
        raise Crash

    # the worker dies after writing the rows, before trimming the list
    monkeypatch.setattr(type(redis_buffer), "ltrim", crash)
    with pytest.raises(Crash):
        clicks.clicks_flush(chunk=2)
    monkeypatch.setattr(type(redis_buffer), "ltrim", lambda self, *a, **k: real_ltrim(*a, **k))
    assert Click.objects.count() == 2
    clicks.click_record(code)  # a click arriving meanwhile
    assert clicks.clicks_flush(chunk=2) == 6  # the first two again (as no-ops), three more, the new one
    assert Click.objects.count() == 6 and clicks.clicks_pending() == 0


def test_a_second_flush_at_once_does_nothing(redis_buffer, code):
    clicks.click_record(code)
    redis_buffer.set(clicks._key(clicks.LOCK_KEY), "someone-else", ex=60)
    assert clicks.clicks_flush() == 0 and clicks.clicks_pending() == 1
    assert redis_buffer.get(clicks._key(clicks.LOCK_KEY)) == b"someone-else"  # not ours to release


def test_unreadable_entries_and_departed_codes_are_skipped(redis_buffer, code):
    gone = code_for(MemberFactory())
    clicks.click_record(code)
    clicks.click_record(gone)
    ReferralCode.objects.filter(pk=gone.pk).delete()
    buffer = clicks._key(clicks.BUFFER_KEY)
    redis_buffer.rpush(buffer, b"not json", json.dumps({"c": code.pk}), json.dumps(
        {"c": "x", "t": uuid.uuid4().hex, "a": 1e30, "v": 1, "i": 2, "d": 3, "u": 4}))
    assert clicks.clicks_flush() == 1
    assert Click.objects.get().code == code and clicks.clicks_pending() == 0


def test_the_command(redis_buffer, code, capsys):
    clicks.click_record(code)
    call_command("referral_clicks_flush")
    assert "Wrote 1 clicks; 0 waiting." in capsys.readouterr().out
    assert Click.objects.count() == 1


def test_the_click_limit_and_the_push_are_one_round_trip_with_window_hits_counter(redis_buffer, code):
    from core.ratelimit import window_hit

    name = f"referrals:click:ip:{code.pk}"
    results = [clicks.click_record(code, limit_name=name, limit=3) for _ in range(5)]
    assert [r is not None for r in results] == [True, True, True, False, False]
    assert clicks.clicks_pending() == 3
    assert window_hit(name, 6, 60)  # the same counter: 6th hit of 6 allowed
    assert not window_hit(name, 6, 60)
    assert clicks.clicks_flush() == 3


def test_a_friend_who_joins_before_the_flush_keeps_the_clicks_channel_and_gets_its_click(
        redis_buffer, code, settings, client, django_capture_on_commit_callbacks):
    """Through the pages: the click waits in Redis while the friend joins; the referral takes the
    channel the attribution cookie carried, and the flush links it to its click."""
    from referrals.models import Referral

    settings.REFERRAL_CLICK_FLUSH_SIZE = 1000
    client.get(f"/r/{code.code}?via=whatsapp")
    assert clicks.clicks_pending() == 1 and not Click.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "friend@example.com", "username": "friend",
                                                     "password1": "kettle-lighthouse-47",
                                                     "password2": "kettle-lighthouse-47"})
    assert response.status_code == 302
    referral = Referral.objects.get(friend__username="friend")
    assert (referral.channel, referral.click) == ("whatsapp", None) and referral.click_token is not None
    assert clicks.clicks_flush() == 1
    referral.refresh_from_db()
    assert referral.click == Click.objects.get() and referral.click.token == referral.click_token


def test_a_click_on_a_code_deleted_meanwhile_is_dropped_not_a_server_error(code, settings, monkeypatch):
    """code_lookup_fast may remember a code for a few seconds after its member was erased: the
    insert then breaks the foreign key (in the view's autocommit, at the INSERT itself; a test's
    transaction would defer the check to its end, so the database's answer is stood in for)."""
    from django.db import IntegrityError

    settings.REFERRAL_CLICK_BUFFER = "off"

    def broken_foreign_key(**kwargs):
        raise IntegrityError("insert or update on table referrals_click violates foreign key constraint")

    monkeypatch.setattr(Click.objects, "create", broken_foreign_key)
    assert clicks.click_record(code, channel="qr", ip_hash="i", device_hash="d", user_agent="UA") is None
