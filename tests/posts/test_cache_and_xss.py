"""Scoped page cache (a new post moves the wall's and its hashtags' scopes only) and the anonymous
page cache of the photo pages; XSS payloads in captions, alt text and hashtags render
harmless in pages and JSON-LD."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from community.posts import services
from community.posts.cache import WALL_SCOPE, post_scope, tag_scope
from core.versions import versions_get

from .conftest import make_post, processed

pytestmark = pytest.mark.django_db


def test_a_new_post_moves_the_wall_and_its_hashtags_only(alice, django_capture_on_commit_callbacks):
    old = make_post(alice, caption="#winter")
    keys = [WALL_SCOPE, tag_scope("summer"), tag_scope("winter"), post_scope(old.pk),
            "forum:version", "content:version"]
    before = versions_get(keys)
    with django_capture_on_commit_callbacks(execute=True):
        make_post(alice, caption="#Summer")
    after = versions_get(keys)
    moved = {key for key in keys if after[key] != before[key]}
    assert moved == {WALL_SCOPE, tag_scope("summer")}


def test_anonymous_pages_are_cached_and_a_new_post_shows(client, alice, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 60
    winter = make_post(alice, caption="#winter")
    wall, tag, other = reverse("posts:wall"), reverse("posts:tag", args=["winter"]), winter.get_absolute_url()
    for url in (wall, tag, other):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        new = make_post(alice, caption="#summer")
    response = client.get(wall)
    assert response["X-Page-Cache"] == "miss" and new.get_absolute_url() in response.content.decode()
    assert client.get(tag)["X-Page-Cache"] == "hit"  # another hashtag stays cached
    assert client.get(other)["X-Page-Cache"] == "hit"  # and so does another post
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(alice, winter, caption="now #summer")
    assert client.get(other)["X-Page-Cache"] == "miss"
    assert client.get(tag)["X-Page-Cache"] == "miss"


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the text of its scripts."""

    def __init__(self):
        super().__init__()
        self.found, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))
        # JSON-LD is data (checked below: it parses, and no "<" in it can end the element)
        self._in_script = tag == "script" and ("type", "application/ld+json") not in attrs

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_xss_in_caption_alt_and_hashtags_renders_harmless(client, alice):
    post = services.post_create(alice, caption=f"{PAYLOAD} #tag</script><script>alert(3)</script> #x\"onmouseover=1",
                                photos=[(processed(), PAYLOAD)])
    for url in (post.get_absolute_url(), reverse("posts:wall"), reverse("posts:tag", args=["tag"]),
                reverse("members:profile", args=[alice.username])):
        html = client.get(url).content.decode()
        elements = Elements()
        elements.feed(html)
        assert not [attrs for _tag, attrs in elements.found if any(name.startswith("on") for name, _v in attrs)], url
        assert not [tag for tag, attrs in elements.found if tag == "img" and ("src", "x") in attrs], url
        assert "alert" not in "".join(elements.scripts), url
    html = client.get(post.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    data = json.loads(block)
    assert data["@type"] == "SocialMediaPosting" and data["image"][0]["@type"] == "ImageObject"
    assert data["image"][0]["description"] == PAYLOAD
    assert "tag" in data["keywords"]
