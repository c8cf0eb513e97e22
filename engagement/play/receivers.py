"""What badges, challenges and support timings do when a lower layer says something happened.
Connected from PlayConfig.ready(). Thin and robust: each receiver runs after the sender's
transaction commits and logs a failure, never raising into the forum, the review form or the
webhook (`manage.py play_daily` checks every rule again for members who joined a year ago, and
`badges_recompute` can repair any member).

- forum: a post written (first post; a staff answer in "Ask the team"), a topic started (a question
  to the team), an answer marked as the solution (five solved answers; solved-answer challenges);
- reviews: published (first review; review challenges), found helpful (ten helpful votes);
- photo posts: published (hashtag challenges), featured (a featured photo);
- referrals: a friend qualified (three referrals).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from community.forum.models import Post as ForumPost
from community.forum.models import Topic
from community.forum.signals import topic_solved
from community.posts.models import Post as PhotoPost
from community.posts.signals import post_published, posts_featured_changed
from community.reviews.signals import review_published, review_voted
from referrals.models import Referral

from . import services
from .cache import badges_defs_changed, badges_shown_changed
from .models import Badge, BadgeAward, Goal
from .rules import Rule

logger = logging.getLogger(__name__)


def _robust(what, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception:
        logger.exception("play: %s failed", what)
        return None


def _after_commit(what, fn, *args, **kwargs):
    transaction.on_commit(lambda: _robust(what, fn, *args, **kwargs), robust=True)


def forum_post_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw:
        return
    post = instance
    _after_commit("first post badge", services.badges_check, post.author, [Rule.FIRST_POST])
    _after_commit("support answer", services.support_post_written, post)


def topic_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        _after_commit("support question", services.support_topic_started, instance)


def topic_was_solved(sender, topic, post, actor=None, **kwargs):
    if post is None or post.author_id is None or post.author_id == topic.author_id:
        return
    _robust("solved badge", services.badges_check, post.author, [Rule.SOLVED_5])
    _robust("solved challenge", services.challenge_event, post.author, Goal.SOLVED_ANSWERS, f"forum:solved:{topic.pk}")


def review_was_published(sender, review, **kwargs):
    _robust("review badge", services.badges_check, review.author, [Rule.FIRST_REVIEW])
    _robust("review challenge", services.challenge_event, review.author, Goal.REVIEWS, f"review:{review.pk}")


def review_was_voted(sender, review, member=None, **kwargs):
    _robust("helpful badge", services.badges_check, review.author, [Rule.HELPFUL_10])


def _photo_event(post):
    tags = list(post.tags.values_list("name", flat=True))
    services.challenge_event(post.author, Goal.PHOTO_POSTS, f"photo:{post.pk}", hashtags=tags, at=post.published_at)


def photo_post_published(sender, post, **kwargs):
    _robust("photo challenge", _photo_event, post)


def photo_posts_featured(sender, post_ids=(), **kwargs):
    posts = PhotoPost.objects.filter(pk__in=list(post_ids), featured_at__isnull=False).select_related("author")
    for post in posts:
        _robust("featured badge", services.badges_check, post.author, [Rule.FEATURED_PHOTO])


def referral_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.qualified_at is not None:
        _after_commit("referrals badge", services.badges_check, instance.referrer, [Rule.REFERRALS_3])


def badge_changed(sender, instance, **kwargs):
    badges_defs_changed()


def award_deleted(sender, instance, **kwargs):
    badges_shown_changed(instance.member_id)


def connect():
    uid = "play."
    post_save.connect(forum_post_saved, sender=ForumPost, dispatch_uid=uid + "forum_post")
    post_save.connect(topic_saved, sender=Topic, dispatch_uid=uid + "topic")
    topic_solved.connect(topic_was_solved, dispatch_uid=uid + "solved")
    review_published.connect(review_was_published, dispatch_uid=uid + "review")
    review_voted.connect(review_was_voted, dispatch_uid=uid + "review_voted")
    post_published.connect(photo_post_published, dispatch_uid=uid + "photo_post")
    posts_featured_changed.connect(photo_posts_featured, dispatch_uid=uid + "featured")
    post_save.connect(referral_saved, sender=Referral, dispatch_uid=uid + "referral")
    post_save.connect(badge_changed, sender=Badge, dispatch_uid=uid + "badge_saved")
    post_delete.connect(badge_changed, sender=Badge, dispatch_uid=uid + "badge_deleted")
    post_delete.connect(award_deleted, sender=BadgeAward, dispatch_uid=uid + "award_deleted")
