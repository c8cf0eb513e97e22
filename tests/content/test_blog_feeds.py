"""RSS 2.0 and Atom feeds of the blog, a category and a tag, read back with feedparser."""

import datetime

import feedparser
import pytest

from content.models import Author, BlogCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(make_post, author, category):
    other = Author.objects.create(name="Åsne Solberg")
    community = BlogCategory.objects.create(name="Community", slug="community")
    make_post(title="Linen in winter", authors=[author, other], categories=[category], tags=["λινό"],
              date=datetime.date(2026, 2, 1), intro="Yes, really: linen in winter.")
    make_post(title="Meet-up", authors=[other], categories=[community], tags=["meet-up"], date=datetime.date(2026, 3, 1))
    make_post(title="No byline", categories=[category], date=datetime.date(2026, 1, 1))


def parse(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


FEEDS = [("/blog/feed/", "application/rss+xml", "rss20"), ("/blog/feed/atom/", "application/atom+xml", "atom10")]


@pytest.mark.parametrize(("url", "content_type", "version"), FEEDS)
def test_blog_feed_items(client, posts, url, content_type, version):
    feed = parse(client, url, content_type)
    assert feed.version == version
    assert feed.feed.title.startswith("Blog")
    assert feed.feed.link == "http://testserver/blog/"
    assert [e.title for e in feed.entries] == ["Meet-up", "Linen in winter", "No byline"]
    entry = feed.entries[1]
    assert entry.link == "http://testserver/blog/post-1/"
    assert entry.published_parsed[:3] == (2026, 2, 1)
    assert entry.author == "Ελένη Παπαδοπούλου, Åsne Solberg"
    assert entry.summary == "Yes, really: linen in winter."
    assert feed.entries[2].author  # no authors: the site's name


@pytest.mark.parametrize(("suffix", "content_type"), [("", "application/rss+xml"), ("atom/", "application/atom+xml")])
def test_category_and_tag_feeds(client, posts, suffix, content_type):
    care = parse(client, f"/blog/category/care/feed/{suffix}", content_type)
    assert [e.title for e in care.entries] == ["Linen in winter", "No byline"]
    assert care.feed.link == "http://testserver/blog/category/care/"
    linen = parse(client, f"/blog/tag/λινό/feed/{suffix}", content_type)
    assert [e.title for e in linen.entries] == ["Linen in winter"]
    assert "λινό" in linen.feed.title


def test_feed_has_the_twenty_newest(client, make_post):
    for i in range(22):
        make_post(title=f"Story {i:02d}", date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i), hero=False)
    feed = parse(client, "/blog/feed/", "application/rss+xml")
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Story 21" and feed.entries[-1].title == "Story 02"
