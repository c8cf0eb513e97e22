"""A signed-in member's topic page is kept for them for a minute, and everything that changes what
it shows them moves its key: new posts, likes, their watch level, their read position, their
notifications, moderation; another session of theirs has its own copy."""

import pytest
from django.test import Client

from community.forum import services
from community.forum.models import SubscriptionLevel
from community.moderation import services as moderation

pytestmark = pytest.mark.django_db


def visit(client, topic, times=3):
    """Visit until the page is kept (the first visit sets the CSRF cookie, the second stores)."""
    for _ in range(times):
        response = client.get(topic.get_absolute_url())
    return response.content.decode()


def test_changes_show_at_once(client, topic, alice, bob, moderator):
    client.force_login(alice)
    visit(client, topic)
    reply = services.post_reply(bob, topic, body="Cold water works.")
    assert "Cold water works." in visit(client, topic, 1)
    visit(client, topic)
    services.post_like(bob, topic.posts.get(number=1))
    assert "1 like" in visit(client, topic, 1)
    services.topic_watch(alice, topic, SubscriptionLevel.MUTED)
    assert 'value="muted" checked' in visit(client, topic, 1)
    services.post_set_hidden(moderator, reply, True)
    assert "Cold water works." not in visit(client, topic, 1)
    moderation.member_suspend(moderator, alice, days=1, reason="test")
    assert "Post reply" not in visit(client, topic, 1)


def test_pages_with_a_message_are_not_kept(client, topic, alice, bob):
    reply = services.post_reply(bob, topic, body="Cold water works.")
    client.force_login(alice)
    visit(client, topic)
    response = client.post(f"/forum/t/{topic.pk}/watch/", {"level": "watching"}, follow=True)
    assert "You are watching this topic" in response.content.decode()
    assert "You are watching this topic" not in visit(client, topic, 1)
    assert reply.pk


def test_each_session_has_its_own_copy(client, topic, alice):
    client.force_login(alice)
    first = visit(client, topic)
    other = Client()
    other.force_login(alice)
    second = visit(other, topic)
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:10] != second.split(token)[1][:10]  # each page carries its own session's token
    assert other.post(f"/forum/t/{topic.pk}/reply/", {"body": "From my phone."}).status_code == 302


def test_a_deactivated_or_logged_out_member_is_not_served_the_kept_page(client, topic, alice, bob):
    client.force_login(alice)
    visit(client, topic)
    alice.is_active = False
    alice.save()
    html = visit(client, topic, 1)
    assert "Post reply" not in html and "Log in to reply" in html
    client.logout()
    assert "Log in to reply" in visit(client, topic, 1)


def test_the_kept_page_is_only_for_its_member(client, topic, alice, bob):
    client.force_login(alice)
    visit(client, topic)
    session = client.session
    session["_auth_user_id"] = str(bob.pk)  # a session that suddenly names someone else
    session.save()
    html = visit(client, topic, 1)
    assert "Log in to reply" in html  # the hash no longer matches: treated as signed out, nothing kept served


def test_lists_are_kept_until_the_member_reads_on_or_the_forum_changes(client, topic, alice, bob, assert_queries):
    reader = bob
    client.force_login(reader)
    for _ in range(2):
        client.get("/forum/c/care/")
    kept = assert_queries(1, lambda: client.get("/forum/c/care/"), keep_cache=True)  # the session alone
    assert ">new</a>" in kept.content.decode()
    client.get(topic.get_absolute_url())  # reading the topic moves the member's read version
    assert ">new</a>" not in client.get("/forum/c/care/").content.decode()
    services.post_reply(alice, topic, body="A new thought.")
    assert "1 unread" in client.get("/forum/c/care/").content.decode()
    for path in ("/forum/", "/forum/latest/"):
        client.get(path)
        client.get(path)
        assert_queries(1, lambda path=path: client.get(path), keep_cache=True)
