"""Blog posts get share buttons and a "Discuss in the forum" link (issue 17, item 19): plain share
links, no third-party script; the link opens the post's topic, or lets a member start it (one topic
a post, however many start it at once)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from community.forum.models import Category, Topic
from content.models import BlogDiscussion
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog_category(db):
    return Category.objects.create(name="From the blog", slug="from-the-blog", description="Posts of the blog.")


@pytest.fixture
def old_member(db):
    member = MemberFactory(username="selma")
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


def test_a_post_has_share_links_and_no_third_party_script(client, make_post):
    post = make_post(title="Linen & <salt> water")
    html = client.get(post.url).content.decode()
    share = re.search(r'<section class="post-share".*?</section>', html, re.S).group(0)
    hrefs = dict(re.findall(r'<a class="button button--ghost button--small" href="([^"]+)"[^>]*>([^<]+)<', share))
    by_label = {label: href for href, label in hrefs.items()}
    assert set(by_label) == {"E-mail", "WhatsApp", "X", "Facebook", "LinkedIn", "Telegram"}
    url = f"http://testserver{post.url}"
    facebook = urlsplit(by_label["Facebook"].replace("&amp;", "&"))
    assert facebook.netloc == "www.facebook.com" and parse_qs(facebook.query)["u"] == [url]
    x = parse_qs(urlsplit(by_label["X"].replace("&amp;", "&")).query)
    assert x["text"] == ["Linen & <salt> water"] and x["url"] == [url]
    assert "<salt>" not in share  # the title is escaped in attributes too
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert f'href="{reverse("blog_discuss", args=[post.pk])}"' in share


def test_a_visitor_is_asked_to_log_in_and_a_member_starts_the_topic(client, make_post, blog_category, old_member):
    post = make_post(title="Mending a linen collar")
    url = reverse("blog_discuss", args=[post.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(old_member)
    page = client.get(url)
    assert page.status_code == 200 and b"Start the discussion" in page.content
    assert not Topic.objects.exists()  # no GET writes
    response = client.post(url, {"body": ""})
    assert response.status_code == 400
    response = client.post(url, {"body": "Has anyone tried the ladder stitch on the collar?"})
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.title == "Mending a linen collar" and topic.category == blog_category
    opening = topic.posts.get(number=1).body
    assert f"http://testserver{post.url}" in opening or post.url in opening
    assert BlogDiscussion.objects.get().topic == topic


def test_everyone_after_the_first_is_taken_to_the_same_topic(client, make_post, blog_category, old_member):
    post = make_post()
    url = reverse("blog_discuss", args=[post.pk])
    client.force_login(old_member)
    client.post(url, {"body": "First!"})
    topic = Topic.objects.get()
    client.force_login(MemberFactory())
    assert client.get(url)["Location"] == topic.get_absolute_url()
    assert client.post(url, {"body": "Me too"})["Location"] == topic.get_absolute_url()
    client.logout()
    assert client.get(url)["Location"] == topic.get_absolute_url()
    assert Topic.objects.count() == 1


def test_a_lost_race_rolls_back_its_topic_and_returns_the_winners(make_post, blog_category, old_member):
    from content.blog.services import blog_discussion_start

    post = make_post()
    winner, started = blog_discussion_start(old_member, post, blog_category, body="One")
    assert started
    other = MemberFactory()
    other.date_joined = other.date_joined.replace(year=2020)
    other.save(update_fields=["date_joined"])
    again, started = blog_discussion_start(other, post, blog_category, body="Two")
    assert (again, started) == (winner, False)
    assert Topic.objects.count() == 1


def test_no_category_means_no_discussion_and_unknown_posts_are_404(client, make_post, settings, old_member):
    post = make_post()
    client.force_login(old_member)
    assert client.get(reverse("blog_discuss", args=[post.pk])).status_code == 404  # no such category yet
    assert client.get(reverse("blog_discuss", args=[999999])).status_code == 404
    settings.BLOG_DISCUSSION_CATEGORY = ""
    assert b"Discuss in the forum" not in client.get(post.url).content
