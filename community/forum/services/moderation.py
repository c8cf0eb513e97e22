"""Moderators' actions on forum posts and topics: hide, restore, approve, pin, lock, close, move and
merge. Each keeps every counter right and is written to the one moderation log (community.moderation)."""

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.moderation import services as moderation
from community.moderation.models import Resolution

from ..cache import forum_changed, topic_changed
from ..models import (
    Category,
    ModerationAction,
    Post,
    PostLike,
    Topic,
)
from ..product_links import mentions_changed
from .posting import ForumError, _after_commit_notify, _live, _live_posts, _solution_clear


def _log(actor, action, *, item, member=None, detail=""):
    return moderation.log_add(actor, action, item=item, member=member, detail=detail)


@transaction.atomic
def post_set_hidden(actor, post, hidden, reason=""):
    """Hide a post from everyone but moderators, or show it again. Hiding the opening post hides
    its topic; hiding the answer clears it. Closes the post's open reports and tells its author."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    topic_changed(post.topic)
    if post.hidden == hidden:
        return post
    if post.number == 1 and hidden:  # the topic leaves its category while the post still counts
        topic_set_flag(actor, post.topic, "hidden", True, reason=reason)
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    mentions_changed(post)
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if post.number == 1:
        if not hidden:
            topic = topic_set_flag(actor, topic, "hidden", False, reason=reason)
    elif post.approved and not post.is_deleted:
        delta = -1 if hidden else 1
        Topic.objects.filter(pk=topic.pk).update(reply_count=Greatest(F("reply_count") + delta, 0))
        if _live(topic):
            Category.objects.filter(pk=topic.category_id).update(post_count=Greatest(F("post_count") + delta, 0))
    if hidden:
        _solution_clear(actor, topic, post)
    post.topic = topic
    moderation.reports_resolve(actor, post, Resolution.HIDDEN if hidden else Resolution.RESTORED)
    entry = _log(actor, ModerationAction.HIDE_POST if hidden else ModerationAction.RESTORE_POST, item=post,
                 member=post.author, detail=reason)
    moderation.author_notify(entry)
    return post


@transaction.atomic
def post_approve(actor, post):
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    topic_changed(post.topic)
    if post.approved:
        return post
    post.approved = True
    post.save(update_fields=["approved"])
    mentions_changed(post)
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    now = timezone.now()
    if post.number == 1:
        was_live = _live(topic)
        topic.approved = True
        topic.save(update_fields=["approved"])
        if not was_live and _live(topic):
            Category.objects.filter(pk=topic.category_id).update(
                topic_count=F("topic_count") + 1, post_count=F("post_count") + _live_posts(topic.pk), last_posted_at=now)
    elif not post.hidden and not post.is_deleted:
        Topic.objects.filter(pk=topic.pk).update(reply_count=F("reply_count") + 1, last_posted_at=now,
                                                 last_poster=post.author)
        if _live(topic):
            Category.objects.filter(pk=topic.category_id).update(post_count=F("post_count") + 1, last_posted_at=now)
    post.topic = topic
    moderation.reports_resolve(actor, post, Resolution.APPROVED)
    moderation.author_notify(_log(actor, ModerationAction.APPROVE_POST, item=post, member=post.author))
    if not post.hidden and not post.is_deleted:
        _after_commit_notify(post, "topic" if post.number == 1 else "reply")
    return post


FLAG_ACTIONS = {
    ("pinned", True): ModerationAction.PIN, ("pinned", False): ModerationAction.UNPIN,
    ("locked", True): ModerationAction.LOCK, ("locked", False): ModerationAction.UNLOCK,
    ("closed", True): ModerationAction.CLOSE, ("closed", False): ModerationAction.REOPEN,
    ("hidden", True): ModerationAction.HIDE_TOPIC, ("hidden", False): ModerationAction.RESTORE_TOPIC,
}


@transaction.atomic
def topic_set_flag(actor, topic, flag, value, reason=""):
    if (flag, value) not in FLAG_ACTIONS:
        raise ForumError(_("Unknown moderation action."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic_changed(topic)
    if getattr(topic, flag) == value:
        return topic
    was_live = _live(topic)
    setattr(topic, flag, value)
    topic.save(update_fields=[flag])
    if was_live != _live(topic):
        change = 1 if _live(topic) else -1
        posts = _live_posts(topic.pk)
        Category.objects.filter(pk=topic.category_id).update(
            topic_count=Greatest(F("topic_count") + change, 0), post_count=Greatest(F("post_count") + change * posts, 0))
    _log(actor, FLAG_ACTIONS[(flag, value)], item=topic, member=topic.author, detail=reason)
    return topic


@transaction.atomic
def topic_move(actor, topic, category):
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    forum_changed(topics=[topic.pk], categories=[topic.category_id, category.pk], lists=True)
    if topic.category_id == category.pk:
        return topic
    old = topic.category
    topic.category = category
    topic.save(update_fields=["category"])
    if _live(topic):
        posts = _live_posts(topic.pk)
        Category.objects.filter(pk=old.pk).update(topic_count=Greatest(F("topic_count") - 1, 0),
                                                  post_count=Greatest(F("post_count") - posts, 0))
        Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + posts)
    _log(actor, ModerationAction.MOVE, item=topic, detail=f"{old.name} → {category.name}")
    return topic


@transaction.atomic
def topic_merge(actor, source, target):
    """Move every post of `source` to the end of `target`, renumbered after target's last post;
    `source` is closed, hidden and points to where its posts went. Replies, likes and the
    categories' counts move with the posts."""
    if source.pk == target.pk:
        raise ForumError(_("A topic cannot be merged into itself."))
    first, second = sorted([source.pk, target.pk])
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
    forum_changed(topics=[source.pk, target.pk], categories=[source.category_id, target.category_id], lists=True)
    source_live, target_live = _live(source), _live(target)
    posts = list(Post.objects.filter(topic=source).order_by("number"))
    likes = PostLike.objects.filter(post__topic=source).count()
    start = target.last_post_number
    # Two passes, so no number is taken twice while the rows move.
    offset = (Post.objects.filter(topic=target).aggregate(m=Max("number"))["m"] or 0) + len(posts) + 1000
    for post in posts:
        Post.objects.filter(pk=post.pk).update(topic=target, number=post.number + offset)
    for index, post in enumerate(posts, start=1):
        Post.objects.filter(pk=post.pk).update(number=start + index)
    moved = sum(1 for p in posts if p.approved and not p.hidden and not p.is_deleted)
    Topic.objects.filter(pk=target.pk).update(
        last_post_number=start + len(posts), reply_count=F("reply_count") + moved, like_count=F("like_count") + likes,
        last_posted_at=Greatest(F("last_posted_at"), source.last_posted_at),
    )
    Topic.objects.filter(pk=source.pk).update(hidden=True, closed=True, merged_into=target, reply_count=0,
                                              like_count=0, last_post_number=0)
    if source_live:
        Category.objects.filter(pk=source.category_id).update(topic_count=Greatest(F("topic_count") - 1, 0),
                                                              post_count=Greatest(F("post_count") - moved, 0))
    if target_live:
        Category.objects.filter(pk=target.category_id).update(post_count=F("post_count") + moved)
    _log(actor, ModerationAction.MERGE, item=target, member=source.author, detail=f"#{source.pk} {source.title}"[:300])
    return target
