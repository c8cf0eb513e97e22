import io

import pytest
from django.core.management import call_command

from community.forum import demo
from community.forum.models import Category, Post, PostLike, Topic
from community.members import demo as members_demo
from community.members.models import Notification

pytestmark = pytest.mark.django_db


def test_demo_forum_loads_once_with_the_promised_shape(client, django_capture_on_commit_callbacks):
    members_demo.load(io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
    # six categories and "From the blog" (blog posts' discussions); the long thread adds 66 replies
    assert Category.objects.count() == 7 and Category.objects.filter(members_only=True).count() == 1
    assert 55 <= Topic.objects.count() <= 66
    assert 400 <= Post.objects.filter(number__gt=1).count() <= 486
    assert Topic.objects.filter(solution__isnull=False).count() >= 5
    assert PostLike.objects.count() > 100
    assert Post.objects.filter(body_html__contains='class="mention"').exists()
    assert Notification.objects.exists()  # the newest replies went through the real services
    before = (Topic.objects.count(), Post.objects.count())
    demo.load(io.StringIO())
    assert (Topic.objects.count(), Post.objects.count()) == before
    out = io.StringIO()
    call_command("forum_recount", stdout=out)
    assert "0 row(s) corrected" in out.getvalue()  # the demo's counters are right
    assert client.get("/forum/").status_code == 200
    topic = Topic.objects.filter(reply_count__gt=5).first()
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_recount_repairs_drifted_counters(topic, bob):
    from community.forum import services

    reply = services.post_reply(bob, topic, body="Cold water.")
    services.post_like(topic.author, reply)
    Topic.objects.filter(pk=topic.pk).update(reply_count=40, like_count=0, last_post_number=9)
    Post.objects.filter(pk=reply.pk).update(like_count=7)
    Category.objects.update(topic_count=0, post_count=99)
    out = io.StringIO()
    call_command("forum_recount", stdout=out)
    fresh = Topic.objects.get(pk=topic.pk)
    assert (fresh.reply_count, fresh.like_count, fresh.last_post_number) == (1, 1, 2)
    assert Post.objects.get(pk=reply.pk).like_count == 1
    assert Category.objects.values_list("topic_count", "post_count").get() == (1, 2)
    assert "3 row(s) corrected" in out.getvalue()
