import json
import re

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def json_ld_blocks(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def meta(html, prop):
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_home_has_canonical_open_graph_and_organization(client):
    html = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert meta(html, "og:title") == "Welcome to the community"
    assert meta(html, "og:image") == "http://testserver/static/img/og-default.png"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "og:locale") == "en"
    [organization] = json_ld_blocks(html)
    assert organization["@type"] == "Organization" and organization["url"] == "http://testserver/"


def test_greek_pages_say_so(client):
    html = client.get("/el/").content.decode()
    assert meta(html, "og:locale") == "el"
    assert '<link rel="canonical" href="http://testserver/el/">' in html


def test_product_page_shares_its_own_picture(client):
    from django.core.files.base import ContentFile
    from wagtail.images import get_image_model

    from tests.pagecheck import png_bytes

    image = get_image_model().objects.create(title="Coat", file=ContentFile(png_bytes((400, 300)), name="coat.png"))
    ProductFactory(slug="coat", name="Coat <Fjord>", description="Dry in Bergen.", image=image)
    html = client.get("/products/coat/").content.decode()
    assert meta(html, "og:title") == "Coat &lt;Fjord&gt;"
    assert meta(html, "og:type") == "product"
    assert re.match(r"http://testserver/media/images/coat\.[0-9a-f]+\.fill-1200x630\.format-jpeg\.jpg", meta(html, "og:image"))
    assert '<link rel="canonical" href="http://testserver/products/coat/">' in html


def test_canonical_keeps_the_page_number_but_no_other_query(client):
    ProductFactory.create_batch(30)
    page_two = client.get("/products/?page=2&utm=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/products/?page=2">' in page_two
    assert '<link rel="canonical" href="http://testserver/products/">' in client.get("/products/?page=1").content.decode()


def test_json_ld_cannot_be_closed_by_page_text(rf):
    from core.jsonld import json_ld

    html = str(json_ld({"name": "</script><script>alert(1)</script>"}))
    assert html.count("</script>") == 1
    assert json.loads(re.search(r">(.*)</script>", html).group(1))["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_pages_and_active_products(client):
    ProductFactory(slug="coat")
    ProductFactory(slug="retired", active=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert "<loc>http://localhost/</loc>" in body  # pages carry their Wagtail site's host
    assert "/products/coat/</loc>" in body and "retired" not in body


def test_sitemap_query_count_does_not_grow_with_products(client, assert_queries):
    ProductFactory.create_batch(2)
    client.get("/sitemap.xml")  # warm Wagtail's site root paths
    # site, view restrictions, pages (count, types, rows), products (count, rows), forum topics (count;
    # their rows only when there are some, pinned in tests/forum/test_seo_feeds_search.py), photo
    # posts and hashtags (a count each; their rows only when there are some)
    assert_queries(10, lambda: client.get("/sitemap.xml"), grow=lambda: ProductFactory.create_batch(20), keep_cache=True)
