"""Badges beside names in the forum and reviews, and on the profile: shown, kept current in the
page cache, and cheap (the topic page's query count is the forum's own, warm; +2 cold; neither
grows with the posts or their authors)."""

import pytest
from django.utils import timezone

from community.forum.models import Post, Topic
from community.forum.services import topic_create
from engagement.play import services
from engagement.play.models import Badge
from engagement.play.rules import Rule
from tests.factories import MemberFactory, ProductFactory

from .helpers import publish_review

pytestmark = pytest.mark.django_db

TOPIC_ANON = 3  # tests/forum/test_queries.py: the topic page without badges
# Cold cache: the forum's own 7 (its 3, and the site, brand, locale and view restrictions the
# frame reads once per process cache) + 2 for badges: the authors' badge ids, the badges themselves.
TOPIC_ANON_COLD_BADGES = 7 + 2


def grow(topic, authors, count):
    start = topic.last_post_number
    now = timezone.now()
    Post.objects.bulk_create([Post(topic=topic, number=start + n, author=authors[n % len(authors)], body=f"R{n}",
                                   body_html=f"<p>R{n}</p>", created_at=now) for n in range(1, count + 1)])
    Topic.objects.filter(pk=topic.pk).update(last_post_number=start + count, reply_count=start + count - 1)


def test_topic_page_shows_badges_beside_names_without_more_queries(client, alice, category, assert_queries,
                                                                   settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the page's rows and blocks made each time: the badges read too
    topic = topic_create(alice, category, title="Linen care", body="Tips?")
    helper_badge = Badge.objects.get(rule=Rule.FIRST_REVIEW)
    authors = [alice] + [MemberFactory() for _ in range(3)]
    for member in authors:
        services.badge_award(helper_badge, member)
    grow(topic, authors, 5)
    url = topic.get_absolute_url()
    response = client.get(url)
    assert response.content.decode().count('class="name-badge"') == 6  # every post's author
    # warm: exactly what the forum's page costs without badges, and it does not grow
    more = [MemberFactory() for _ in range(5)]

    def add_rows():
        for member in more:
            services.badge_award(helper_badge, member)
        grow(Topic.objects.get(pk=topic.pk), more, 14)
        client.get(url)  # warms the new authors' badges

    assert_queries(TOPIC_ANON, lambda: client.get(url, HTTP_CACHE_CONTROL="no-cache", data={"n": 1}),
                   keep_cache=True, grow=add_rows)
    # cold (cache cleared): two more, however many authors
    assert_queries(TOPIC_ANON_COLD_BADGES, lambda: client.get(url), grow=lambda: grow(
        Topic.objects.get(pk=topic.pk), [MemberFactory() for _ in range(3)], 3))


def test_a_new_badge_shows_on_the_cached_topic_page(client, alice, category, settings,
                                                    django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    topic = topic_create(alice, category, title="Wool moths", body="Help!")
    url = topic.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Mender")
    with django_capture_on_commit_callbacks(execute=True):
        services.badge_award(badge, alice)
    page = client.get(url)
    assert "Mender" in page.content.decode()


def test_reviews_show_their_authors_badges_and_the_product_page_moves(client, alice, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish_review(alice, product)
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'class="name-badge"' in page and "First review" in page
    assert client.get(product.get_absolute_url())["X-Page-Cache"] == "hit"
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Tester")
    with django_capture_on_commit_callbacks(execute=True):
        services.badge_award(badge, alice)
    assert "Tester" in client.get(product.get_absolute_url()).content.decode()


def test_the_profile_lists_every_badge(client, alice):
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Repair café host", description="Hosted one.")
    services.badge_award(badge, alice)
    publish_review(alice)
    page = client.get(alice.get_absolute_url()).content.decode()
    assert "Repair café host" in page and "First review" in page and "Hosted one." in page


def test_a_badge_switched_off_disappears(client, alice, category, django_capture_on_commit_callbacks):
    topic = topic_create(alice, category, title="Zips", body="Broken zip")
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Zipper")
    services.badge_award(badge, alice)
    assert "Zipper" in client.get(topic.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        badge.active = False
        badge.save()
    assert "Zipper" not in client.get(topic.get_absolute_url()).content.decode()
