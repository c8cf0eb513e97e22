"""A topic page's rows are kept for every visitor of one audience (community.forum.views.topic
._topic_rows): what each visitor may see is still decided on every request."""

import pytest
from django.core.cache import cache

from community.forum.models import Post
from community.forum.services import post_reply, post_set_hidden, topic_set_flag
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_SECONDS = 0
    settings.FORUM_MEMBER_PAGE_SECONDS = 0
    cache.clear()


def _bodies(response):
    return response.content.decode()


@pytest.mark.django_db
def test_an_authors_waiting_post_shows_to_them_after_others_kept_the_page(client, topic, alice, bob):
    post_reply(bob, topic, body="A first answer everyone sees.")
    waiting = post_reply(bob, topic, body="A second answer under review.")
    Post.objects.filter(pk=waiting.pk).update(approved=False)
    topic_set_flag(MemberFactory(is_staff=True), topic, "pinned", True)  # moves the topic's scope
    url = topic.get_absolute_url()
    assert "under review" not in _bodies(client.get(url))  # kept for everyone, with a gap at #3
    client.force_login(alice)
    assert "under review" not in _bodies(client.get(url))
    client.force_login(bob)
    page = _bodies(client.get(url))
    assert "under review" in page and "Waiting for a moderator" in page
    client.logout()
    assert "under review" not in _bodies(client.get(url))


@pytest.mark.django_db
def test_moderators_see_hidden_posts_and_visitors_do_not(client, topic, alice, bob, moderator):
    hidden = post_reply(bob, topic, body="Something rude said here.")
    post_set_hidden(moderator, hidden, True, reason="rude")
    url = topic.get_absolute_url()
    assert "rude said" not in _bodies(client.get(url))
    client.force_login(moderator)
    assert "rude said" in _bodies(client.get(url))
    client.force_login(alice)
    assert "rude said" not in _bodies(client.get(url))


@pytest.mark.django_db
def test_a_hidden_topic_stays_hidden_though_its_rows_were_kept(client, topic, alice, moderator):
    url = topic.get_absolute_url()
    assert client.get(url).status_code == 200
    topic_set_flag(moderator, topic, "hidden", True)
    assert client.get(url).status_code == 404
    client.force_login(moderator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_new_name_shows_on_the_kept_page(client, topic, alice, bob):
    post_reply(bob, topic, body="Hello there.")
    url = topic.get_absolute_url()
    client.get(url)
    bob.display_name = "Roberta"
    bob.save(update_fields=["display_name"])
    assert "Roberta" in _bodies(client.get(url))


@pytest.mark.django_db
def test_the_kept_rows_hold_no_password_hash(client, topic, alice, bob, monkeypatch):
    kept, cache_set = [], cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, *a, **k: (kept.append(value), cache_set(key, value, *a, **k)))
    post_reply(bob, topic, body="Hello there.")
    client.get(topic.get_absolute_url())
    rows = [value[1] for value in kept if isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], dict)
            and "posts" in value[1]]
    assert rows
    for post in rows[0]["posts"]:
        assert "password" not in post.author.__dict__
    assert "password" not in rows[0]["topic"].author.__dict__


@pytest.mark.django_db
def test_a_badge_awarded_shows_on_the_kept_page(client, topic, alice, bob):
    from engagement.play import services as play
    from engagement.play.models import Badge
    from engagement.play.rules import Rule

    post_reply(bob, topic, body="Hello there.")
    url = topic.get_absolute_url()
    before = _bodies(client.get(url)).count('class="name-badge"')
    play.badge_award(Badge.objects.get(rule=Rule.FIRST_REVIEW), bob)
    assert _bodies(client.get(url)).count('class="name-badge"') == before + 1


@pytest.mark.django_db
def test_the_name_of_the_member_answered_follows_a_rename(client, topic, alice, bob):
    answered = post_reply(alice, topic, body="The question, restated.")
    post_reply(bob, topic, body="An answer.", reply_to=answered)
    url = topic.get_absolute_url()
    assert "In reply to" in _bodies(client.get(url))
    alice.display_name = "Alicia Renamed"
    alice.save(update_fields=["display_name"])
    assert "In reply to Alicia Renamed" in _bodies(client.get(url))
