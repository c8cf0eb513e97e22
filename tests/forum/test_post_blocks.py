"""Each post's block on a topic page is rendered once per change and then read from the cache: a
page of 20 posts renders the post template 20 times on its first view and not at all on the next,
with the same queries. An edit, a moderator's hide, a like and an author's rename each show at once
(they change what the block's key is made of); the age of a post and the viewer's CSRF token are
put in on every view."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from community.forum.services import post_edit, post_like, post_set_hidden
from community.forum.templatetags.forum_tags import CSRF_MARK, WHEN_MARK
from tests.factories import MemberFactory

from .conftest import make_replies

pytestmark = pytest.mark.django_db

POST_TEMPLATE = "forum/includes/post.html"


def post_renders(response):
    return sum(1 for t in response.templates if t.name == POST_TEMPLATE)


@pytest.fixture
def full_page(topic, alice, bob):
    make_replies(topic, [alice, bob], 19)  # 20 posts: one page
    return topic


def test_a_page_of_posts_is_rendered_once(client, full_page, django_assert_num_queries):
    url = full_page.get_absolute_url()
    first = client.get(url)
    assert post_renders(first) == 20
    second = client.get(url)
    assert post_renders(second) == 0
    assert second.content.count(b'<article class="forum-post') == 20
    for marker in (WHEN_MARK, CSRF_MARK):
        assert marker.encode() not in second.content
    # A kept block is the block as rendered: the pages differ at most in the posts' ages.
    def ageless(response):
        return re.sub(r">[^<]*</time>", "></time>", response.content.decode())

    assert ageless(first) == ageless(second)


def test_an_edit_renders_that_post_again(client, full_page, alice):
    url = full_page.get_absolute_url()
    client.get(url)
    post = full_page.posts.get(number=3)
    post_edit(post.author, post, body="Now with **new** words.")
    response = client.get(url)
    assert post_renders(response) == 1
    assert b"<strong>new</strong> words" in response.content


def test_a_moderator_hide_shows_for_moderators_and_hides_for_others(client, full_page, moderator):
    url = full_page.get_absolute_url()
    post = full_page.posts.get(number=4)
    client.get(url)
    client.force_login(moderator)
    client.get(url)
    post_set_hidden(moderator, post, True, reason="spam")
    html = client.get(url).content.decode()
    block = re.search(r'<article[^>]*id="post-4".*?</article>', html, re.S).group(0)
    assert "Hidden by a moderator" in block
    client.logout()
    html = client.get(url).content.decode()
    assert 'id="post-4"' not in html and 'id="post-5"' in html


def test_an_author_rename_shows_on_every_post(client, full_page, bob):
    url = full_page.get_absolute_url()
    client.get(url)
    bob.display_name = "Bobby Ørsted"
    bob.save()
    response = client.get(url)
    html = response.content.decode()
    bobs = full_page.posts.filter(author=bob).count()
    assert html.count("Bobby Ørsted") >= bobs and ">Bob<" not in html
    assert post_renders(response) == bobs  # bob's posts only


def test_a_like_changes_the_count_and_the_likers_button(client, full_page, bob):
    url = full_page.get_absolute_url()
    reader = MemberFactory()
    client.force_login(reader)
    client.get(url)
    post_like(reader, full_page.posts.get(number=2))
    html = client.get(url).content.decode()
    block = re.search(r'<article[^>]*id="post-2".*?</article>', html, re.S).group(0)
    assert 'aria-pressed="true"' in block and "Liked · 1" in block


def test_each_viewer_gets_their_own_csrf_token_in_a_shared_block(full_page):
    url = full_page.get_absolute_url()
    tokens = []
    for _ in range(2):
        viewer = Client(enforce_csrf_checks=True)
        viewer.force_login(MemberFactory())
        html = viewer.get(url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"[^>]*>\s*<input type="hidden" name="action" '
                          r'value="like"', html).group(1)
        tokens.append(token)
        post = full_page.posts.get(number=2)
        answer = viewer.post(reverse("forum:post_like", args=[post.pk]), {"action": "like", "csrfmiddlewaretoken": token})
        assert answer.status_code in (200, 302)
    assert tokens[0] != tokens[1]
    assert full_page.posts.get(number=2).like_count == 2


def test_the_age_is_put_in_on_each_view(client, full_page):
    from django.contrib.humanize.templatetags.humanize import naturaltime

    url = full_page.get_absolute_url()
    client.get(url)
    html = client.get(url).content.decode()
    first = full_page.posts.get(number=1)
    assert f">{naturaltime(first.created_at)}</time>" in html
