"""The shop can be reached from every page: the main navigation, the footer, the home page's
"From the shop" strip, and breadcrumbs (with their JSON-LD) on product pages. Breadcrumbs start
where their page's heading starts (issue 17, items 3 and 9)."""

import json
import re

import pytest
from django.urls import reverse

from tests.content.blog_fixtures import make_check_blog
from tests.content.page_fixtures import image, make_check_pages
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def json_ld(html):
    return [json.loads(s) for s in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def nav(html, label):
    match = re.search(rf'<nav[^>]*aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    assert match, f"no <nav> labelled {label}"
    return match.group(1)


def breadcrumbs_nav(html):
    match = re.search(r'<nav class="(breadcrumbs[^"]*)" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert match, "no breadcrumbs"
    return match.group(1), re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', match.group(2))


def test_shop_is_in_the_main_navigation_and_the_footer_of_every_page(client):
    product = ProductFactory(name="Linen shirt", slug="linen-shirt")
    products = reverse("shop:product_list")
    for url in ("/", reverse("forum:index"), products, product.get_absolute_url(), reverse("account_login")):
        html = client.get(url).content.decode()
        for label in ("Main", "Site"):
            links = nav(html, label)
            assert re.search(rf'<a href="{products}"[^>]*>Shop</a>', links), (url, label)
            assert f'href="{reverse("forum:index")}"' in links
            # the shop's link says where the visitor is on the shop's pages, and only there
            current = f'<a href="{products}" aria-current="page">' in links
            assert current == url.startswith(products), (url, label)


def test_home_shows_a_few_active_products_and_links_to_the_shop(client):
    for n in range(6):
        ProductFactory(name=f"Wool sock {n}", slug=f"wool-sock-{n}", image=image(f"Sock {n}"))
    ProductFactory(name="Retired coat", slug="retired-coat", active=False)
    html = client.get("/").content.decode()
    strip = re.search(r'<section class="home-section shop-strip".*?</section>', html, re.S).group(0)
    assert "From the shop" in strip and f'href="{reverse("shop:product_list")}"' in strip
    shown = re.findall(r">(Wool sock \d|Retired coat)</a>", strip)
    assert shown == ["Wool sock 5", "Wool sock 4", "Wool sock 3", "Wool sock 2"]  # newest four, active only
    assert strip.count("<img") == 4 and 'loading="lazy"' in strip


def test_home_without_active_products_has_no_shop_strip(client):
    ProductFactory(active=False)
    assert "From the shop" not in client.get("/").content.decode()


def test_home_shop_strip_query_count_does_not_grow(client, assert_queries):
    make_check_blog()
    ProductFactory(image=image("First"))
    client.get("/")  # warm the menu cache and make the renditions

    def more_products():
        for n in range(3):
            ProductFactory(image=image(f"More {n}"))
        client.get("/")  # a product change moves the content version, and new images get renditions

    # as test_home_page_shows_the_three_newest_posts: the strip is a kept part of the page
    assert_queries(3, lambda: client.get("/"), grow=more_products, keep_cache=True)


def test_product_page_has_breadcrumbs_and_their_json_ld(client, assert_queries):
    product = ProductFactory(name="Ull sokker – ø", slug="ull-sokker-ø")
    url = product.get_absolute_url()
    client.get(url)
    # + the review aggregate, the gallery, bought together, the lookbooks (with the view restrictions)
    # and the forum topics that show it
    html = assert_queries(7, lambda: client.get(url), keep_cache=True).content.decode()
    css_class, links = breadcrumbs_nav(html)
    assert css_class == "breadcrumbs"  # the product's heading starts at the container's edge, so do they
    assert links == [("/", "Home"), (reverse("shop:product_list"), "Products"), (url, "Ull sokker – ø")]
    assert f'<a href="{url}" aria-current="page">' in html
    (trail,) = [data for data in json_ld(html) if data["@type"] == "BreadcrumbList"]
    assert [(item["position"], item["name"], item["item"]) for item in trail["itemListElement"]] == [
        (1, "Home", "http://testserver/"),
        (2, "Products", "http://testserver/products/"),
        (3, "Ull sokker – ø", "http://testserver" + url),
    ]


def test_breadcrumbs_are_centred_only_over_a_centred_heading(client, home):
    make_check_pages()
    # A post's header sits in the centred reading column: so do its breadcrumbs. The lookbook index
    # heading starts at the left edge: its breadcrumbs too (no more trail ~250 px to its right).
    lookbook = client.get("/lookbooks/summer-linen/").content.decode()
    assert breadcrumbs_nav(lookbook)[0] == "breadcrumbs breadcrumbs--centred" and 'class="post__header"' in lookbook
    index = client.get("/lookbooks/").content.decode()
    assert breadcrumbs_nav(index)[0] == "breadcrumbs" and 'class="blog__header"' in index


def test_breadcrumb_css_centres_only_the_modifier():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    rules = {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    centring = [sel for sel, body in rules.items() if "margin-inline: auto" in body and "breadcrumbs" in sel]
    assert centring and all(".breadcrumbs--centred" in sel and not re.search(r"\.breadcrumbs(?![-\w])", sel)
                            for sel in centring)
