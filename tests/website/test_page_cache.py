import pytest
from django.test import Client
from wagtail.models import Page

from content.models import HomePage
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_anonymous_pages_are_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_page_shows_at_once(client):
    home = HomePage.objects.get()
    client.get("/")
    home.title = "A new season"
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "A new season" in response.content.decode()


def test_a_new_menu_page_shows_in_the_cached_pages(client):
    client.get("/")
    home = HomePage.objects.get()
    page = home.add_child(instance=Page(title="Our story", slug="about", show_in_menus=True))
    page.save_revision().publish()
    assert 'href="/about/"' in client.get("/").content.decode()


def test_changing_a_product_shows_at_once(client):
    product = ProductFactory(slug="coat", name="Coat", price="100.00")
    assert "100.00" in client.get("/products/coat/").content.decode()
    product.price = "80.00"
    product.save()
    assert "80.00" in client.get("/products/coat/").content.decode()
    assert "80.00" in client.get("/products/").content.decode()


def test_signed_in_members_never_get_or_fill_the_cache(member_client):
    anonymous = Client()
    anonymous.get("/")
    response = member_client.get("/")
    assert "X-Page-Cache" not in response
    assert member_client.member.public_name in response.content.decode()
    assert member_client.member.public_name not in anonymous.get("/").content.decode()


def test_pages_that_are_not_the_same_for_everyone_are_not_cached(client):
    for url in ("/search/?q=welcome", "/accounts/login/", "/healthz"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url


def test_the_cache_is_per_language_and_query(client):
    assert '<html lang="en"' in client.get("/").content.decode()
    assert '<html lang="el"' in client.get("/el/").content.decode()
    assert client.get("/products/?page=1")["X-Page-Cache"] == "miss"
