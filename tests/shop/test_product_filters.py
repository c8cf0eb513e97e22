"""The product list (issue 17, item 15, the list's part): filters by category (product type) and
price, sorting, two columns on phones; bad values are ignored, never an error page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(db):
    return [
        ProductFactory(name="Linen shirt", price=Decimal("89.00"), product_type="Shirts"),
        ProductFactory(name="Wool jumper", price=Decimal("129.00"), product_type="Knitwear"),
        ProductFactory(name="Ανδρικό πουκάμισο", price=Decimal("59.00"), product_type="Shirts"),
        ProductFactory(name="Hidden", price=Decimal("10.00"), product_type="Shirts", active=False),
    ]


def names(client, query=""):
    html = client.get(reverse("shop:product_list") + query).content.decode()
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


def test_filters_and_sorts(client, products):
    assert names(client) == ["Linen shirt", "Wool jumper", "Ανδρικό πουκάμισο"]
    assert names(client, "?type=Shirts") == ["Linen shirt", "Ανδρικό πουκάμισο"]
    assert names(client, "?price_min=60&price_max=100") == ["Linen shirt"]
    assert names(client, "?sort=price") == ["Ανδρικό πουκάμισο", "Linen shirt", "Wool jumper"]
    assert names(client, "?sort=-price&type=Shirts") == ["Linen shirt", "Ανδρικό πουκάμισο"]


@pytest.mark.parametrize("query", ["?type=Nope", "?price_min=abc", "?price_max=-5", "?sort=bogus", "?type=%3Cscript%3E",
                                   "?price_min=1e999"])
def test_bad_values_are_ignored(client, products, query):
    response = client.get(reverse("shop:product_list") + query)
    assert response.status_code == 200


def test_the_filter_form_is_labelled_and_offers_the_types(client, products):
    html = client.get(reverse("shop:product_list")).content.decode()
    form = re.search(r'<form class="product-filters".*?</form>', html, re.S).group(0)
    for field in ("type", "price_min", "price_max", "sort"):
        assert f'<label for="id_{field}">' in form
    assert re.findall(r'<option value="([^"]*)"', form)[:3] == ["", "Knitwear", "Shirts"]


def test_the_lists_query_count_does_not_grow(client, products, assert_queries):
    assert_queries(9, lambda: client.get(reverse("shop:product_list") + "?type=Shirts&sort=price"),
                   grow=lambda: [ProductFactory(product_type="Shirts") for _ in range(10)])
