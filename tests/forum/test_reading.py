"""Forum reading (issue 17, item 11): a long topic says so at the top, with previous / next around
the page numbers above and under the posts; every page has the reply box; tags link to a tag page;
the index and the categories show their feed links."""

import re

import pytest
from django.urls import reverse

from community.forum import services
from community.forum.models import Category
from tests.factories import MemberFactory
from tests.forum.test_queries import grow_category, grow_topic

pytestmark = pytest.mark.django_db


def navs(html):
    return re.findall(r'<nav class="pagination topic-pages[^"]*" aria-label="([^"]+)">(.*?)</nav>', html, re.S)


def test_a_long_topic_shows_its_pages_at_the_top_and_bottom_with_previous_and_next(client, topic, alice, bob):
    grow_topic(topic, [alice, bob], 64)  # 65 posts: 4 pages of 20
    url = topic.get_absolute_url()
    first = navs(client.get(url).content.decode())
    assert [label for label, _nav in first] == ["Pages of this topic", "Pages of this topic, below the posts"]
    top = first[0][1]
    assert "Page 1 of 4" in top and 'rel="prev"' not in top
    assert f'<a rel="next" href="{url}?page=2">Next</a>' in top
    assert f'href="{url}?page=4#reply-heading">Last post</a>' in top
    middle = navs(client.get(url + "?page=2").content.decode())[1][1]
    assert f'<a rel="prev" href="{url}">Previous</a>' in middle and f'<a rel="next" href="{url}?page=3">' in middle
    last = navs(client.get(url + "?page=4").content.decode())[0][1]
    assert "Page 4 of 4" in last and 'rel="next"' not in last


def test_a_short_topic_has_no_page_navigation(client, topic):
    assert navs(client.get(topic.get_absolute_url()).content.decode()) == []


def test_every_page_has_the_reply_box_and_a_reply_lands_on_the_last_page(client, topic, alice, bob):
    grow_topic(topic, [alice, bob], 30)
    client.force_login(bob)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Reply on the last page" not in html
    assert f'action="{reverse("forum:reply", args=[topic.pk])}"' in html
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "From page one"})
    assert response.status_code == 302 and response["Location"] == topic.post_url(32)  # the post, on the last page


def test_tags_link_to_a_page_of_their_topics(client, category, alice):
    tagged = services.topic_create(alice, category, title="Washing linen", body="How?", tags=["λινό", "care"])
    services.topic_create(alice, category, title="Other", body="Hm", tags=["wool"])
    lounge = Category.objects.create(name="Lounge", slug="lounge", members_only=True)
    services.topic_create(alice, lounge, title="Secret linen", body="Shh", tags=["λινό"])
    html = client.get(tagged.get_absolute_url()).content.decode()
    href = reverse("forum:tag", args=["λινό"])
    assert f'<a class="tag" href="{href}">#λινό</a>' in html
    page = client.get(href).content.decode()
    assert "Topics tagged #λινό" in page and "Washing linen" in page
    assert "Other" not in page and "Secret linen" not in page  # a visitor never sees members-only topics
    assert client.get(reverse("forum:tag", args=["ΛΙΝΌ"])).status_code == 200  # any case
    assert "No topics with this tag." in client.get(reverse("forum:tag", args=["nothing"])).content.decode()
    assert f'href="{href}"' in client.get(reverse("forum:index")).content.decode()


def test_the_tag_pages_query_count_does_not_grow(client, category, alice, assert_queries):
    grow_category(category, alice, 5)
    url = reverse("forum:tag", args=["linen"])
    # the count, the page's topics, their tags (3); the header's brand and menu on a cold cache (4)
    assert_queries(7, lambda: client.get(url), grow=lambda: grow_category(category, MemberFactory(), 40))


def test_the_index_and_categories_show_their_feed_links(client, category):
    assert f'<a href="{reverse("forum:feed")}">RSS feed of the latest topics</a>' in client.get(
        reverse("forum:index")).content.decode()
    assert reverse("forum:category_feed", args=[category.slug]) in client.get(category.get_absolute_url()).content.decode()
