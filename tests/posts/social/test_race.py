"""Races on PostgreSQL, through the real views: 50 members liking one photo post at once give exactly
50 likes; one member's many clicks at once count once; comments posted at once are all counted."""

import pytest
from django.test import Client
from django.urls import reverse

from community.posts.models import Comment, Post, PostLike
from tests.factories import MemberFactory
from tests.posts.social.conftest import make_post, old_member
from tests.race import race

THREADS = 50
# serialized_rollback: these tests empty every table when they end; the data migrations' rows come
# back for the transactional tests after them.
race_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def logged_in_clients(members):
    clients = []
    for member in members:
        client = Client()
        client.force_login(member)
        clients.append(client)
    return clients


@pytest.fixture
def photo_post(db):
    return make_post(old_member("author"), "Race day #sommerlook")


@race_db
def test_fifty_members_liking_at_once_give_exactly_fifty(on_postgres, photo_post, settings):
    settings.POSTS_RATE_LIMITS = {"like": (1000, 1000, 3600)}
    clients = logged_in_clients([old_member(f"liker{i}") for i in range(THREADS)])
    url = reverse("posts:like", args=[photo_post.pk])
    statuses = race(THREADS, lambda i: clients[i].post(url).status_code)
    assert statuses == [302] * THREADS
    photo_post.refresh_from_db()
    assert photo_post.like_count == THREADS == PostLike.objects.filter(post=photo_post).count()


@race_db
def test_one_member_clicking_like_many_times_at_once_counts_once(on_postgres, photo_post):
    clients = logged_in_clients([MemberFactory(username="clicker")] * 10)
    url = reverse("posts:like", args=[photo_post.pk])
    race(10, lambda i: clients[i].post(url).status_code)
    photo_post.refresh_from_db()
    assert photo_post.like_count == 1 == PostLike.objects.filter(post=photo_post).count()


@race_db
def test_comments_posted_at_once_are_all_counted(on_postgres, photo_post, settings):
    settings.POSTS_RATE_LIMITS = {"comment": (1000, 1000, 3600)}
    clients = logged_in_clients([old_member(f"writer{i}") for i in range(20)])
    url = reverse("posts:comment", args=[photo_post.pk])
    statuses = race(20, lambda i: clients[i].post(url, {"body": f"Comment number {i}"}).status_code)
    assert statuses == [302] * 20
    assert Post.objects.get(pk=photo_post.pk).comment_count == 20 == Comment.objects.filter(post=photo_post).count()
