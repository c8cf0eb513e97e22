"""core.jsonld: JSON-LD that no text can break out of."""

import json
import re

import pytest

from core.jsonld import breadcrumb_list, json_ld


def _payload(html):
    return json.loads(re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', str(html), re.S).group(1))


@pytest.mark.parametrize("text", [
    "</script><script>alert(1)</script>",
    "</SCRIPT>",
    "<!-- a comment -->",
    "<script>",
    "Tom & Jerry &amp; co",
    "Ἀθηνᾶ, Ødegård, Árvíztűrő",
])
def test_text_is_escaped_and_round_trips(text):
    html = str(json_ld({"name": text}))
    inner = html[len('<script type="application/ld+json">'):-len("</script>")]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert _payload(html)["name"] == text


def test_non_ascii_stays_readable():
    assert "Ødegård" in str(json_ld({"name": "Ødegård"}))


def test_breadcrumbs_with_a_request(rf):
    request = rf.get("/", HTTP_HOST="shop.example")
    data = breadcrumb_list([("Home", "/"), ("Blog", "/blog/")], request)
    assert [item["item"] for item in data["itemListElement"]] == ["http://shop.example/", "http://shop.example/blog/"]
    assert [item["position"] for item in data["itemListElement"]] == [1, 2]


def test_breadcrumbs_without_a_request(settings):
    settings.SITE_URL = "https://community.example/"
    data = breadcrumb_list([("Home", "/")])
    assert data["itemListElement"][0]["item"] == "https://community.example/"
