"""Pinned query counts for the photo pages, for visitors and signed-in members: the same with 1
post or 40, with 1 photo or 6 per post, with more hashtags, likes and comments. Rows are
bulk-written so the tests stay quick."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from community.posts.models import Comment, Hashtag, Post, PostLike, PostPhoto, TaggedPost
from tests.factories import MemberFactory

from .conftest import image_bytes, make_post

pytestmark = pytest.mark.django_db


def grow(author, tag, count=40, photos=6):
    """`count` more live posts under `tag`, each with `photos` photos, 3 more hashtags, likes and comments."""
    now = timezone.now()
    others = MemberFactory.create_batch(3)
    posts = Post.objects.bulk_create([
        Post(author=others[n % 3] if n % 2 else author, caption=f"Post {n} #{tag.name}",
             caption_html=f'Post {n} <a class="hashtag" href="/tags/{tag.key}/">#{tag.name}</a>',
             created_at=now - timedelta(minutes=n + 1), published_at=now, like_count=3, comment_count=2)
        for n in range(count)])
    master = ContentFile(image_bytes("WEBP"), name="x.webp")
    photo = PostPhoto(post=posts[0], position=0, alt_text="a")
    photo.file.save("shared.webp", master, save=False)
    PostPhoto.objects.bulk_create([PostPhoto(post=p, position=i, file=photo.file.name, width=64, height=48,
                                             alt_text=f"Photo {i}", renditions={"widths": [64], "formats": ["webp"]})
                                   for p in posts for i in range(photos)])
    extra = Hashtag.objects.bulk_create([Hashtag(name=f"extra{n}", key=f"extra{n}", slug=f"extra{n}") for n in range(3)])
    TaggedPost.objects.bulk_create([TaggedPost(content_object=p, tag=t) for p in posts for t in [tag, *extra]])
    PostLike.objects.bulk_create([PostLike(post=p, member=m) for p in posts for m in others])
    Comment.objects.bulk_create([Comment(post=p, author=m, body="Nice", body_html="Nice") for p in posts for m in others[:2]])
    Hashtag.objects.filter(pk=tag.pk).update(post_count=count + 1)


@pytest.fixture
def first(alice):
    return make_post(alice, caption="First #summer with @bob")


def test_wall_and_popular(client, alice, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")
    PostLike.objects.create(post=first, member=alice)
    # the site menu (3: site, locale, view restrictions; cached for returning visitors), the posts
    # (1), their first photos (1), the trending hashtags (2, then cached)
    assert_queries(8, lambda: client.get(reverse("posts:wall")), grow=lambda: grow(alice, tag))
    assert_queries(2, lambda: client.get(reverse("posts:wall") + "?fragment=1"))
    assert_queries(8, lambda: client.get(reverse("posts:popular")))


def test_tag_page(client, alice, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")
    # the site menu (3), the hashtag (1), its posts (1), their first photos (1)
    assert_queries(7, lambda: client.get(reverse("posts:tag", args=["summer"])), grow=lambda: grow(alice, tag))


def test_post_page(client, alice, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")

    def more():
        grow(alice, tag)
        PostPhoto.objects.bulk_create([PostPhoto(post=first, position=i, file=first.photos.first().file.name, width=64,
                                                 height=48, alt_text="more") for i in range(1, 6)])
        TaggedPost.objects.bulk_create([TaggedPost(content_object=first, tag=t) for t in Hashtag.objects.exclude(pk=tag.pk)])
        PostLike.objects.bulk_create([PostLike(post=first, member=m) for m in MemberFactory.create_batch(3)])

    # the site menu (3), the post with author and look (1), photos (1), products (1), hashtags (1),
    # the comments with their authors (1, posts-social)
    assert_queries(9, lambda: client.get(first.get_absolute_url()), grow=more)


def test_profile(client, alice, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")
    url = reverse("members:profile", args=[alice.username])
    client.get(url)
    response = assert_queries(PROFILE, lambda: client.get(url), grow=lambda: grow(alice, tag))
    assert b"photo-grid-member" in response.content


def test_member_photos_page(client, alice, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")
    url = reverse("posts:member", args=[alice.username])
    # the member (1), the site menu (3), the member's posts (1), their first photos (1)
    assert_queries(7, lambda: client.get(url), grow=lambda: grow(alice, tag))


# The member (1), their loyalty tier (1), the site menu (3), the member's posts (2), their forum
# topics and replies (2), their reviews (1), their badges (1).
PROFILE = 12


def test_signed_in_pages_stay_constant_and_are_kept(client, alice, bob, first, assert_queries):
    tag = Hashtag.objects.get(key="summer")
    client.force_login(bob)
    client.get(reverse("posts:wall"))  # sets the CSRF cookie: from now on pages are kept for the member
    assert_queries(SIGNED_IN_WALL, lambda: client.get(reverse("posts:wall")), grow=lambda: grow(alice, tag))
    assert_queries(SIGNED_IN_POST, lambda: client.get(first.get_absolute_url()))
    # Kept for a minute (community.forum.kept): the session alone.
    assert_queries(1, lambda: client.get(first.get_absolute_url()), keep_cache=True)


# The session and the member (2), the unread notifications (1), the suspension check of "share a
# photo" (1), the site menu (3), the page's (4 with the trending box).
SIGNED_IN_WALL = 12
# The session and the member (2), the unread notifications (1), the site menu (3), the post's (4),
# the moderator check (1); posts-social: the member's like (1), the comments with their authors (1).
SIGNED_IN_POST = 14
