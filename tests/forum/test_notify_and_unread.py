"""What members hear about (replies, mentions, quotes, likes, answers, moderation, watched topics and
categories, muted topics) and how the forum tracks what each member has read."""

import pytest
from django.core import mail

from community.forum import services
from community.forum.models import SubscriptionLevel, TopicReadState
from community.members.models import Notification
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the forum hands to the task queue after commit, as the immediate backend does."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def kinds_for(member):
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_a_reply_tells_the_watching_starter_once_until_read(run_tasks, topic, alice, bob):
    run_tasks(services.post_reply, bob, topic, body="Cold water.")
    run_tasks(services.post_reply, bob, topic, body="And a gentle spin.")
    run_tasks(services.post_reply, MemberFactory(), topic, body="Dry it flat.")
    notes = Notification.objects.filter(recipient=alice)
    assert notes.count() == 1  # a busy topic does not flood its starter
    assert notes.get().url == f"/forum/t/{topic.pk}/unread/" and notes.get().actor == bob


def test_reading_the_topic_marks_its_notifications_read(client, run_tasks, topic, alice, bob):
    run_tasks(services.post_reply, bob, topic, body="Cold water.")
    client.force_login(alice)
    client.get(topic.get_absolute_url())
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    run_tasks(services.post_reply, bob, topic, body="A second thought.")
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1


def test_mentions_quotes_and_replies_to_a_post(run_tasks, topic, alice, bob):
    carol = MemberFactory(username="carol")
    first = run_tasks(services.post_reply, bob, topic, body="Try cold water, @carol knows more.")
    assert kinds_for(carol) == ["mention"]
    run_tasks(services.post_reply, carol, topic, body="> Try cold water\n\nYes!", reply_to=first)
    assert "quote" in kinds_for(bob)


def test_mentions_of_members_who_cannot_see_the_topic_are_silent(run_tasks, members_category, alice):
    visitor_only = MemberFactory(username="gone", is_active=False)
    run_tasks(services.topic_create, alice, members_category, title="Members' samples", body="Hi @gone")
    assert kinds_for(visitor_only) == []


def test_muted_topics_are_silent(run_tasks, topic, alice, bob):
    services.topic_watch(alice, topic, SubscriptionLevel.MUTED)
    run_tasks(services.post_reply, bob, topic, body="@alice cold water.")
    assert kinds_for(alice) == []


def test_category_watchers_hear_of_new_topics(run_tasks, category, alice, bob):
    services.category_watch(bob, category, True)
    run_tasks(services.topic_create, alice, category, title="Drying wool", body="Flat or hanging?")
    assert kinds_for(bob) == ["reply"]
    assert "New topic in Care and repair" in Notification.objects.get(recipient=bob).title


def test_likes_answers_and_moderation_notify(run_tasks, topic, alice, bob, moderator):
    reply = run_tasks(services.post_reply, bob, topic, body="Cold water.")
    run_tasks(services.post_like, alice, reply)
    run_tasks(services.post_like, alice, reply)  # a second like is no like
    run_tasks(services.topic_mark_solved, alice, topic, reply)
    # (bob's first post also earned him a badge: engagement.play's notification, not the forum's)
    assert [kind for kind in kinds_for(bob) if not kind.startswith("play_")] == ["like", "solved"]
    run_tasks(services.post_set_hidden, moderator, reply, True, reason="test")
    assert "moderation" in kinds_for(bob)


def test_reply_emails_are_batched_per_member(run_tasks, settings, topic, alice, bob):
    settings.NOTIFICATION_EMAIL_BATCH_SECONDS = 0  # the immediate backend sends at once
    mail.outbox.clear()
    carol = MemberFactory(username="carol")
    run_tasks(services.post_reply, bob, topic, body="@carol and @alice: cold water.")
    assert {tuple(m.to) for m in mail.outbox} == {(carol.email,), (alice.email,)}


def test_new_topics_start_unread_and_count_new_posts(client, topic, alice, bob):
    reader = MemberFactory()
    client.force_login(reader)
    html = client.get("/forum/c/care/").content.decode()
    assert ">new</a>" in html
    client.get(topic.get_absolute_url())
    assert TopicReadState.objects.get(member=reader, topic=topic).last_read_number == 1
    for n in range(3):
        services.post_reply(bob, topic, body=f"Reply {n}")
    html = client.get("/forum/c/care/").content.decode()
    assert "3 unread" in html and f'href="/forum/t/{topic.pk}/unread/"' in html
    response = client.get(f"/forum/t/{topic.pk}/unread/")
    assert response["Location"] == f"{topic.get_absolute_url()}#post-2"


def test_posting_writes_no_other_members_read_rows(topic, alice, bob):
    readers = [MemberFactory() for _ in range(3)]
    for reader in readers:
        services.read_position_update(reader, topic, 1)
    services.post_reply(bob, topic, body="Cold water.")
    assert list(TopicReadState.objects.filter(member__in=readers).values_list("last_read_number", flat=True)) == [1, 1, 1]
    assert TopicReadState.objects.get(member=bob, topic=topic).last_read_number == 2


def test_the_read_position_never_goes_back(topic, bob):
    for n in range(30):
        services.post_reply(bob, topic, body=f"Reply {n}")
    reader = MemberFactory()
    assert services.read_position_update(reader, topic, 25) is True
    assert services.read_position_update(reader, topic, 10) is False
    assert TopicReadState.objects.get(member=reader).last_read_number == 25


def test_muted_topics_show_no_unread(client, topic, alice, bob):
    client.force_login(alice)
    services.topic_watch(alice, topic, SubscriptionLevel.MUTED)
    services.post_reply(bob, topic, body="Cold water.")
    assert "unread" not in client.get("/forum/c/care/").content.decode().split('class="topic-list"')[1]


def test_watch_form(client, topic, alice):
    client.force_login(alice)
    client.post(f"/forum/t/{topic.pk}/watch/", {"level": "muted"})
    assert 'value="muted" checked' in client.get(topic.get_absolute_url()).content.decode()
    client.post(f"/forum/t/{topic.pk}/watch/", {"level": "normal"})
    assert 'value="normal" checked' in client.get(topic.get_absolute_url()).content.decode()
