"""Scoped invalidation (issue 18): a write moves the pages that show it, not the whole site."""

import pytest
from django.test import Client
from django.urls import reverse

from community.forum.models import Topic
from community.forum.services import post_like, post_reply, topic_create
from tests.content.conftest import blog, home, make_post  # noqa: F401
from tests.forum.conftest import alice, bob, category  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.HOME_COMMUNITY_SECONDS = 600


@pytest.fixture
def two_topics(category, alice):  # noqa: F811
    first = topic_create(alice, category, title="Washing linen", body="Cold or warm?")
    second = topic_create(alice, category, title="Storing wool", body="Cedar or lavender?")
    return first, second


def states(client, urls):
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


def test_a_reply_moves_its_topic_its_category_and_the_lists_only(client, two_topics, bob, make_post):  # noqa: F811
    first, second = two_topics
    post = make_post(title="Autumn notes")
    moved = [first.get_absolute_url(), reverse("forum:index"), reverse("forum:latest"),
             reverse("forum:category", kwargs={"slug": first.category.slug})]
    kept = [second.get_absolute_url(), "/", post.url]
    states(client, moved + kept)  # fill the cache
    assert set(states(client, moved + kept).values()) == {"hit"}

    post_reply(bob, first, body="Cold, always cold.")

    after = states(client, moved + kept)
    assert {url: after[url] for url in moved} == dict.fromkeys(moved, "miss")
    assert {url: after[url] for url in kept} == dict.fromkeys(kept, "hit")
    assert "Cold, always cold." in client.get(first.get_absolute_url()).content.decode()


def test_a_like_moves_only_its_topic(client, two_topics, bob):  # noqa: F811
    first, second = two_topics
    urls = [first.get_absolute_url(), second.get_absolute_url(), reverse("forum:latest")]
    states(client, urls)
    post_like(bob, first.posts.get(number=1))
    assert states(client, urls) == {urls[0]: "miss", urls[1]: "hit", urls[2]: "hit"}


def test_a_new_name_moves_the_topics_that_show_it_and_not_the_others(client, category, alice, bob):  # noqa: F811
    by_alice = topic_create(alice, category, title="Alice asks", body="A question.")
    by_bob = topic_create(bob, category, title="Bob asks", body="Another question.")
    urls = [by_alice.get_absolute_url(), by_bob.get_absolute_url()]
    states(client, urls)
    bob.display_name = "Robert"
    bob.save(update_fields=["display_name"])
    assert states(client, urls) == {urls[0]: "hit", urls[1]: "miss"}
    assert "Robert" in client.get(urls[1]).content.decode()


def test_a_members_reply_elsewhere_leaves_the_topics_they_wrote_on_cached(client, two_topics, category, bob):  # noqa: F811
    first, second = two_topics
    post_reply(bob, first, body="Cold water.")
    states(client, [first.get_absolute_url()])
    post_reply(bob, second, body="Cedar.")  # bob now watches the second topic too
    assert client.get(first.get_absolute_url())["X-Page-Cache"] == "hit"


def test_hiding_a_topic_is_seen_at_once(client, two_topics):
    first, _second = two_topics
    assert client.get(first.get_absolute_url()).status_code == 200
    first = Topic.objects.get(pk=first.pk)
    first.hidden = True
    first.save(update_fields=["hidden"])
    assert client.get(first.get_absolute_url()).status_code == 404


def test_the_home_page_lags_by_at_most_the_community_time(client, settings, two_topics, bob):  # noqa: F811
    settings.HOME_COMMUNITY_SECONDS = 0  # kept for no time at all: every visit renders it
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_reply_never_moves_a_page_for_signed_in_members_of_other_topics(two_topics, bob):  # noqa: F811
    first, second = two_topics
    member = Client()
    member.force_login(bob)
    member.get(second.get_absolute_url())  # sets the CSRF cookie the kept pages need
    member.get(second.get_absolute_url())
    post_reply(bob, first, body="Somewhere else.")
    assert "Somewhere else." not in member.get(second.get_absolute_url()).content.decode()
    assert "Somewhere else." in member.get(first.get_absolute_url()).content.decode()


def test_what_shows_on_one_product_page_moves_that_page_only(client):
    from shop.cache import product_changed
    from tests.factories import ProductFactory

    coat, scarf = ProductFactory(slug="coat"), ProductFactory(slug="scarf")
    urls = ["/products/coat/", "/products/scarf/", "/products/", "/"]
    states(client, urls)
    product_changed(coat.pk)  # e.g. a new review of the coat
    assert states(client, urls) == {urls[0]: "miss", urls[1]: "hit", urls[2]: "hit", urls[3]: "hit"}
    product_changed(scarf.pk, lists=True)  # e.g. the scarf's star average moved
    assert states(client, urls) == {urls[0]: "hit", urls[1]: "miss", urls[2]: "miss", urls[3]: "hit"}


def test_publishing_a_blog_post_leaves_forum_and_product_pages_cached(client, two_topics, make_post):  # noqa: F811
    from tests.factories import ProductFactory

    ProductFactory(slug="coat")
    first_post = make_post(title="First notes")
    elsewhere = [two_topics[0].get_absolute_url(), reverse("forum:index"), "/products/coat/", "/products/"]
    content = ["/", first_post.url]
    states(client, elsewhere + content)
    second = make_post(title="Second notes", hero=False)  # a new image would move the content version
    after = states(client, elsewhere + content)
    assert {url: after[url] for url in elsewhere} == dict.fromkeys(elsewhere, "hit")
    assert {url: after[url] for url in content} == dict.fromkeys(content, "miss")
    assert "Second notes" in client.get("/").content.decode() or client.get(second.url).status_code == 200


def test_a_page_new_in_the_menu_moves_every_page(client, two_topics, home):  # noqa: F811
    from wagtail.models import Page

    topic_url = two_topics[0].get_absolute_url()
    states(client, [topic_url])
    page = home.add_child(instance=Page(title="Our story", slug="about", show_in_menus=True))
    page.save_revision().publish()
    assert client.get(topic_url)["X-Page-Cache"] == "miss"
    assert 'href="/about/"' in client.get(topic_url).content.decode()
