"""A blog post's page is kept in parts ({% fragment %}): the article under the post's own scope, what
shows other pages (breadcrumbs, neighbours, related posts, the head's feeds and JSON-LD) under the
pages' scope. Every change a reader could see still shows at once; a publish elsewhere leaves the
article kept."""

import pytest

from content.models import Author, BlogPage, BlogPageAuthor

pytestmark = pytest.mark.django_db


def html(client, url):
    return client.get(url).content.decode()


def test_an_edit_of_the_post_shows_at_once(client, make_post, author):
    post = make_post(title="Linen in the rain", authors=[author], tags=["linen"])
    assert "Linen in the rain" in html(client, post.url)
    post.title = "Linen in the Bergen rain"
    post.intro = "A new summary."
    post.tags.add("wool")
    post.save_revision().publish()
    page = html(client, post.url)
    assert "Linen in the Bergen rain" in page and "A new summary." in page and "#wool" in page


def test_a_renamed_author_and_a_new_author_show_at_once(client, make_post, author):
    post = make_post(authors=[author])
    assert "Ελένη Παπαδοπούλου" in html(client, post.url)
    author.name = "Eleni Papadopoulou"
    author.save()  # a snippet: the content version moves
    assert "Eleni Papadopoulou" in html(client, post.url)
    BlogPageAuthor.objects.create(page=post, author=Author.objects.create(name="Jonas Berg"), sort_order=2)
    assert "Jonas Berg" in html(client, post.url)  # a row saved with the page moves the page's own scope


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = html(client, url)
    return page, len(captured.captured_queries)


def test_a_post_published_elsewhere_shows_as_a_neighbour_but_leaves_the_article_kept(client, make_post, author, settings):
    first = make_post(title="First notes", authors=[author], tags=["linen"], body_image=True)
    make_post(title="Second notes", tags=["linen"], hero=False)
    settings.FRAGMENT_CACHE_SECONDS = 0
    html(client, first.url)
    _page, every_part_made = queries(client, first.url)
    settings.FRAGMENT_CACHE_SECONDS = 3600
    html(client, first.url)
    _page, all_kept = queries(client, first.url)
    third = make_post(title="Third notes", tags=["linen"], hero=False)
    page, after_publish = queries(client, first.url)
    assert "Third notes" in page  # among the related posts
    assert 'rel="next"' in page and "Second notes" in page
    # the article (its hero, body images, tags, categories) was not made again
    assert all_kept < after_publish < every_part_made
    assert BlogPage.objects.get(pk=third.pk).live


def test_an_unpublished_neighbour_goes_away(client, make_post):
    first = make_post(title="First notes")
    second = make_post(title="Second notes")
    assert "Second notes" in html(client, first.url)
    second.unpublish()
    assert "Second notes" not in html(client, first.url)
