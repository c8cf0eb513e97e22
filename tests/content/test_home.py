import pytest

from tests.content.blog_fixtures import make_check_blog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fragment_seconds", "expected"), [(86400, 3), (0, 14)])
def test_home_page_shows_the_three_newest_posts(client, assert_queries, settings, fragment_seconds, expected):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    make_check_blog()
    client.get("/")  # warm the menu cache and make the renditions
    # serving (the route is kept: alias check, view restrictions) and the latest forum topics; with
    # every part made afresh also the site, locale and page, the posts (restrictions, rows, authors, renditions), the featured
    # lookbook (restrictions, row), the shop strip's products (none here, so no renditions) and the
    # page's locale for its lang attribute
    response = assert_queries(expected, lambda: client.get("/"), keep_cache=True)
    body = response.content.decode()
    assert "From the blog" in body
    shown = [title for title in ("Linen story 10", "Linen story 9", "Linen story 8", "Linen story 7") if title in body]
    assert shown == ["Linen story 10", "Linen story 9", "Linen story 8"]


def test_home_page_without_a_blog_has_no_empty_section(client):
    assert "From the blog" not in client.get("/").content.decode()
