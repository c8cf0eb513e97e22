"""Races on PostgreSQL, through the real views: 20 members liking one post at once give exactly 20
likes; replies posted at once get distinct, gap-free post numbers; one member's double click on
"like" counts once."""

import pytest
from django.test import Client

from community.forum.models import Category, Post, PostLike, Topic
from community.forum.services import topic_create
from tests.factories import MemberFactory
from tests.race import race

THREADS = 20
# serialized_rollback: these tests empty every table when they end; the data migrations' rows (the
# home page, the Wagtail site, content types) come back for the transactional tests after them.
race_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def logged_in_clients(members):
    clients = []
    for member in members:
        client = Client()
        client.force_login(member)
        clients.append(client)
    return clients


@pytest.fixture
def opened(db):
    author = MemberFactory(username="starter")
    category = Category.objects.create(name="Care", slug="care")
    return topic_create(author, category, title="How do I wash linen?", body="Cold or warm?")


@race_db
def test_twenty_members_like_one_post_at_once(on_postgres, opened):
    post = opened.posts.get(number=1)
    clients = logged_in_clients([MemberFactory() for _ in range(THREADS)])
    statuses = race(THREADS, lambda i: clients[i].post(f"/forum/p/{post.pk}/like/").status_code)
    assert statuses == [302] * THREADS
    post.refresh_from_db()
    assert post.like_count == THREADS == PostLike.objects.filter(post=post).count()
    assert Topic.objects.get(pk=opened.pk).like_count == THREADS


@race_db
def test_one_member_liking_twice_at_once_counts_once(on_postgres, opened):
    post = opened.posts.get(number=1)
    clients = logged_in_clients([MemberFactory()] * 8)
    race(8, lambda i: clients[i].post(f"/forum/p/{post.pk}/like/").status_code)
    post.refresh_from_db()
    assert post.like_count == 1 == PostLike.objects.filter(post=post).count()


@race_db
def test_replies_at_once_get_distinct_numbers(on_postgres, opened):
    clients = logged_in_clients([MemberFactory() for _ in range(THREADS)])
    statuses = race(THREADS, lambda i: clients[i].post(f"/forum/t/{opened.pk}/reply/",
                                                       {"body": f"My answer number {i}."}).status_code)
    assert statuses == [302] * THREADS
    numbers = sorted(Post.objects.filter(topic=opened).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 2))
    topic = Topic.objects.get(pk=opened.pk)
    assert topic.last_post_number == THREADS + 1 and topic.reply_count == THREADS
    assert Category.objects.get().post_count == THREADS + 1
