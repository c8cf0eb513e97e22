"""A visitor who opens a shared link to a members-only category, or to a topic in one, is asked to
log in or join and is then taken there; nothing private is named on the way (issue 17, item 6).

The answer keeps the 404 status (crawlers and scripts see the page as absent, as before) with a
sign-in prompt for people. Anything a member could not see either stays the plain "not found"."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community.forum import services
from community.forum.models import Topic
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

TITLE = "Samples of the new jacket"
BODY = "Look at the lining"


@pytest.fixture
def secret(members_category, alice):
    return services.topic_create(alice, members_category, title=TITLE, body=BODY)


def prompt_links(response):
    html = response.content.decode()
    return [unescape(href) for href in re.findall(r'href="(/accounts/(?:login|signup)/\?next=[^"]*)"', html)]


def assert_prompt(response, path):
    html = response.content.decode()
    assert response.status_code == 404
    assert "This part of the forum is for members" in html and "We can’t find that page" not in html
    assert TITLE not in html and BODY not in html and "Members&#x27; lounge" not in html and "Members' lounge" not in html
    assert prompt_links(response) == [f"{reverse('account_login')}?next={quote(path, safe='/')}",
                                      f"{reverse('account_signup')}?next={quote(path, safe='/')}"]
    assert '<meta name="robots" content="noindex">' in html


def test_visitor_gets_the_prompt_for_a_members_category_and_its_topics(client, secret):
    paths = [
        reverse("forum:category", args=["lounge"]),
        reverse("forum:category", args=["lounge"]) + "?page=2",
        secret.get_absolute_url(),
        reverse("forum:post", args=[secret.slug, secret.pk, 1]),
        reverse("forum:topic_unread", args=[secret.pk]),
    ]
    for path in paths:
        assert_prompt(client.get(path), path)


def test_a_wrong_slug_in_the_link_is_not_corrected_for_a_visitor(client, secret):
    """The canonical address carries the title's slug: a visitor never gets redirected to it."""
    path = reverse("forum:topic", args=["x", secret.pk])
    response = client.get(path)
    assert_prompt(response, path)
    assert secret.slug not in response.content.decode()


@pytest.mark.parametrize("change", [{"hidden": True}, {"approved": False}, "deleted"])
def test_what_a_member_could_not_see_either_stays_not_found(client, secret, change):
    if change == "deleted":
        Topic.objects.filter(pk=secret.pk).update(deleted_at=timezone.now())
    else:
        Topic.objects.filter(pk=secret.pk).update(**change)
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 404 and "We can’t find that page" in response.content.decode()


def test_missing_things_and_public_pages_are_unchanged(client, topic):
    assert "We can’t find that page" in client.get(reverse("forum:category", args=["nowhere"])).content.decode()
    assert "We can’t find that page" in client.get(reverse("forum:topic", args=["x", 999999])).content.decode()
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_signed_in_member_without_access_still_gets_not_found(client, secret, alice):
    Topic.objects.filter(pk=secret.pk).update(hidden=True)
    client.force_login(MemberFactory(username="carol"))
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html and "for members" not in html


def test_logging_in_from_the_prompt_opens_the_topic(client, secret):
    MemberFactory(username="dora", email="dora@example.com")
    path = secret.get_absolute_url()
    login = next(link for link in prompt_links(client.get(path)) if link.startswith(reverse("account_login")))
    response = client.post(login, {"login": "dora@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == path
    assert TITLE in client.get(path).content.decode()


def test_joining_from_the_prompt_opens_the_topic_after_confirming(client, secret):
    path = secret.get_absolute_url()
    signup = next(link for link in prompt_links(client.get(path)) if link.startswith(reverse("account_signup")))
    client.post(signup, {"email": "eve@example.com", "username": "eve",
                         "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"})
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == path
