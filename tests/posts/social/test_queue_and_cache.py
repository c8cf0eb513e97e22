"""Photo posts and comments in the moderators' queue (Wagtail admin): waiting and reported items
listed with harmless previews, acted on in bulk; and cached pages that follow likes and comments
(the anonymous page cache and the pages kept for a signed-in member)."""

import pytest
from django.test import Client

from community.moderation.services import report_create
from community.posts import interactions
from community.posts.models import Comment, Post
from tests.posts.social.conftest import old_member

pytestmark = pytest.mark.django_db
QUEUE = "/admin/moderation/queue/"
ACT = "/admin/moderation/queue/act/"
XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_the_queue_lists_waiting_posts_and_reported_comments_harmlessly(pending_post, post, bob, moderator):
    comment = interactions.comment_add(bob, post, f"Spam {XSS}")
    report_create(post.author, comment, reason="spam")
    Post.objects.filter(pk=pending_post.pk).update(caption=f"Waiting {XSS}")
    client = Client()
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert f'value="approve@photo_post:{pending_post.pk}"' in html
    assert f'value="photo_comment:{comment.pk}"' in html
    assert "<script>alert(2)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(2)" in html
    response = client.post(ACT, {"action": "hide", "items": [f"photo_comment:{comment.pk}"]})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden
    client.post(ACT, {"item": f"approve@photo_post:{pending_post.pk}"})
    pending_post.refresh_from_db()
    assert pending_post.status == "published"


def test_the_anonymous_post_page_shows_a_new_comment_at_once(client, post, bob):
    assert "First!" not in client.get(post.get_absolute_url()).content.decode()
    interactions.comment_add(bob, post, "First!")
    assert "First!" in client.get(post.get_absolute_url()).content.decode()


def test_a_members_kept_post_page_follows_their_like(post, bob):
    client = Client()
    client.force_login(bob)
    client.get(post.get_absolute_url())  # the CSRF cookie: from now on the page is kept for them
    assert "Like · 0" in client.get(post.get_absolute_url()).content.decode()
    client.post(f"/posts/{post.pk}/like/")
    assert "Liked · 1" in client.get(post.get_absolute_url()).content.decode()


def test_a_renamed_commenter_shows_under_the_new_name(client, post):
    carol = old_member("carol")
    interactions.comment_add(carol, post, "Hello")
    assert "Carol" in client.get(post.get_absolute_url()).content.decode()
    carol.display_name = "Karolina Ωμέγα"
    carol.save()
    assert "Karolina Ωμέγα" in client.get(post.get_absolute_url()).content.decode()
    assert Comment.objects.count() == 1
