"""Background work of the photo posts' interactions (Django's tasks API, the django_tasks package):
telling members about comments, mentions, likes, decisions of moderators, and new posts under the
hashtags they follow. Run after the write commits; each notification's source key makes a retried
task send nothing twice.

Batching:
- likes: while the author has an unread "like" notification for a post, further likes of it add
  none (the one they have leads to the post, whose count says the rest);
- followed hashtags: when a post goes live under hashtags that have followers, each such hashtag
  gets one `hashtag_followers_notify` task for the end of a window of POSTS_FOLLOW_BATCH_SECONDS
  (a cache key keeps it to one per window). The task sends each follower ONE notification,
  "N new posts under #x", for the posts published since their `notified_until`, and moves it. On a
  task backend that cannot defer (the immediate one of development and tests) the task runs as
  soon as the post is published (so the first post of a window is told at once and the next ones
  together later); `manage.py posts_follow_notify`, run by cron, is the safety net everywhere
  and sends what no task has sent yet.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from community.members.models import Notification
from community.members.services import notification_send

from .app_settings import app_settings
from .markup import mentioned_usernames
from .models import Comment, Hashtag, HashtagFollow, Post
from .notification_kinds import APPROVED, COMMENT, FEATURED, FOLLOWED_TAG, LIKE, MENTION, REJECTED

EXCERPT_CHARS = 200


def _excerpt(text):
    return Truncator(" ".join((text or "").split())).chars(EXCERPT_CHARS)


def _name(member):
    return member.public_name if member else _("Someone")


@task()
def like_notify(post_id, liker_id):
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    liker = get_user_model().objects.filter(pk=liker_id).first()
    if post is None or liker is None or post.author_id == liker.pk or not post.is_live:
        return 0
    url = post.get_absolute_url()
    if Notification.objects.filter(recipient_id=post.author_id, kind=LIKE, url=url, read_at__isnull=True).exists():
        return 0  # one unread like notification per post is enough
    sent = notification_send(post.author, LIKE, actor=liker, url=url,
                             title=_("%(name)s liked your photo post") % {"name": _name(liker)},
                             excerpt=_excerpt(post.caption), source_key=f"posts:post:{post.pk}:like:{liker.pk}")
    return int(sent is not None)


@task()
def comment_notify(comment_id):
    """The post's author hears of a comment; members @mentioned in it hear of the mention (an
    author who is also mentioned gets one notification, the mention)."""
    comment = Comment.objects.select_related("post__author", "author").filter(pk=comment_id).first()
    if comment is None or comment.hidden or comment.deleted_at or not comment.post.is_live:
        return 0
    post, author = comment.post, comment.author
    url = comment.get_absolute_url()
    done, sent = {author.pk}, 0
    names = mentioned_usernames(comment.body)
    if names:
        for member in get_user_model().objects.filter(username__in=names, is_active=True, deleted_at__isnull=True):
            if member.pk in done:
                continue
            done.add(member.pk)
            if notification_send(member, MENTION, actor=author, url=url,
                                 title=_("%(name)s mentioned you in a comment") % {"name": _name(author)},
                                 excerpt=_excerpt(comment.body), source_key=f"posts:comment:{comment.pk}:mention:{member.pk}"):
                sent += 1
    if post.author_id not in done and notification_send(
        post.author, COMMENT, actor=author, url=url,
        title=_("%(name)s commented on your photo post") % {"name": _name(author)},
        excerpt=_excerpt(comment.body), source_key=f"posts:comment:{comment.pk}:author",
    ):
        sent += 1
    return sent


@task()
def decision_notify(post_id, event, log_id):
    """event: "approved", "rejected" (the reason is the post's reject_reason) or "featured".
    `log_id` is the moderation log entry of the decision, so each decision is told once."""
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if post is None:
        return 0
    url = post.get_absolute_url()
    if event == "approved":
        if post.status != Post.Status.PUBLISHED:
            return 0
        kind, title, excerpt = APPROVED, _("Your photo post is approved: everyone sees it now"), _excerpt(post.caption)
    elif event == "rejected":
        if post.status != Post.Status.REJECTED:
            return 0
        kind, title = REJECTED, _("Your photo post was not approved")
        excerpt = _("Why: %(reason)s") % {"reason": post.reject_reason} if post.reject_reason else ""
    elif event == "featured":
        if not post.featured_at:
            return 0
        kind, title, excerpt = FEATURED, _("The brand featured your photo post"), _excerpt(post.caption)
    else:
        raise ValueError(f"unknown event {event!r}")
    sent = notification_send(post.author, kind, url=url, title=title, excerpt=excerpt,
                             source_key=f"posts:post:{post.pk}:{event}:{log_id}")
    return int(sent is not None)


# --- followed hashtags -------------------------------------------------------------------------

def batch_key(hashtag_id):
    return f"posts:follow-batch:{hashtag_id}"


def followers_schedule(post):
    """After commit: for each hashtag of `post` (now live) that has followers, make sure one
    hashtag_followers_notify task is on its way for the end of the batching window."""
    hashtag_ids = list(Hashtag.objects.filter(tagged_posts__content_object_id=post.pk, follows__isnull=False)
                       .values_list("pk", flat=True).distinct())
    if not hashtag_ids:
        return

    def enqueue():
        seconds = app_settings.FOLLOW_BATCH_SECONDS
        for hashtag_id in hashtag_ids:
            if seconds > 0 and not cache.add(batch_key(hashtag_id), 1, timeout=seconds):
                continue  # a batch is on its way; it will count this post
            runner = hashtag_followers_notify
            deferred = seconds > 0 and runner.get_backend().supports_defer
            if deferred:
                runner = runner.using(run_after=timezone.now() + datetime.timedelta(seconds=seconds))
            runner.enqueue(hashtag_id, reopen=deferred)

    # robust: a queue that is down is logged and never undoes the post (cron sends the batch later)
    transaction.on_commit(enqueue, robust=True)


def followers_notify(hashtag_id, now=None):
    """Send each follower of the hashtag one notification for the live posts published under it
    since their notified_until (not counting their own), and move notified_until to `now`.
    Returns the notifications sent."""
    now = now or timezone.now()
    hashtag = Hashtag.objects.filter(pk=hashtag_id).first()
    if hashtag is None:
        return 0
    follows = list(HashtagFollow.objects.filter(hashtag=hashtag, notified_until__lt=now).select_related("member"))
    if not follows:
        return 0
    since = min(follow.notified_until for follow in follows)
    posts = list(Post.objects.live().filter(tagged_items__tag=hashtag, published_at__gt=since, published_at__lte=now)
                 .values_list("published_at", "author_id"))
    url, sent = hashtag.get_absolute_url(), 0
    for follow in follows:
        count = sum(1 for published_at, author_id in posts
                    if published_at > follow.notified_until and author_id != follow.member_id)
        if count:
            title = ngettext("%(count)d new post under #%(tag)s", "%(count)d new posts under #%(tag)s", count) % {
                "count": count, "tag": hashtag.name}
            if notification_send(follow.member, FOLLOWED_TAG, url=url, title=title,
                                 source_key=f"posts:follow:{follow.pk}:{follow.notified_until.timestamp():.6f}"):
                sent += 1
        # moved only from where this run started, so a run at once with another sends nothing twice
        HashtagFollow.objects.filter(pk=follow.pk, notified_until=follow.notified_until).update(notified_until=now)
    return sent


def followers_notify_all(now=None):
    """followers_notify for every followed hashtag (manage.py posts_follow_notify)."""
    now = now or timezone.now()
    ids = HashtagFollow.objects.filter(notified_until__lt=now).values_list("hashtag_id", flat=True).distinct()
    return sum(followers_notify(hashtag_id, now) for hashtag_id in list(ids))


@task()
def hashtag_followers_notify(hashtag_id, reopen=False):
    """`reopen`: run at the end of its window (a deferring backend), so the next window opens
    first: a post published from now on schedules its own batch, while everything published
    before this point is counted below. Run at once (the immediate backend), the window stays
    closed until it times out: the posts published meanwhile wait for the next batch or cron."""
    if reopen:
        cache.delete(batch_key(hashtag_id))
    return followers_notify(hashtag_id)
