"""The page a path leads to is kept in the cache (website.views.serve_page) under the pages' versions:
Wagtail's walk down the tree is skipped, never what a change to the tree or to a page's privacy does."""

import pytest
from wagtail.models import Page, PageViewRestriction

from content.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    home = HomePage.objects.get()
    page = home.add_child(instance=Page(title="Our workshop", slug="workshop"))
    page.save_revision().publish()
    return page


def test_a_kept_route_serves_the_page_with_one_query_less_per_level(client, story, django_assert_max_num_queries):
    assert client.get("/workshop/").status_code == 200
    with django_assert_max_num_queries(3):  # the alias check and the restrictions: no site, locale or tree walk
        assert client.get("/workshop/").status_code == 200


def test_a_page_taken_down_or_renamed_is_not_served_from_a_kept_route(client, story):
    assert client.get("/workshop/").status_code == 200
    story.slug = "atelier"
    story.save_revision().publish()
    assert client.get("/workshop/").status_code == 404
    assert client.get("/atelier/").status_code == 200
    Page.objects.get(pk=story.pk).unpublish()
    assert client.get("/atelier/").status_code == 404


def test_an_edit_is_served_at_once(client, story):
    assert "Our workshop" in client.get("/workshop/").content.decode()
    story.title = "Inside the workshop"
    story.save_revision().publish()
    assert "Inside the workshop" in client.get("/workshop/").content.decode()


def test_privacy_is_checked_on_every_request(client, story):
    assert client.get("/workshop/").status_code == 200
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.PASSWORD, password="linen")
    response = client.get("/workshop/")
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert "Our workshop</h1>" not in response.content.decode()


def test_only_a_plain_page_is_kept_not_a_route_inside_a_page(client, story):
    from django.core.cache import cache
    from django.test import RequestFactory

    from tests.content.blog_fixtures import make_check_blog
    from website.views import _route_key

    make_check_blog()
    for path in ("/workshop/", "/blog/", "/blog/feed/"):
        assert client.get(path).status_code == 200

    def kept(path):
        return cache.get(_route_key(RequestFactory().get(path), path.strip("/") + "/")) is not None

    assert kept("/workshop/")
    assert not kept("/blog/") and not kept("/blog/feed/")  # the blog index's own routes (RoutablePageMixin)
