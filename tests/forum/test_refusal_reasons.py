"""A 403 says why (issue 10, part 4): each forum rule refuses with its own translated reason, and
the 403 page shows it; the boolean twins agree with the checks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.forum import services
from community.forum.models import Category, Topic
from community.moderation.models import Suspension

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(topic, bob):
    return services.post_reply(bob, topic, body="A useful reply.")


def _lock(topic):
    Topic.objects.filter(pk=topic.pk).update(locked=True)


def _close(topic):
    Topic.objects.filter(pk=topic.pk).update(closed=True)


def _suspend(member):
    Suspension.objects.create(member=member, until=timezone.now() + timedelta(days=1), reason="Shouting")


# (who acts, what is arranged first, method, path, form data, the reason shown)
CASES = [
    ("alice", None, "post", "/forum/p/{reply}/edit/", {"body": "Mine now"}, "You can only edit your own posts."),
    ("alice", None, "post", "/forum/p/{reply}/delete/", {}, "You can only delete your own posts."),
    ("bob", None, "post", "/forum/p/{reply}/like/", {}, "You cannot like your own post."),
    ("bob", None, "post", "/forum/t/{topic}/solve/", {"number": 2}, "Only the member who asked can mark the answer."),
    ("alice", None, "get", "/forum/p/{reply}/history/", {}, "Only moderators can see the earlier versions of a post."),
    ("alice", None, "post", "/forum/t/{topic}/moderate/", {"action": "pin"}, "Only moderators can do this."),
    ("alice", None, "post", "/forum/p/{reply}/moderate/", {"action": "hide"}, "Only moderators can do this."),
    ("bob", _lock, "post", "/forum/t/{topic}/reply/", {"body": "Hello"}, "This topic is locked"),
    ("bob", _close, "post", "/forum/t/{topic}/reply/", {"body": "Hello"}, "This topic is closed"),
    ("bob", _lock, "post", "/forum/p/{reply}/edit/", {"body": "Changed"}, "This topic is locked, so its posts cannot be edited."),
    ("bob", "suspend", "post", "/forum/t/{topic}/reply/", {"body": "Hello"}, "Your account is suspended for now"),
    ("alice", "replied", "post", "/forum/p/{opening}/delete/", {}, "Others have replied to this topic"),
]


@pytest.mark.parametrize(("who", "arrange", "method", "path", "data", "reason"), CASES)
def test_a_refusal_says_why(client, topic, reply, alice, bob, who, arrange, method, path, data, reason):
    member = {"alice": alice, "bob": bob}[who]
    if arrange == "suspend":
        _suspend(member)
    elif callable(arrange):
        arrange(topic)
    client.force_login(member)
    url = path.format(reply=reply.pk, topic=topic.pk, opening=topic.posts.get(number=1).pk)
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert reason in response.content.decode()


def test_staff_only_category_says_who_starts_topics(client, bob):
    news = Category.objects.create(name="News", slug="news", staff_only_topics=True)
    from community.forum.permissions import can_start_topic, check_start_topic

    assert not can_start_topic(bob, news)
    with pytest.raises(Exception, match="Only the team starts topics"):
        check_start_topic(bob, news)
