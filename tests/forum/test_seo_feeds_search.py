"""The forum on the open web: RSS feeds, the sitemap, DiscussionForumPosting JSON-LD and the site
search, each showing only what every visitor may read."""

import json
import re

import feedparser
import pytest

from community.forum import services

pytestmark = pytest.mark.django_db


def test_feeds_parse_with_title_link_date_and_author(client, topic, alice):
    for path in ("/forum/feed/", "/forum/c/care/feed/"):
        response = client.get(path)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        entry = feed.entries[0]
        assert entry.title == "How do I wash linen?"
        assert entry.link.endswith(topic.get_absolute_url())
        assert entry.published_parsed and entry.author == "Alice"
        assert "Cold or warm water?" in entry.summary


def test_members_only_topics_stay_out_of_feeds_and_sitemap(client, members_category, topic, alice):
    hidden = services.topic_create(alice, members_category, title="Members' samples", body="Shh")
    xml = client.get("/sitemap.xml").content.decode()
    assert f"{topic.get_absolute_url()}</loc>" in xml and hidden.get_absolute_url() not in xml
    assert "Members' samples" not in client.get("/forum/feed/").content.decode()


def test_sitemap_topic_rows_cost_one_query(client, topic, alice, category, assert_queries):
    client.get("/sitemap.xml")
    # site, view restrictions, pages (count, types, rows), products (count), topics (count, rows),
    # photo posts and hashtags (a count each)
    assert_queries(10, lambda: client.get("/sitemap.xml"), keep_cache=True,
                   grow=lambda: [services.topic_create(alice, category, title=f"Topic {n}", body=f"Body {n}") for n in range(5)])


def test_topic_json_ld(client, topic, bob):
    services.post_reply(bob, topic, body="Cold water <b>always</b>.")
    html = client.get(topic.get_absolute_url()).content.decode()
    data = [json.loads(s) for s in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    posting = next(d for d in data if d["@type"] == "DiscussionForumPosting")
    assert posting["headline"] == "How do I wash linen?" and posting["author"]["name"] == "Alice"
    assert posting["comment"][0]["author"]["name"] == "Bob" and "<b>" not in posting["comment"][0]["text"]
    assert posting["interactionStatistic"][0]["userInteractionCount"] == 1


def test_site_search_finds_topics_and_posts_the_visitor_may_see(client, topic, bob, members_category, alice):
    services.post_reply(bob, topic, body="A gentle detergent for λινό works best.")
    secret = services.topic_create(alice, members_category, title="Detergent samples for members", body="Members only")
    html = client.get("/search/", {"q": "detergent"}).content.decode()
    assert f'href="{topic.get_absolute_url()}2/"' in html
    assert "Detergent samples for members" not in html
    found = client.get("/search/", {"q": "linen"}).content.decode()
    assert f'<a href="{topic.get_absolute_url()}">How do I wash <mark>linen</mark>?</a>' in found
    client.force_login(bob)
    assert f'href="{secret.get_absolute_url()}"' in client.get("/search/", {"q": "samples"}).content.decode()


def test_hidden_posts_are_not_found(client, topic, bob, moderator):
    reply = services.post_reply(bob, topic, body="Buy cheap detergent here")
    services.post_set_hidden(moderator, reply, True)
    assert "Buy cheap" not in client.get("/search/", {"q": "detergent"}).content.decode()


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_anonymous_forum_pages_are_cached_and_every_write_shows_at_once(client, page_cache_on, topic, alice, bob,
                                                                        moderator, django_assert_num_queries):
    paths = ["/forum/", "/forum/latest/", "/forum/c/care/", topic.get_absolute_url(), "/forum/feed/"]
    for path in paths:
        assert client.get(path)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        for path in paths:
            assert client.get(path)["X-Page-Cache"] == "hit"
    reply = services.post_reply(bob, topic, body="Cold water, always.")
    assert "Cold water, always." in client.get(topic.get_absolute_url()).content.decode()
    services.post_like(alice, reply)
    assert "1 like" in client.get(topic.get_absolute_url()).content.decode()
    services.post_set_hidden(moderator, reply, True)
    assert "Cold water, always." not in client.get(topic.get_absolute_url()).content.decode()
    services.topic_set_flag(moderator, topic, "pinned", True)
    assert "Pinned" in client.get("/forum/c/care/").content.decode()
    alice.display_name = "Alicia"
    alice.save()  # a member's new name shows on their posts at once
    assert "Alicia" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(bob)  # members are never served the cached pages
    assert "X-Page-Cache" not in client.get(topic.get_absolute_url())


def test_home_page_shows_the_latest_topics_a_visitor_may_see(client, topic, members_category, alice):
    services.topic_create(alice, members_category, title="Lounge only", body="Members")
    html = client.get("/").content.decode()
    assert f'href="{topic.get_absolute_url()}"' in html and "Lounge only" not in html


def test_topic_pages_have_canonical_urls_and_share_cards(client, topic, bob):
    for n in range(25):
        services.post_reply(bob, topic, body=f"Reply {n}")
    html = client.get(topic.get_absolute_url() + "?page=2&utm_source=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver{topic.get_absolute_url()}?page=2">' in html
    assert '<meta property="og:title" content="How do I wash linen?">' in html
    assert '<meta property="og:description" content="Cold or warm water?">' not in html  # page 2 has no opening post
    first = client.get(topic.get_absolute_url()).content.decode()
    assert '<meta property="og:description" content="Cold or warm water?">' in first
