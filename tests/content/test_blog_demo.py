import io

import pytest
from wagtail.images import get_image_model

from content import demo
from content.models import Author, BlogCategory, BlogIndexPage, BlogPage

pytestmark = pytest.mark.django_db


def counts():
    return (BlogIndexPage.objects.count(), BlogPage.objects.live().count(), Author.objects.count(),
            BlogCategory.objects.count(), get_image_model().objects.count())


def test_demo_blog_loads_twice_with_the_same_counts(client):
    demo.load(io.StringIO())
    first = counts()
    assert first[:4] == (1, 12, 3, 3)
    assert first[4] == 3 + 2 * 12  # portraits, and a hero and a detail picture per post
    assert BlogIndexPage.objects.get().show_in_menus
    demo.load(io.StringIO())
    assert counts() == first
    assert all(post.hero_image_id for post in BlogPage.objects.all())
    assert client.get("/blog/").status_code == 200
    assert client.get("/blog/tag/λινό/").status_code == 200
    post = BlogPage.objects.order_by("-date").first()
    assert client.get(post.url).status_code == 200
