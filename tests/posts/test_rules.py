"""Pre-moderation, rate limits, permissions, load more and the edit/delete rules."""

import pytest
from django.urls import reverse

from community.posts import services
from community.posts.models import Hashtag, Post
from tests.factories import MemberFactory

from .conftest import make_post, processed

pytestmark = pytest.mark.django_db


def test_pre_moderation_decides_the_status(alice, client, settings):
    assert make_post(alice).status == Post.Status.PUBLISHED
    make_post(alice)  # two published posts: no longer new (POSTS_NEW_MEMBER_POSTS)
    settings.POSTS_APPROVE_NEW_MEMBERS = True
    newcomer = MemberFactory()
    waiting = make_post(newcomer, caption="#fresh")
    assert waiting.status == Post.Status.PENDING and make_post(alice).status == Post.Status.PUBLISHED
    settings.POSTS_APPROVE_ALL = True
    assert make_post(alice).status == Post.Status.PENDING
    assert Hashtag.objects.get(key="fresh").post_count == 0  # only live posts count
    assert client.get(waiting.get_absolute_url()).status_code == 404
    assert waiting.get_absolute_url() not in client.get(reverse("posts:wall")).content.decode()
    client.force_login(newcomer)
    assert b"waits for a moderator" in client.get(waiting.get_absolute_url()).content


def test_moderation_moves_counts_through_post_live_changed(alice):
    post = make_post(alice, caption="#one #two")
    was_live = post.is_live
    Post.objects.filter(pk=post.pk).update(hidden=True)
    post.refresh_from_db()
    services.post_live_changed(post, was_live)
    assert set(Hashtag.objects.values_list("post_count", flat=True)) == {0}


def test_new_members_have_a_tighter_posting_limit(client, settings):
    settings.POSTS_RATE_LIMITS = {"post": (1, 5, 3600)}
    client.force_login(MemberFactory())
    assert client.post(reverse("posts:new"), {"caption": "x"}).status_code == 400
    assert client.post(reverse("posts:new"), {"caption": "x"}).status_code == 429


def test_only_the_author_edits_and_the_author_or_a_moderator_deletes(client, alice, bob, moderator):
    post = make_post(alice)
    client.force_login(bob)
    assert client.get(reverse("posts:edit", args=[post.pk])).status_code == 403
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("posts:edit", args=[post.pk])).status_code == 403
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 302
    assert not Post.objects.exists()
    client.logout()
    assert client.get(reverse("posts:new")).status_code == 302  # to the login page
    assert client.get(reverse("posts:edit", args=[12345])).status_code == 302


def test_edit_keeps_alt_text_required_and_a_gone_product_stays_until_removed(client, alice):
    from tests.factories import ProductFactory

    product = ProductFactory()
    post = services.post_create(alice, caption="#a", photos=[(processed(), "alt")], products=[product])
    product.active = False
    product.save()
    client.force_login(alice)
    photo = post.photos.get()
    response = client.post(reverse("posts:edit", args=[post.pk]), {"caption": "#a", f"alt_{photo.pk}": " ",
                                                                  "products": [product.pk]})
    assert response.status_code == 400 and "Every photo needs its alt text" in response.content.decode()
    response = client.post(reverse("posts:edit", args=[post.pk]), {"caption": "#b", f"alt_{photo.pk}": "new",
                                                                  "products": [product.pk]})
    assert response.status_code == 302 and list(post.products.all()) == [product]


def test_load_more_pages_through_the_wall_with_and_without_htmx(client, alice, settings):
    settings.POSTS_PER_PAGE = 2
    posts = [make_post(alice, caption=f"#p{n}") for n in range(5)]
    page = client.get(reverse("posts:wall")).content.decode()
    assert posts[4].get_absolute_url() in page and posts[2].get_absolute_url() not in page
    import re

    link = re.search(r'href="(/posts/\?cursor=[^"]+)"', page).group(1)
    second = client.get(link.replace("&amp;", "&")).content.decode()
    assert posts[2].get_absolute_url() in second and posts[4].get_absolute_url() not in second
    fragment = client.get(link + "&fragment=1").content.decode()
    assert "<html" not in fragment and 'data-hx-swap-oob="true"' in fragment
    assert posts[2].get_absolute_url() in fragment
    profile_more = client.get(reverse("posts:member", args=[alice.username]) + "?fragment=1").content.decode()
    assert "<html" not in profile_more


def test_recount_puts_every_counter_right(alice, bob):
    from django.core.management import call_command

    from community.posts.models import Comment, PostLike

    post = make_post(alice, caption="#a #b")
    PostLike.objects.create(post=post, member=bob)
    Comment.objects.create(post=post, author=bob, body="hi")
    Comment.objects.create(post=post, author=bob, body="gone", hidden=True)
    Hashtag.objects.update(post_count=7)
    assert services.counters_recount() == 4  # two hashtags, the post's likes and its comments
    post.refresh_from_db()
    assert (post.like_count, post.comment_count) == (1, 1)
    assert set(Hashtag.objects.values_list("post_count", flat=True)) == {1}
    call_command("posts_recount", stdout=__import__("io").StringIO())
    assert services.counters_recount() == 0
