"""What a suspension stops (issue 11, item 8): everything that writes something others see.

A suspended member may not post, reply, edit, delete their posts (a deletion changes the thread
others read and could remove what moderators are looking at), like or take a like back, mark an
answer (tested in test_permissions), or report (a suspension follows abuse; reports would be a way to go on pressing others).
Watching a topic is private to them and stays allowed. Edits are rate-limited (FORUM_RATE_LIMITS
"edit"), since each stores a revision."""

import pytest
from django.urls import reverse

from community.forum import services
from community.forum.models import Post, PostLike, PostRevision
from community.moderation import services as moderation
from community.moderation.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended_bob(client, topic, alice, bob, moderator):
    own = services.post_reply(bob, topic, body="Bob's own reply.")
    other = services.post_reply(alice, topic, body="Alice's reply.")
    services.post_like(bob, other)
    moderation.member_suspend(moderator, bob, days=3, reason="Spam links")
    client.force_login(bob)
    return {"own": own, "other": other, "topic": topic}


FORBIDDEN = [
    # (what, url name, the object its pk comes from, data)
    ("reply", "forum:reply", "topic", {"body": "Still here"}),
    ("edit own post", "forum:post_edit", "own", {"body": "Edited while suspended"}),
    ("delete own post", "forum:post_delete", "own", {}),
    ("like", "forum:post_like", "other", {"action": "like"}),
    ("take a like back", "forum:post_like", "other", {"action": "unlike"}),
    ("report", "forum:post_report", "other", {"reason": "spam", "details": ""}),
]


@pytest.mark.parametrize(("what", "name", "target", "data"), FORBIDDEN, ids=[row[0] for row in FORBIDDEN])
def test_a_suspension_stops_every_write_others_see(client, suspended_bob, what, name, target, data):
    obj = suspended_bob[target]
    before = (Post.objects.filter(deleted_at__isnull=True).count(), PostLike.objects.count(), Report.objects.count(),
              PostRevision.objects.count(), Post.objects.get(pk=suspended_bob["own"].pk).body)
    response = client.post(reverse(name, args=[obj.pk]), data)
    assert response.status_code == 403, what
    assert "suspended" in response.content.decode()
    after = (Post.objects.filter(deleted_at__isnull=True).count(), PostLike.objects.count(), Report.objects.count(),
             PostRevision.objects.count(), Post.objects.get(pk=suspended_bob["own"].pk).body)
    assert after == before, what


def test_a_suspended_member_may_still_watch_a_topic(client, suspended_bob):
    topic = suspended_bob["topic"]
    response = client.post(reverse("forum:topic_watch", args=[topic.pk]), {"level": "watching"})
    assert response.status_code == 302


def test_edits_are_rate_limited(client, topic, bob, settings):
    settings.FORUM_RATE_LIMITS = {"edit": (2, 2, 3600)}
    own = services.post_reply(bob, topic, body="First words.")
    client.force_login(bob)
    url = reverse("forum:post_edit", args=[own.pk])
    statuses = [client.post(url, {"body": f"Words, take {n}."}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Post.objects.get(pk=own.pk).body == "Words, take 1."
    assert PostRevision.objects.filter(post=own).count() == 2
    # a preview is not an edit: it stores nothing and is not counted
    assert client.post(url, {"body": "Just looking.", "preview": "1"}).status_code == 200
