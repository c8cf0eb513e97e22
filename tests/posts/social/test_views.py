"""The views of the interactions with photo posts: the permission matrix (anonymous, the author,
another member, a moderator) on every view, the bad input of issue 13 (liking a hidden post,
commenting on a deleted post), htmx and no-JavaScript answers, XSS in comments, hostile input, and
the post page's query count, constant in comments."""

import pytest
from django.urls import reverse
from django.utils import timezone

from community.moderation.models import Report, Suspension
from community.posts import interactions, moderation, rights
from community.posts.models import Comment, Hashtag, HashtagFollow, Post, PostLike
from tests.hostile import HOSTILE_TEXT, url_part
from tests.posts.social.conftest import make_post, old_member

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def clients(client, alice, bob, moderator):
    """{role: a logged-in client (or the anonymous one)} for the matrix."""
    from django.test import Client

    made = {"anonymous": client}
    for role, member in (("author", alice), ("other", bob), ("moderator", moderator)):
        made[role] = Client()
        made[role].force_login(member)
    return made


def login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- likes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 302), ("moderator", 302)])
def test_who_may_like(clients, post, role, status):
    response = clients[role].post(reverse("posts:like", args=[post.pk]))
    if status == "login":
        assert login_redirect(response)
    else:
        assert response.status_code == status
    post.refresh_from_db()
    assert post.like_count == (1 if status == 302 else 0) == PostLike.objects.count()


@pytest.mark.parametrize("state", ["hidden", "pending", "rejected", "deleted", "missing"])
@pytest.mark.parametrize("role", ["author", "other", "moderator"])
def test_liking_or_commenting_on_a_post_that_is_not_live_is_a_404_storing_nothing(clients, post, moderator, state, role):
    pk = post.pk
    if state == "hidden":
        moderation.post_set_hidden(moderator, post, True)
    elif state == "pending":
        Post.objects.filter(pk=pk).update(status=Post.Status.PENDING)
    elif state == "rejected":
        moderation.post_reject(moderator, post, "No")
    elif state == "deleted":
        Post.objects.filter(pk=pk).delete()
    else:
        pk = 99999
    client = clients[role]
    assert client.post(reverse("posts:like", args=[pk])).status_code == 404
    assert client.post(reverse("posts:like", args=[pk]), headers=HTMX).status_code == 404
    assert client.post(reverse("posts:comment", args=[pk]), {"body": "Nice!"}).status_code == 404
    assert not PostLike.objects.exists() and not Comment.objects.exists()


def test_like_with_htmx_swaps_the_button_and_unlike_takes_it_back(clients, post):
    client = clients["other"]
    response = client.post(reverse("posts:like", args=[post.pk]), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-pressed="true"' in html and "Liked · 1" in html and "<html" not in html
    response = client.post(reverse("posts:like", args=[post.pk]), {"action": "unlike"}, headers=HTMX)
    assert 'aria-pressed="false"' in response.content.decode() and "Like · 0" in response.content.decode()
    assert client.get(reverse("posts:like", args=[post.pk])).status_code == 405


def test_likes_are_rate_limited(clients, post, settings, alice):
    settings.POSTS_RATE_LIMITS = {"like": (1, 1, 3600)}
    others = [make_post(alice, f"Post {n}") for n in range(2)]
    assert clients["other"].post(reverse("posts:like", args=[others[0].pk])).status_code == 302
    assert clients["other"].post(reverse("posts:like", args=[others[1].pk])).status_code == 429


def test_a_suspended_member_cannot_like_or_comment(clients, post, bob, moderator):
    Suspension.objects.create(member=bob, until=timezone.now() + timezone.timedelta(days=1), reason="x", created_by=moderator)
    assert clients["other"].post(reverse("posts:like", args=[post.pk])).status_code == 403
    assert clients["other"].post(reverse("posts:comment", args=[post.pk]), {"body": "Hi"}).status_code == 403
    assert not PostLike.objects.exists() and not Comment.objects.exists()


# --- comments ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role, ok", [("anonymous", None), ("author", True), ("other", True), ("moderator", True)])
def test_who_may_comment(clients, post, role, ok):
    response = clients[role].post(reverse("posts:comment", args=[post.pk]), {"body": "Lovely light"})
    if ok is None:
        assert login_redirect(response) and not Comment.objects.exists()
        return
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"


@pytest.mark.parametrize("body, message", [("", "Write something first."), ("x" * 501, "at most 500 characters")])
def test_a_bad_comment_gets_its_message(clients, post, body, message):
    response = clients["other"].post(reverse("posts:comment", args=[post.pk]), {"body": body})
    assert response.status_code == 400 and message in response.content.decode()
    htmx = clients["other"].post(reverse("posts:comment", args=[post.pk]), {"body": body}, headers=HTMX)
    assert htmx.status_code == 200 and message in htmx.content.decode() and 'id="comments"' in htmx.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_with_htmx_comes_back_in_the_list(clients, post):
    response = clients["other"].post(reverse("posts:comment", args=[post.pk]), {"body": "Where is this?"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Where is this?" in html and "1 comment" in html and "<html" not in html


def _sendable(text):
    """What a form can carry: no NUL (RejectNulMiddleware answers 400 before any view) and no lone
    surrogate (not UTF-8: the test client cannot even encode it)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


@pytest.mark.parametrize("payload", [p for p in HOSTILE_TEXT if _sendable(p) and len(p) <= 500 and p.strip()])
def test_hostile_comments_render_harmless(clients, post, payload):
    response = clients["other"].post(reverse("posts:comment", args=[post.pk]), {"body": payload})
    assert response.status_code in (302, 400)
    page = clients["anonymous"].get(post.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_comments_are_rate_limited_tighter_for_new_members(post, client, settings):
    settings.POSTS_RATE_LIMITS = {"comment": (1, 5, 3600)}
    newcomer = old_member("newcomer")
    newcomer.date_joined = timezone.now()
    newcomer.save(update_fields=["date_joined"])
    client.force_login(newcomer)
    assert client.post(reverse("posts:comment", args=[post.pk]), {"body": "One"}).status_code == 302
    assert client.post(reverse("posts:comment", args=[post.pk]), {"body": "Two"}).status_code == 429


@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 302), ("moderator", 302)])
def test_who_may_delete_a_comment(clients, post, bob, role, status):
    comment = interactions.comment_add(bob, post, "Mine")
    response = clients[role].post(reverse("posts:comment_delete", args=[comment.pk]))
    if status == "login":
        assert login_redirect(response)
    else:
        assert response.status_code == status
    comment.refresh_from_db()
    assert bool(comment.deleted_at) == (status == 302)


def test_a_hidden_comment_is_a_404_for_members_and_shown_to_moderators(clients, post, bob, moderator):
    comment = interactions.comment_add(bob, post, "Rude words here")
    moderation.comment_set_hidden(moderator, comment, True)
    assert clients["other"].post(reverse("posts:comment_delete", args=[comment.pk])).status_code == 404
    assert "Rude words here" not in clients["other"].get(post.get_absolute_url()).content.decode()
    assert "Rude words here" in clients["moderator"].get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 403), ("moderator", 302)])
def test_who_may_hide_a_comment(clients, post, bob, role, status):
    comment = interactions.comment_add(bob, post, "Hmm")
    response = clients[role].post(reverse("posts:comment_moderate", args=[comment.pk]), {"action": "hide"})
    assert login_redirect(response) if status == "login" else response.status_code == status
    comment.refresh_from_db()
    assert comment.hidden == (status == 302)


# --- following ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["anonymous", "author", "other", "moderator"])
def test_who_may_follow_a_hashtag(clients, post, role):
    url = reverse("posts:follow", args=["sommerlook"])
    response = clients[role].post(url)
    if role == "anonymous":
        assert login_redirect(response) and not HashtagFollow.objects.exists()
        return
    assert response.status_code == 302 and response["Location"] == reverse("posts:tag", args=["sommerlook"])
    assert HashtagFollow.objects.count() == 1
    htmx = clients[role].post(url, {"action": "unfollow"}, headers=HTMX)
    assert htmx.status_code == 200 and 'aria-pressed="false"' in htmx.content.decode()
    assert not HashtagFollow.objects.exists()


def test_the_hashtag_page_shows_the_follow_button(clients, post, bob):
    interactions.hashtag_follow(bob, Hashtag.objects.get(key="sommerlook"))
    assert "Following #sommerlook" in clients["other"].get(reverse("posts:tag", args=["sommerlook"])).content.decode()
    assert "Log in to follow #sommerlook" in clients["anonymous"].get(reverse("posts:tag", args=["sommerlook"])).content.decode()


@pytest.mark.parametrize("key", ["no-such-tag", *[p for p in HOSTILE_TEXT[:40] if "\x00" not in p]])
def test_following_an_unknown_or_hostile_hashtag_is_a_4xx(clients, post, key):
    response = clients["other"].post(f"/tags/{url_part(key)}/follow/")
    assert 400 <= response.status_code < 500
    assert not HashtagFollow.objects.exists()


# --- reports -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 200), ("moderator", 200)])
def test_who_may_report_a_post(clients, post, role, status):
    response = clients[role].get(reverse("posts:report", args=[post.pk]))
    assert login_redirect(response) if status == "login" else response.status_code == status


def test_a_report_reaches_the_queue(clients, post):
    response = clients["other"].post(reverse("moderation:report", args=["photo_post", post.pk]), {"reason": "spam"})
    assert response.status_code == 302 and Report.objects.get().object_id == post.pk


# --- moderation on the post's page ---------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 403), ("moderator", 302)])
def test_who_may_approve_hide_and_feature(clients, pending_post, role, status):
    response = clients[role].post(reverse("posts:moderate", args=[pending_post.pk]), {"action": "approve"})
    assert login_redirect(response) if status == "login" else response.status_code == status
    pending_post.refresh_from_db()
    assert (pending_post.status == "published") == (status == 302)


def test_feature_needs_the_rights_and_says_so(clients, post):
    url = reverse("posts:moderate", args=[post.pk])
    response = clients["moderator"].post(url, {"action": "feature"}, follow=True)
    assert "has not given the brand the rights" in response.content.decode()
    rights.rights_grant(post.author, post)
    clients["moderator"].post(url, {"action": "feature"})
    post.refresh_from_db()
    assert post.featured_at
    assert clients["moderator"].post(url, {"action": "explode"}).status_code == 400


@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 403), ("other", 403), ("moderator", 200)])
def test_who_may_open_the_reject_form(clients, post, role, status):
    response = clients[role].get(reverse("posts:reject", args=[post.pk]))
    assert login_redirect(response) if status == "login" else response.status_code == status


def test_a_rejected_post_shows_its_reason_to_its_author_only(clients, post):
    url = reverse("posts:reject", args=[post.pk])
    assert clients["moderator"].post(url, {"reason": ""}).status_code == 400
    assert clients["moderator"].post(url, {"reason": "Show <b>our</b> products"}).status_code == 302
    page = clients["author"].get(post.get_absolute_url())
    assert page.status_code == 200 and "Why: Show &lt;b&gt;our&lt;/b&gt; products" in page.content.decode()
    assert clients["other"].get(post.get_absolute_url()).status_code == 404
    assert clients["anonymous"].get(post.get_absolute_url()).status_code == 404


# --- rights ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("anonymous", "login"), ("author", 200), ("other", 403), ("moderator", 403)])
def test_only_the_author_manages_the_rights(clients, post, role, status):
    response = clients[role].get(reverse("posts:rights", args=[post.pk]))
    assert login_redirect(response) if status == "login" else response.status_code == status
    if status == 403:
        assert clients[role].post(reverse("posts:rights", args=[post.pk]), {"rights": "on"}).status_code == 403


def test_the_author_grants_and_withdraws_from_the_rights_page(clients, post, moderator):
    url = reverse("posts:rights", args=[post.pk])
    assert clients["author"].post(url, {"rights": "on"}).status_code == 302
    post.refresh_from_db()
    assert post.rights_granted_at and post.rights_version == "2026-1"
    moderation.post_feature(moderator, post)
    clients["author"].post(url, {})
    post.refresh_from_db()
    assert post.rights_granted_at is None and post.featured_at is None
    page = clients["author"].get(url).content.decode()
    assert "Granted" in page and "Withdrawn" in page


# --- the post page -----------------------------------------------------------------------------

def test_the_post_page_offers_what_each_role_may_do(clients, post):
    pages = {role: clients[role].get(post.get_absolute_url()).content.decode() for role in clients}
    assert "Log in to like it" in pages["anonymous"] and "Log in to comment" in pages["anonymous"]
    assert 'name="action" value="like"' not in pages["author"] and "posts:rights" not in pages["author"]
    assert reverse("posts:rights", args=[post.pk]) in pages["author"]
    assert 'value="like"' in pages["other"] and reverse("posts:report", args=[post.pk]).replace("/report/", "") in pages["other"]
    assert "Reject…" in pages["moderator"] and "Reject…" not in pages["other"]
    for html in pages.values():
        assert "https://www.pinterest.com/pin/create/button/?" in html and "wa.me" in html
        assert "<script>" not in html.replace('<script src=', "").replace('<script type="application/ld+json">', "")


def test_the_post_pages_query_count_does_not_grow_with_comments(client, post, bob, assert_queries):
    carol = old_member("carol")

    def more():
        for member in [bob, carol, old_member(f"extra{Comment.objects.count()}")]:
            interactions.comment_add(member, post, f"Comment {Comment.objects.count()} by {member.username} @alice #x")

    more()
    assert_queries(9, lambda: client.get(post.get_absolute_url()), grow=more)
    client.force_login(bob)
    assert_queries(14, lambda: client.get(post.get_absolute_url()), grow=more)
