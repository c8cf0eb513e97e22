"""The services of the interactions with photo posts (posts-social): likes, comments, follows and
their batched notifications, moderation (approve, reject, hide, feature), rights, the registries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.members.models import Notification
from community.members.notification_kinds import notification_kind_is_registered
from community.moderation import registry
from community.moderation.models import ModerationLog, Report
from community.moderation.services import report_create
from community.posts import interactions, moderation, notify, rights
from community.posts.models import Comment, Hashtag, HashtagFollow, Post, PostLike, RightsEvent
from community.posts.notification_kinds import (
    APPROVED,
    COMMENT,
    FEATURED,
    FOLLOWED_TAG,
    LIKE,
    MENTION,
    REJECTED,
)
from community.posts.services import counters_recount
from tests.posts.social.conftest import make_post, old_member

pytestmark = pytest.mark.django_db


def counts(post):
    post.refresh_from_db()
    return post.like_count, post.comment_count


def tag_count(key):
    return Hashtag.objects.get(key=key).post_count


# --- likes -------------------------------------------------------------------------------------

def test_a_like_counts_once_and_unlike_takes_it_back(post, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert interactions.post_like(bob, post) is True
        assert interactions.post_like(bob, post) is False
    assert counts(post)[0] == 1 == PostLike.objects.count()
    assert interactions.post_unlike(bob, post) is True
    assert interactions.post_unlike(bob, post) is False
    assert counts(post)[0] == 0 == PostLike.objects.count()
    assert counters_recount() == 0


@pytest.mark.parametrize("state", ["hidden", "pending", "rejected", "deleted"])
def test_a_post_that_is_not_live_takes_no_like_nor_comment(post, bob, moderator, state):
    if state == "hidden":
        moderation.post_set_hidden(moderator, post, True)
    elif state == "pending":
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PENDING)
    elif state == "rejected":
        moderation.post_reject(moderator, post, "Not our products")
    else:
        Post.objects.filter(pk=post.pk).delete()
    with pytest.raises(interactions.PostUnavailable):
        interactions.post_like(bob, post)
    with pytest.raises(interactions.PostUnavailable):
        interactions.comment_add(bob, post, "Nice!")
    assert not PostLike.objects.exists() and not Comment.objects.exists()


def test_likes_notify_the_author_once_until_read(post, bob, django_capture_on_commit_callbacks):
    carol = old_member("carol")
    with django_capture_on_commit_callbacks(execute=True):
        interactions.post_like(bob, post)
        interactions.post_like(carol, post)
    [sent] = Notification.objects.filter(recipient=post.author, kind=LIKE)
    assert sent.title == "Bob liked your photo post"
    sent.read_at = timezone.now()
    sent.save()
    dave = old_member("dave")
    with django_capture_on_commit_callbacks(execute=True):
        interactions.post_like(dave, post)
    assert Notification.objects.filter(recipient=post.author, kind=LIKE).count() == 2


# --- comments ----------------------------------------------------------------------------------

def test_a_comment_is_plain_text_escaped_with_links_and_counted(post, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = interactions.comment_add(bob, post, '  <script>alert(1)</script> love it @alice #Été\r\n\r\n\r\n"ok"  ')
    assert comment.body == '<script>alert(1)</script> love it @alice #Été\n\n"ok"'
    assert "<script>" not in comment.body_html and "&lt;script&gt;" in comment.body_html
    assert 'class="mention" href="/members/alice/"' in comment.body_html
    assert 'class="hashtag"' in comment.body_html and "#Été</a>" in comment.body_html
    assert counts(post)[1] == 1
    # the author is mentioned and is the post's author: one notification, the mention
    [sent] = Notification.objects.filter(recipient=post.author)
    assert sent.kind == MENTION and sent.url == f"{post.get_absolute_url()}#comment-{comment.pk}"


def test_the_post_author_hears_of_comments_and_mentioned_members_of_mentions(post, bob, django_capture_on_commit_callbacks):
    carol = old_member("carol")
    with django_capture_on_commit_callbacks(execute=True):
        interactions.comment_add(bob, post, "Look @carol, and @nobody-here")
    assert Notification.objects.get(recipient=post.author).kind == COMMENT
    assert Notification.objects.get(recipient=carol).kind == MENTION
    assert not Notification.objects.filter(recipient=bob).exists()


@pytest.mark.parametrize("body, message", [
    ("", "Write something first."),
    ("   \n  ", "Write something first."),
    ("x" * 501, "at most 500 characters"),
])
def test_bad_comments_are_refused_with_a_message(post, bob, body, message):
    with pytest.raises(interactions.SocialError, match=message):
        interactions.comment_add(bob, post, body)
    assert not Comment.objects.exists() and counts(post)[1] == 0


def test_the_same_comment_twice_is_refused(post, bob):
    interactions.comment_add(bob, post, "So nice")
    with pytest.raises(interactions.SocialError, match="just written"):
        interactions.comment_add(bob, post, "so   NICE")
    assert counts(post)[1] == 1


def test_deleting_and_hiding_comments_keep_the_count(post, bob, moderator):
    first = interactions.comment_add(bob, post, "One")
    second = interactions.comment_add(bob, post, "Two")
    moderation.comment_set_hidden(moderator, second, True)
    assert counts(post)[1] == 1
    interactions.comment_delete(bob, first)
    first.refresh_from_db()
    assert first.deleted_at and first.body == "" and first.body_html == ""
    assert counts(post)[1] == 0
    interactions.comment_delete(bob, first)  # twice: nothing moves
    moderation.comment_set_hidden(moderator, second, False)
    assert counts(post)[1] == 1
    assert ModerationLog.objects.filter(action="hide").count() == 1
    assert counters_recount() == 0


def test_a_moderator_deleting_a_comment_closes_its_reports(post, bob, moderator):
    comment = interactions.comment_add(bob, post, "Spam spam")
    report_create(post.author, comment, reason="spam")
    interactions.comment_delete(moderator, comment)
    assert Report.objects.get().resolution == "deleted"
    assert ModerationLog.objects.get().action == "delete"


# --- follows and their batched notification ------------------------------------------------------

def test_following_is_once_and_unfollowing_ends_it(post, bob):
    hashtag = Hashtag.objects.get(key="sommerlook")
    assert interactions.hashtag_follow(bob, hashtag) is True
    assert interactions.hashtag_follow(bob, hashtag) is False
    assert interactions.is_following(bob, hashtag)
    assert interactions.hashtag_unfollow(bob, hashtag) is True
    assert not HashtagFollow.objects.exists()


def test_followers_get_one_notification_for_the_posts_of_the_window(alice, bob, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.POSTS_FOLLOW_BATCH_SECONDS = 3600
    hashtag = Hashtag.objects.create(name="Été", key="été", slug="été")
    interactions.hashtag_follow(bob, hashtag)
    HashtagFollow.objects.update(notified_until=timezone.now() - timedelta(seconds=1))
    carol = old_member("carol")
    with django_capture_on_commit_callbacks(execute=True):
        make_post(alice, "One #été")  # the first of the window: its batch runs at once here
    [first] = Notification.objects.filter(recipient=bob, kind=FOLLOWED_TAG)
    assert first.title == "1 new post under #Été" and first.url == hashtag.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        make_post(alice, "Two #ÉTÉ")
        make_post(carol, "Three #été")
        make_post(bob, "Mine #été")  # their own post is not news to them
    assert Notification.objects.filter(recipient=bob, kind=FOLLOWED_TAG).count() == 1  # waiting for the window
    assert notify.followers_notify_all() == 1  # cron, or the window's task
    latest = Notification.objects.filter(recipient=bob, kind=FOLLOWED_TAG).latest("pk")
    assert latest.title == "2 new posts under #Été"
    assert notify.followers_notify_all() == 0  # nothing new: nothing sent, the same batch never twice


def test_a_deferring_backend_gets_one_task_per_hashtag_and_window(alice, bob, settings, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    settings.POSTS_FOLLOW_BATCH_SECONDS = 600
    hashtag = Hashtag.objects.create(name="sommerlook", key="sommerlook", slug="sommerlook")
    interactions.hashtag_follow(bob, hashtag)
    queued = []

    class Deferring:
        supports_defer = True

    class Runner:
        def get_backend(self):
            return Deferring()

        def using(self, run_after):
            queued.append(run_after)
            return self

        def enqueue(self, hashtag_id, reopen):
            queued.append((hashtag_id, reopen))

    monkeypatch.setattr(notify, "hashtag_followers_notify", Runner())
    with django_capture_on_commit_callbacks(execute=True):
        make_post(alice, "A #sommerlook")
        make_post(alice, "B #sommerlook")
    assert len(queued) == 2 and queued[1] == (hashtag.pk, True)
    assert timezone.now() + timedelta(seconds=590) < queued[0] <= timezone.now() + timedelta(seconds=600)


# --- moderation --------------------------------------------------------------------------------

def test_approving_publishes_counts_and_tells_the_author(pending_post, moderator, bob, django_capture_on_commit_callbacks):
    assert tag_count("sommerlook") == 0 and pending_post.published_at is None
    interactions.hashtag_follow(bob, Hashtag.objects.get(key="sommerlook"))
    HashtagFollow.objects.update(notified_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_approve(moderator, pending_post)
        moderation.post_approve(moderator, pending_post)  # twice: nothing moves
    pending_post.refresh_from_db()
    assert pending_post.status == "published" and pending_post.published_at
    assert tag_count("sommerlook") == 1
    assert Notification.objects.get(recipient=pending_post.author).kind == APPROVED
    assert Notification.objects.get(recipient=bob).kind == FOLLOWED_TAG  # the followers' batch picked it up
    assert ModerationLog.objects.get().action == "approve"
    assert counters_recount() == 0


def test_rejecting_needs_a_reason_the_author_reads(post, moderator, django_capture_on_commit_callbacks):
    with pytest.raises(interactions.SocialError):
        moderation.post_reject(moderator, post, "   ")
    assert tag_count("sommerlook") == 1
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_reject(moderator, post, "Please show  our products")
    post.refresh_from_db()
    assert (post.status, post.reject_reason) == ("rejected", "Please show our products")
    assert tag_count("sommerlook") == 0 == tag_count("été")
    sent = Notification.objects.get(recipient=post.author)
    assert sent.kind == REJECTED and sent.excerpt == "Why: Please show our products"
    assert ModerationLog.objects.get().detail == "Please show our products"
    assert counters_recount() == 0


def test_hiding_and_restoring_move_the_hashtag_counts_and_close_reports(post, bob, moderator,
                                                                        django_capture_on_commit_callbacks):
    report_create(bob, post, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_set_hidden(moderator, post, True, "spam")
    assert tag_count("sommerlook") == 0
    assert Report.objects.get().resolution == "hidden"
    assert Notification.objects.get(recipient=post.author).kind == "moderation"
    moderation.post_set_hidden(moderator, post, True)  # twice: nothing moves
    moderation.post_set_hidden(moderator, post, False)
    assert tag_count("sommerlook") == 1
    assert counters_recount() == 0


def test_only_a_live_post_with_rights_can_be_featured(post, moderator, django_capture_on_commit_callbacks):
    with pytest.raises(interactions.SocialError, match="rights"):
        moderation.post_feature(moderator, post)
    rights.rights_grant(post.author, post)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_feature(moderator, post)
    post.refresh_from_db()
    assert post.featured_at
    assert Post.objects.featurable().filter(featured_at__isnull=False).get() == post
    # (the featured-photo badge announces itself too: engagement.play)
    assert Notification.objects.filter(recipient=post.author, kind=FEATURED).count() == 1
    moderation.post_unfeature(moderator, post)
    post.refresh_from_db()
    assert post.featured_at is None
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == ["feature_post", "unfeature_post"]
    moderation.post_set_hidden(moderator, post, True)
    with pytest.raises(interactions.SocialError, match="published"):
        moderation.post_feature(moderator, post)


def test_withdrawing_the_rights_unfeatures_at_once_and_everything_is_recorded(post, moderator, settings):
    from community.posts.signals import posts_featured_changed

    heard = []
    posts_featured_changed.connect(lambda sender, post_ids, **kw: heard.append(post_ids), weak=False, dispatch_uid="t")
    try:
        settings.POSTS_RIGHTS_VERSION = "2026-1"
        rights.rights_grant(post.author, post)
        rights.rights_grant(post.author, post)  # the same wording again: nothing new
        moderation.post_feature(moderator, post)
        rights.rights_withdraw(post.author, post)
    finally:
        posts_featured_changed.disconnect(dispatch_uid="t")
    post.refresh_from_db()
    assert (post.rights_granted_at, post.rights_version, post.featured_at) == (None, "", None)
    events = list(RightsEvent.objects.values_list("action", "version"))
    assert events == [("grant", "2026-1"), ("withdraw", "")]
    settings.POSTS_RIGHTS_VERSION = "2027-1"
    rights.rights_grant(post.author, post)
    assert RightsEvent.objects.last().version == "2027-1"
    with pytest.raises(ValueError):
        RightsEvent.objects.first().save()  # append-only


def test_a_post_created_with_the_rights_ticked_has_its_record(alice):
    made = make_post(alice, "Mine", rights=True)
    assert RightsEvent.objects.get(post=made).action == "grant"


# --- registries --------------------------------------------------------------------------------

def test_the_kinds_are_registered():
    for code in (COMMENT, MENTION, LIKE, FOLLOWED_TAG, APPROVED, REJECTED, FEATURED):
        assert notification_kind_is_registered(code)
    assert registry.get("photo_post").model is Post
    assert registry.get("photo_comment").model is Comment
    assert registry.action_label("reject_post") == "rejected a photo post"


def test_the_queue_sees_waiting_posts_and_acts_through_the_kind(pending_post, moderator):
    kind = registry.get("photo_post")
    assert list(kind.waiting()) == [pending_post]
    preview = kind.preview(pending_post)
    assert preview.waiting and preview.title == f"Photo post {pending_post.pk}"
    assert preview.excerpt == "Waiting #sommerlook"
    kind.approve(moderator, pending_post)
    assert not kind.waiting().exists()
    kind.hide(moderator, pending_post, "why")
    pending_post.refresh_from_db()
    assert pending_post.hidden and not kind.can_view(pending_post.author, pending_post)
    assert kind.can_view(moderator, pending_post)


def test_share_links_are_plain_links_with_the_photo_for_pinterest():
    links = dict((code, href) for code, _label, href in
                 interactions.share_links("https://s.example/posts/1/", "Été & <b>", "https://s.example/m/p.jpg"))
    assert set(links) == {"whatsapp", "x", "facebook", "pinterest", "email"}
    assert links["pinterest"].startswith("https://www.pinterest.com/pin/create/button/?")
    assert "media=https%3A%2F%2Fs.example%2Fm%2Fp.jpg" in links["pinterest"]
    assert "%C3%89t%C3%A9%20%26%20%3Cb%3E" in links["x"]
    assert links["email"].startswith("mailto:?subject=")


def test_post_published_is_sent_after_commit_at_creation_and_on_approval(alice, pending_post, moderator,
                                                                          django_capture_on_commit_callbacks):
    from community.posts.signals import post_published

    heard = []
    post_published.connect(lambda sender, post, **kw: heard.append(post.pk), weak=False, dispatch_uid="t-published")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            made = make_post(alice, "Live at once")
        with django_capture_on_commit_callbacks(execute=True):
            moderation.post_approve(moderator, pending_post)
    finally:
        post_published.disconnect(dispatch_uid="t-published")
    assert heard == [made.pk, pending_post.pk]
