"""Who may do what: every action of the forum for a visitor, the author, another member, a
suspended member and a moderator. Forbidden actions answer 403 (or 404 where even the thing is
private) and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.forum import services
from community.forum.models import Post, PostLike, Topic
from community.moderation import services as moderation
from community.moderation.models import ModerationLog, Report, Suspension
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def reply_of(topic, author, body="A useful reply."):
    return services.post_reply(author, topic, body=body)


def test_visitors_read_but_cannot_write(client, topic, bob):
    reply = reply_of(topic, bob)
    assert client.get(topic.get_absolute_url()).status_code == 200
    for path, data in [
        (f"/forum/t/{topic.pk}/reply/", {"body": "Hi"}),
        (f"/forum/p/{reply.pk}/like/", {}),
        (f"/forum/p/{reply.pk}/report/", {"reason": "spam"}),
        (f"/forum/t/{topic.pk}/solve/", {"number": 2}),
        (f"/forum/p/{reply.pk}/edit/", {"body": "Changed"}),
        (f"/forum/p/{reply.pk}/delete/", {}),
        ("/forum/new/", {}),
    ]:
        response = client.post(path, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
    assert Post.objects.count() == 2 and not PostLike.objects.exists() and not Report.objects.exists()


def test_only_the_author_or_a_moderator_edits(client, topic, alice, bob, moderator):
    reply = reply_of(topic, bob)
    client.force_login(alice)
    assert client.get(f"/forum/p/{reply.pk}/edit/").status_code == 403
    assert client.post(f"/forum/p/{reply.pk}/edit/", {"body": "Hijacked"}).status_code == 403
    client.force_login(bob)
    assert client.post(f"/forum/p/{reply.pk}/edit/", {"body": "Better words."}).status_code == 302
    client.force_login(moderator)
    assert client.post(f"/forum/p/{reply.pk}/edit/", {"body": "Tidied by a moderator."}).status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Tidied by a moderator." and reply.revisions.count() == 2


def test_edit_history_is_for_moderators(client, topic, alice, bob, moderator):
    reply = reply_of(topic, bob)
    services.post_edit(bob, reply, body="Second version")
    for member, status in ((alice, 403), (bob, 403), (moderator, 200)):
        client.force_login(member)
        assert client.get(f"/forum/p/{reply.pk}/history/").status_code == status
    assert "A useful reply." in client.get(f"/forum/p/{reply.pk}/history/").content.decode()


def test_deleting(client, topic, alice, bob):
    reply = reply_of(topic, bob)
    opening = topic.posts.get(number=1)
    client.force_login(alice)
    assert client.post(f"/forum/p/{reply.pk}/delete/").status_code == 403
    # The opening post of a topic with replies stays: its replies would lose their question.
    assert client.post(f"/forum/p/{opening.pk}/delete/").status_code == 403
    client.force_login(bob)
    assert client.post(f"/forum/p/{reply.pk}/delete/").status_code == 302
    reply.refresh_from_db()
    assert reply.is_deleted
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "This post was deleted." in html and "A useful reply." not in html
    assert Topic.objects.get().reply_count == 0
    client.force_login(alice)  # now without replies, the starter may delete the whole topic
    assert client.post(f"/forum/p/{opening.pk}/delete/").status_code == 302
    assert Topic.objects.get().deleted_at is not None
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_likes(client, topic, alice, bob):
    reply = reply_of(topic, bob)
    client.force_login(bob)
    assert client.post(f"/forum/p/{reply.pk}/like/").status_code == 403  # not your own post
    client.force_login(alice)
    assert client.post(f"/forum/p/{reply.pk}/like/").status_code == 302
    assert client.post(f"/forum/p/{reply.pk}/like/").status_code == 302  # twice: still one like
    reply.refresh_from_db()
    assert reply.like_count == 1 and PostLike.objects.count() == 1
    client.post(f"/forum/p/{reply.pk}/like/", {"action": "unlike"})
    reply.refresh_from_db()
    assert reply.like_count == 0


def test_like_answers_htmx_with_the_button(client, topic, alice, bob):
    reply = reply_of(topic, bob)
    client.force_login(alice)
    response = client.post(f"/forum/p/{reply.pk}/like/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'aria-pressed="true"' in html and "Liked · 1" in html


def test_marking_solved(client, topic, alice, bob, moderator):
    reply = reply_of(topic, bob)
    other = MemberFactory()
    client.force_login(other)
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"number": 2}).status_code == 403
    client.force_login(bob)  # the answerer is not the one who asked
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"number": 2}).status_code == 403
    client.force_login(alice)
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"number": 1}).status_code == 302  # the question: refused
    assert Topic.objects.get().solution is None
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"number": 2}).status_code == 302
    assert Topic.objects.get().solution == reply
    html = client.get(topic.get_absolute_url()).content.decode()
    assert 'class="solution card"' in html and "The answer, by Bob" in html
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"number": 99}).status_code == 404
    client.force_login(moderator)
    assert client.post(f"/forum/t/{topic.pk}/solve/", {"action": "clear"}).status_code == 302
    assert Topic.objects.get().solution is None


def test_members_only_category_is_invisible_to_visitors(client, members_category, alice):
    topic = services.topic_create(alice, members_category, title="Samples of the new jacket", body="Look!")
    assert client.get("/forum/c/lounge/").status_code == 404
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get("/forum/c/lounge/feed/").status_code == 404
    assert "Samples of the new jacket" not in client.get("/forum/").content.decode()
    assert "Samples of the new jacket" not in client.get("/forum/latest/").content.decode()
    assert "Samples of the new jacket" not in client.get("/forum/feed/").content.decode()
    client.force_login(MemberFactory())
    assert client.get("/forum/c/lounge/").status_code == 200
    assert "Samples of the new jacket" in client.get(topic.get_absolute_url()).content.decode()


def test_staff_only_category_takes_topics_from_staff(client, announcements, alice, moderator):
    client.force_login(alice)
    response = client.post("/forum/new/", {"category": announcements.pk, "title": "My announcement", "body": "Hello"})
    assert response.status_code == 400 and "Choose one of the categories" in response.content.decode()
    client.force_login(moderator)
    response = client.post("/forum/new/", {"category": announcements.pk, "title": "Winter collection", "body": "Here!"})
    assert response.status_code == 302
    topic = Topic.objects.get(title="Winter collection")
    client.force_login(alice)  # members still reply
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Lovely news"}).status_code == 302


def test_locked_and_closed_topics_take_no_replies_from_members(client, topic, alice, moderator):
    services.topic_set_flag(moderator, topic, "locked", True)
    client.force_login(alice)
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Can I still?"}).status_code == 403
    assert "This topic is closed" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(moderator)  # moderators may still add a last word
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Closing this, thanks all."}).status_code == 302


def test_suspended_members_cannot_post_like_or_report(client, topic, alice, bob, moderator):
    reply = reply_of(topic, alice, body="Another thought.")
    moderation.member_suspend(moderator, bob, days=3, reason="Spam links")
    client.force_login(bob)
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Still here"}).status_code == 403
    assert client.post(f"/forum/p/{reply.pk}/like/").status_code == 403
    assert client.get("/forum/new/").status_code == 403
    Suspension.objects.update(until=timezone.now() - timedelta(minutes=1))  # it ran out
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Back again"}).status_code == 302


def test_moderation_actions_are_for_moderators(client, topic, alice, bob, moderator, category):
    reply = reply_of(topic, bob)
    client.force_login(alice)
    assert client.post(f"/forum/t/{topic.pk}/moderate/", {"action": "pin"}).status_code == 403
    assert client.post(f"/forum/p/{reply.pk}/moderate/", {"action": "hide"}).status_code == 403
    client.force_login(moderator)
    for action, field, value in [("pin", "pinned", True), ("lock", "locked", True), ("close", "closed", True),
                                 ("unlock", "locked", False), ("reopen", "closed", False)]:
        assert client.post(f"/forum/t/{topic.pk}/moderate/", {"action": action}).status_code == 302
        assert getattr(Topic.objects.get(pk=topic.pk), field) is value, action
    assert client.post(f"/forum/p/{reply.pk}/moderate/", {"action": "hide"}).status_code == 302
    assert Post.objects.get(pk=reply.pk).hidden
    client.force_login(alice)
    assert "A useful reply." not in client.get(topic.get_absolute_url()).content.decode()
    assert ModerationLog.objects.count() == 6
    assert client.post(f"/forum/t/{topic.pk}/moderate/", {"action": "explode"}).status_code == 403


def test_report_once(client, topic, alice, bob):
    reply = reply_of(topic, bob)
    client.force_login(bob)
    assert client.get(f"/forum/p/{reply.pk}/report/").status_code == 403  # not your own post
    client.force_login(alice)
    assert client.get(f"/forum/p/{reply.pk}/report/").status_code == 200
    assert client.post(f"/forum/p/{reply.pk}/report/", {"reason": "nonsense"}).status_code == 400
    assert client.post(f"/forum/p/{reply.pk}/report/", {"reason": "spam", "text": "Links"}).status_code == 302
    response = client.post(f"/forum/p/{reply.pk}/report/", {"reason": "spam"}, follow=True)
    assert "already reported" in response.content.decode()
    assert Report.objects.count() == 1


def test_hidden_topic_is_404_for_members_and_shown_to_moderators(client, topic, alice, bob, moderator):
    services.topic_set_flag(moderator, topic, "hidden", True)
    client.force_login(bob)
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert client.get(topic.get_absolute_url()).status_code == 200
