"""The demo's long thread (issue 17, item 14): over 60 posts, none repeated word for word, some in
the members' languages; with two reports and two posts waiting for a moderator."""

from io import StringIO

import pytest

from community.forum import demo
from community.forum.demo_thread import LOCAL, TITLE, thread_texts
from community.forum.models import Post, Topic
from community.moderation.models import Report
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_thread_never_repeats_itself():
    texts = thread_texts(64)
    assert len(texts) == 64 and len(set(texts)) == 64
    assert sum(text in LOCAL for text in texts) >= 3


def test_the_demo_forum_has_a_long_topic_reports_and_waiting_posts(monkeypatch):
    members = [MemberFactory(username=f"demo{n}") for n in range(5)]
    monkeypatch.setattr(demo, "_members", lambda: (members, None))
    demo.load(StringIO())
    topic = Topic.objects.get(title=TITLE)
    assert topic.last_post_number > 60 and topic.reply_count > 60
    assert Post.objects.filter(topic=topic, approved=False).count() == 2
    assert Report.objects.filter(resolved_at__isnull=True).count() == 2
