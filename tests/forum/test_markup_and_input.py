"""Posts render harmless whatever members type, and bad input gets a clear message or a 4xx,
never a 500, with nothing half-written."""

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from community.forum import services
from community.forum.markup import mentioned_usernames, render_markdown
from community.forum.models import Category, Post, Topic

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "![x](//evil.example/media/x.png)",
    '![x" onerror="alert(1)](/media/a.png)',
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "```\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    "[a](https://example.com)<img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "@<script>alert(1)</script>",
]

SAFE_TAGS = {"p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
             "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}


class Inspector(HTMLParser):
    """Every element and attribute the browser would see: the test fails on anything active."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on") or (name in ("style", "srcdoc", "formaction") and tag not in ("th", "td")):
                self.problems.append(f"{tag}[{name}]")
            if name == "href" and not re.match(r"^(https?:|mailto:|/|#|[\w.-]+(/|$))", value, re.IGNORECASE):
                self.problems.append(f"href={value}")
            if name == "href" and re.match(r"^\s*(javascript|vbscript|data):", value, re.IGNORECASE):
                self.problems.append(f"href={value}")
            if name == "src" and not (value.startswith("/media/") and not value.startswith("//")):
                self.problems.append(f"src={value}")


def active_content(html):
    inspector = Inspector()
    inspector.feed(html)
    return inspector.problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_render_harmless(payload):
    html = render_markdown(payload, {})
    assert active_content(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:6])
def test_payloads_in_a_real_topic_page(client, topic, bob, payload):
    services.post_reply(bob, topic, body=f"Look: {payload}")
    html = client.get(topic.get_absolute_url()).content.decode()
    body = html.split('<div class="prose post-body">')[-1].split("</div>", 1)[0]
    assert active_content(body) == [], body


def test_links_are_nofollow_ugc_and_own_images_stay():
    upload = SimpleNamespace(width=None, height=None)  # an Upload row (from pictures_for_markdown)
    html = render_markdown("[shop](https://shop.example.com) ![mine](/media/forum/a.png)", {},
                           {"/media/forum/a.png": upload})
    assert 'rel="nofollow ugc noopener"' in html and '<img src="/media/forum/a.png" alt="mine">' in html


def test_outside_images_become_links():
    html = render_markdown("![a photo](https://elsewhere.example/p.jpg)", {})
    assert "<img" not in html and '<a href="https://elsewhere.example/p.jpg" rel="nofollow ugc noopener">a photo</a>' in html


def test_mentions_link_known_members_only_and_not_in_code():
    known = {"ελένη": "/members/ελένη/"}
    html = render_markdown("Hi @Ελένη and @nobody. `@ελένη` [@ελένη](https://x.example)", known)
    assert html.count('class="mention"') == 1 and "@nobody" in html
    assert mentioned_usernames("@Ελένη, @åsne. @ab @x.y.z") == ["ελένη", "åsne", "x.y.z"]


def test_mentions_of_many_members_are_capped():
    assert len(mentioned_usernames(" ".join(f"@member{n}" for n in range(30)))) == 10


# --- bad input ----------------------------------------------------------------------------------

@pytest.fixture
def member_in(client, alice):
    client.force_login(alice)
    return client


def topic_post(client, chosen, **data):
    payload = {"category": chosen.pk, "title": "A fine title", "body": "A fine body.", "tags": ""}
    payload.update(data)
    return client.post("/forum/new/", payload)


@pytest.mark.parametrize("data, message", [
    ({"title": "      "}, "This field is required."),
    ({"title": "!!! ??? ..."}, "The title needs some letters or digits."),
    ({"title": "abc"}, "Ensure this value has at least 5 characters"),
    ({"body": ""}, "This field is required."),
    ({"body": "x" * 100_000}, "Ensure this value has at most 20000 characters"),
    ({"tags": "a, b, c, d, e, f"}, "At most 5 tags."),
    ({"tags": "x" * 31}, "A tag has at most 30 characters."),
    ({"category": 999_999}, "Choose one of the categories in the list."),
    ({"category": "not-a-number"}, "Choose one of the categories in the list."),
])
def test_bad_topics_are_refused_with_a_message(member_in, category, data, message):
    response = topic_post(member_in, category, **data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_a_good_topic_keeps_unicode_titles_and_tags(member_in, category):
    response = topic_post(member_in, category, title="Λινό: πώς το πλένετε;", tags="λινό, #Care, care")
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.slug == "λινό-πώς-το-πλένετε"
    assert sorted(t.name for t in topic.tags.all()) == ["care", "λινό"]
    assert member_in.get(topic.get_absolute_url()).status_code == 200


def test_preview_does_not_post(member_in, category):
    response = topic_post(member_in, category, body="**Bold** words", preview="1")
    assert response.status_code == 200 and "<strong>Bold</strong>" in response.content.decode()
    assert not Topic.objects.exists()
    htmx = member_in.post("/forum/preview/", {"body": "*it*"})
    assert "<em>it</em>" in htmx.content.decode()


def test_the_same_post_twice_is_refused(member_in, topic):
    assert member_in.post(f"/forum/t/{topic.pk}/reply/", {"body": "Cold water works."}).status_code == 302
    response = member_in.post(f"/forum/t/{topic.pk}/reply/", {"body": "  cold   water works. "})
    assert response.status_code == 400 and "You have just posted this" in response.content.decode()
    assert topic.posts.count() == 2


def test_new_members_have_a_link_limit(client, topic):
    from tests.factories import MemberFactory

    newcomer = MemberFactory()
    client.force_login(newcomer)
    body = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": body})
    assert response.status_code == 400 and "up to 2 links" in response.content.decode()


@pytest.mark.parametrize("query", ["?page=abc", "?page=-3", "?page=0"])
def test_odd_page_numbers_show_the_first_page(client, topic, query):
    assert client.get(topic.get_absolute_url() + query).status_code == 200
    assert client.get("/forum/c/care/" + query).status_code == 200
    assert client.get("/forum/latest/" + query).status_code == 200


def test_pages_past_the_end_are_404(client, topic):
    assert client.get(topic.get_absolute_url() + "?page=2").status_code == 404
    assert client.get("/forum/c/care/?page=2").status_code == 404
    assert client.get("/forum/latest/?page=99").status_code == 404


def test_forged_and_unknown_things_are_404(client, topic, alice):
    assert client.get(f"/forum/t/{topic.slug}/{topic.pk}/99/").status_code == 404
    assert client.get(f"/forum/t/{topic.slug}/{topic.pk}/0/").status_code == 404
    assert client.get(f"/forum/t/{topic.slug}/999999/").status_code == 404
    assert client.get("/forum/c/no-such-category/").status_code == 404
    client.force_login(alice)
    assert client.post("/forum/p/999999/like/").status_code == 404
    assert client.post(f"/forum/t/{topic.pk}/watch/", {"level": "loud"}).status_code == 400
    assert client.post("/forum/t/999999/reply/", {"body": "Hello"}).status_code == 404


def test_a_wrong_slug_redirects_to_the_topic(client, topic):
    response = client.get(f"/forum/t/old-title/{topic.pk}/?page=1")
    assert response.status_code == 301 and response["Location"] == topic.get_absolute_url() + "?page=1"


def test_post_urls_go_to_their_page(client, topic, bob):
    for n in range(25):
        services.post_reply(bob, topic, body=f"Reply {n}")
    response = client.get(f"/forum/t/{topic.slug}/{topic.pk}/23/")
    assert response.status_code == 302 and response["Location"] == f"{topic.get_absolute_url()}?page=2#post-23"
    assert 'id="post-23"' in client.get(topic.get_absolute_url() + "?page=2").content.decode()


def test_replying_to_a_deleted_topic_is_404(client, topic, alice, bob):
    services.post_delete(alice, topic.posts.get(number=1))
    client.force_login(bob)
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Anyone?"}).status_code == 404
    assert Post.objects.count() == 1


def test_category_rules(category):
    from django.core.exceptions import ValidationError

    child = Category.objects.create(name="Wool", slug="wool", parent=category)
    grandchild = Category(name="Socks", slug="socks", parent=child)
    with pytest.raises(ValidationError):
        grandchild.full_clean()
    category.parent = child
    with pytest.raises(ValidationError):
        category.full_clean()


def test_new_members_over_the_reply_limit_get_429_and_nothing_is_posted(client, topic):
    from tests.factories import MemberFactory

    client.force_login(MemberFactory())  # joined today: ten replies an hour
    for n in range(10):
        assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": f"Thought number {n}."}).status_code == 302
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "One more thought."}).status_code == 429
    assert topic.posts.count() == 11
