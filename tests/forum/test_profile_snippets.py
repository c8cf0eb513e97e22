"""A member's profile lists their replies with a snippet of their own words: plain text, without
Markdown syntax and without what they quoted of others (issue 17, item 5)."""

import pytest
from django.urls import reverse

from community.forum import services
from community.forum.markup import plain_words

pytestmark = pytest.mark.django_db

QUOTE = "@bob:\n> Following, the moths ate my **linen** shirt\n\n"

PLAIN_WORDS = [
    # (Markdown, plain text of the member's own words)
    ("Just *plain* words.", "Just plain words."),
    (QUOTE + "Cedar balls work for me.", "Cedar balls work for me."),
    ("> A quote with no introduction\n\nMy answer.", "My answer."),
    ("> > nested\n> outer\n\nMine", "Mine"),
    ("@bob: I think so, and **really** so.", "@bob: I think so, and really so."),
    ("# Heading\n\n- one\n- two\n\n1. three", "Heading one two three"),
    ("See [the care guide](https://example.com/care) and `wool wash`.", "See the care guide and wool wash."),
    ("Line one\nline two ~~struck~~", "Line one line two struck"),
    ("```\ncode = 1\n```\nAfter the code", "After the code"),
    ("![a photo](/media/forum/x.jpg) Nice", "Nice"),
    ("Fish &amp; chips <b>bold</b>", "Fish & chips <b>bold</b>"),
    ("Ελληνικά **κείμενο** και _νορβηγικά_ æøå", "Ελληνικά κείμενο και νορβηγικά æøå"),
    (QUOTE, ""),
    ("", ""),
]


@pytest.mark.parametrize(("markdown", "expected"), PLAIN_WORDS)
def test_plain_words(markdown, expected):
    assert plain_words(markdown) == expected


def test_profile_reply_snippets_are_the_members_own_words(client, topic, alice, bob):
    services.post_reply(bob, topic, body="Following, the moths ate my linen shirt.")
    services.post_reply(alice, topic, body=QUOTE + "Cedar balls **work** for me.")
    services.post_reply(alice, topic, body="> only a quote of someone else")
    html = client.get(reverse("members:profile", args=[alice.username])).content.decode()
    assert "Cedar balls work for me." in html
    assert "Following" not in html and "&gt;" not in html and "**" not in html
    # a reply that only quotes still links to its topic, with no empty snippet
    assert "· </span>" not in html
