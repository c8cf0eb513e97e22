"""Search results say what each hit is and can be filtered by kind (issue 17, item 18); a new kind
is one registration in core.search; the two search landmarks on /search/ have distinct names."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

from community.forum import services as forum
from community.forum.models import Category
from core.search import SearchHit, SearchType, search_type_register, search_types
from shop.models import Product
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linen_everywhere(make_post, home):
    make_post(title="Linen through the seasons")
    home.add_child(instance=Page(title="Linen care guide", slug="linen-care"))
    Product.objects.create(sku="LIN-1", name="Linen shirt", slug="linen-shirt", price="90.00", active=True,
                           description="Sand linen")
    category = Category.objects.create(name="Care", slug="care")
    forum.topic_create(MemberFactory(), category, title="Washing linen", body="Cold water for linen?")


def kinds(html):
    return re.findall(r'<p class="result__kind result__kind--(\w+)">([^<]+)</p>', html)


def test_each_hit_says_what_it_is(client, linen_everywhere):
    html = client.get(reverse("search") + "?q=linen").content.decode()
    found = dict(kinds(html))
    assert found == {"blog": "Blog post", "page": "Page", "product": "Product", "topic": "Forum topic", "post": "Forum post"}


def test_results_filter_by_kind_and_the_filter_survives_a_new_search(client, linen_everywhere):
    html = client.get(reverse("search") + "?q=linen&type=product").content.decode()
    assert kinds(html) == [("product", "Product")]
    nav = re.search(r'<nav class="search-filters" aria-label="Show only">(.*?)</nav>', html, re.S).group(1)
    assert 'aria-current="page">Products</a>' in nav and "?q=linen&amp;type=blog" in nav
    assert '<input type="hidden" name="type" value="product">' in html
    assert kinds(client.get(reverse("search") + "?q=linen&type=blog").content.decode()) == [("blog", "Blog post")]
    assert len(kinds(client.get(reverse("search") + "?q=linen&type=nonsense").content.decode())) == 5  # ignored


def test_the_two_search_landmarks_have_distinct_names(client):
    html = client.get(reverse("search") + "?q=x").content.decode()
    labels = re.findall(r'<form[^>]*role="search"[^>]*aria-label="([^"]+)"', html)
    assert sorted(labels) == ["Search again", "Site search"]


def test_a_new_kind_is_one_registration(client, linen_everywhere):
    def hits(terms, request, limit):
        return [SearchHit("test-kind", f"Photo of {terms}", "/posts/1/")]

    search_type_register(SearchType("test-kind", "Test photos", "Test photo", hits, order=99))
    try:
        html = client.get(reverse("search") + "?q=linen&type=test-kind").content.decode()
        assert kinds(html) == [] and "Photo of <mark>linen</mark>" in html and "Test photo" in html  # code with a dash
        assert "Test photos</a>" in html
    finally:
        from core import search

        search._TYPES.pop("test-kind")
    assert "test-kind" not in [t.code for t in search_types()]
