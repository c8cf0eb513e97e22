"""The blog index, its archives, a post and the feeds run a fixed number of queries, however many
posts, authors, tags, categories, images or related posts they show. The site menu is cached, so
each view is requested once to warm it and counted with keep_cache=True. The first view of a new
image creates its renditions (Wagtail makes them on demand), so the rows added by grow() are viewed
once before the count too: the count pinned is the one every later visitor sees."""

import datetime

import pytest

from content.models import Author, BlogCategory, BlogPage, BlogPageAuthor

pytestmark = pytest.mark.django_db

# Wagtail's routing (the site, the page) plus ours: the private sections, the count, the posts,
# their authors, their hero images' renditions.
INDEX_QUERIES = 12
# A post with its route and parts kept (website.views.serve_page, {% fragment %}): Wagtail's
# restrictions and alias check; 26 when every part is made afresh (FRAGMENT_CACHE_SECONDS = 0).
POST_QUERIES = 2
POST_QUERIES_MADE = 26
FEED_QUERIES = 11


@pytest.fixture
def more(make_post, author, category):
    """Adds posts with several authors, categories, tags and images to every list."""
    counter = {"n": 0}

    def grow():
        for _ in range(3):
            counter["n"] += 1
            n = counter["n"]
            extra_author = Author.objects.create(name=f"Writer {n}")
            extra_category = BlogCategory.objects.create(name=f"Section {n}", slug=f"section-{n}")
            make_post(title=f"More {n}", authors=[author, extra_author], categories=[category, extra_category],
                      tags=["linen", f"tag-{n}"], body_image=True, date=datetime.date(2025, 12, 1) - datetime.timedelta(days=n))

    return grow


def warmed(grow, client, url):
    def step():
        grow()
        client.get(url)

    return step


def test_index_query_count(client, make_post, author, category, more, assert_queries):
    make_post(authors=[author], categories=[category], tags=["linen"])
    client.get("/blog/")
    assert_queries(INDEX_QUERIES, lambda: client.get("/blog/"), grow=warmed(more, client, "/blog/"), keep_cache=True)


@pytest.mark.parametrize("url", ["/blog/tag/linen/", "/blog/category/care/"])
def test_archive_query_counts(client, make_post, author, category, more, assert_queries, url):
    make_post(authors=[author], categories=[category], tags=["linen"])
    client.get(url)
    # one more than the index: the tag or category
    assert_queries(INDEX_QUERIES + 1, lambda: client.get(url), grow=warmed(more, client, url), keep_cache=True)


@pytest.mark.parametrize(("fragment_seconds", "expected"), [(86400, POST_QUERIES), (0, POST_QUERIES_MADE)])
def test_post_query_count(client, make_post, author, category, more, assert_queries, settings, fragment_seconds, expected):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    make_post(authors=[author], categories=[category], tags=["linen"], body_image=True, date=datetime.date(2026, 6, 1))
    make_post(authors=[author], categories=[category], tags=["linen"], body_image=True, date=datetime.date(2026, 6, 2))

    def grow():
        more()
        # the post itself gets more authors, tags, categories and body images; more posts are related
        post = BlogPage.objects.get(slug="post-1")
        for extra in Author.objects.exclude(pk=author.pk)[:2]:
            BlogPageAuthor.objects.get_or_create(page=post, author=extra, defaults={"sort_order": 5})
        post.tags.add("wool", "λινό")
        post.categories.add(*BlogCategory.objects.all())
        post.body.append(("image", {"image": post.hero_image, "alt_text": "", "caption": "Again"}))
        post.save_revision().publish()

    client.get("/blog/post-1/")
    assert_queries(expected, lambda: client.get("/blog/post-1/"), grow=warmed(grow, client, "/blog/post-1/"), keep_cache=True)


def test_feed_query_count(client, make_post, author, category, more, assert_queries):
    make_post(authors=[author], categories=[category], tags=["linen"])
    client.get("/blog/feed/")
    assert_queries(FEED_QUERIES, lambda: client.get("/blog/feed/"), grow=more, keep_cache=True)
    assert_queries(FEED_QUERIES, lambda: client.get("/blog/feed/atom/"), grow=more, keep_cache=True)
