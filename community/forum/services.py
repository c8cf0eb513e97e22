"""Writes of the forum. Views call these; each checks nothing about permissions (the views ask
community.forum.permissions first) but enforces the rules of the data: post numbers given out
under the topic's row lock, counters moved with F() in the same transaction (every action keeps
every counter right: `forum_recount` finds nothing to correct), likes made once by a unique
constraint, and every moderator action written to the one moderation log (community.moderation),
which also closes the post's open reports and tells its author.

A category counts its live topics (approved, not hidden, not deleted) and their live posts; a
topic counts its live replies whatever its own state."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from community.moderation import services as moderation
from community.moderation.models import Resolution
from core.renditions import renditions_schedule

from .app_settings import app_settings
from .cache import forum_changed, read_changed
from .markup import count_links, members_for_mentions, pictures_for_markdown, render_markdown
from .models import (
    Category,
    CategorySubscription,
    ModerationAction,
    Post,
    PostLike,
    PostRevision,
    SubscriptionLevel,
    Topic,
    TopicReadState,
    TopicSubscription,
    Upload,
)
from .ratelimit import is_new_member

DUPLICATE_WINDOW = timedelta(minutes=10)
NEW_MEMBER_MAX_LINKS = 2


class ForumError(Exception):
    """A rule of the forum refused the write; the message is for the member."""


@dataclass
class Rendered:
    html: str
    mentioned: dict


def render(body):
    mentioned = members_for_mentions(body)
    return Rendered(render_markdown(body, mentioned, pictures_for_markdown(body)), mentioned)


def topic_slug(title):
    return slugify(title, allow_unicode=True)[:140].strip("-") or "topic"


def _normalised(body):
    return re.sub(r"\s+", " ", body).strip().casefold()


def _check_content(author, body):
    """Refuse a post the same member just made, and too many links from a new member."""
    since = timezone.now() - DUPLICATE_WINDOW
    recent = Post.objects.filter(author=author, created_at__gte=since, deleted_at__isnull=True).values_list("body", flat=True)
    if any(_normalised(text) == _normalised(body) for text in recent[:20]):
        raise ForumError(_("You have just posted this. Say something new, or edit your earlier post."))
    if is_new_member(author) and count_links(body) > NEW_MEMBER_MAX_LINKS:
        raise ForumError(_("New members can add up to %(n)d links to a post. Try again once you have posted a few times.")
                         % {"n": NEW_MEMBER_MAX_LINKS})


def _live(topic):
    """Whether the topic is counted in its category."""
    return topic.approved and not topic.hidden and not topic.deleted_at


def _live_posts(topic_id):
    """The topic's posts a category counts when the topic is live."""
    return Post.objects.filter(topic_id=topic_id, approved=True, hidden=False, deleted_at__isnull=True).count()


def _needs_approval(author):
    return app_settings.APPROVE_NEW_MEMBERS and is_new_member(author)


def _watch(member, topic):
    """Posting in a topic watches it, unless the member muted it."""
    TopicSubscription.objects.get_or_create(member=member, topic=topic, defaults={"level": SubscriptionLevel.WATCHING})


def _after_commit_notify(post, event):
    from .tasks import post_notify

    transaction.on_commit(lambda: post_notify.enqueue(post.pk, event))


@transaction.atomic
def topic_create(author, category, *, title, body, tags=()):
    """A new topic with its opening post (number 1). The topic and the post wait for a moderator
    when new members' first posts need approval."""
    title = " ".join(title.split())
    _check_content(author, body)
    rendered = render(body)
    approved = not _needs_approval(author)
    now = timezone.now()
    topic = Topic.objects.create(category=category, title=title, slug=topic_slug(title), author=author, created_at=now,
                                 last_posted_at=now, last_poster=author, approved=approved)
    post = Post.objects.create(topic=topic, number=1, author=author, body=body, body_html=rendered.html, created_at=now,
                               approved=approved)
    if tags:
        topic.tags.set(list(tags))
    if approved:
        Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1,
                                                       last_posted_at=now)
    _watch(author, topic)
    TopicReadState.objects.create(member=author, topic=topic, last_read_number=1)
    if approved:
        _after_commit_notify(post, "topic")
    return topic


def post_reply(author, topic, *, body, reply_to=None):
    """A reply: the next post number of the topic, taken under the topic's row lock so replies
    posted at once get distinct numbers (the unique (topic, number) constraint backs it)."""
    _check_content(author, body)
    rendered = render(body)
    approved = not _needs_approval(author)
    with transaction.atomic():
        locked = Topic.objects.select_for_update().only(
            "pk", "last_post_number", "category_id", "approved", "hidden", "deleted_at").get(pk=topic.pk)
        number = locked.last_post_number + 1
        now = timezone.now()
        post = Post.objects.create(topic_id=topic.pk, number=number, author=author, body=body, body_html=rendered.html,
                                   reply_to=reply_to if reply_to and reply_to.topic_id == topic.pk else None,
                                   created_at=now, approved=approved)
        changes = {"last_post_number": number}
        if approved:
            changes.update(reply_count=F("reply_count") + 1, last_posted_at=now, last_poster=author)
            if _live(locked):
                Category.objects.filter(pk=locked.category_id).update(post_count=F("post_count") + 1, last_posted_at=now)
        Topic.objects.filter(pk=topic.pk).update(**changes)
        forum_changed()
        _watch(author, topic)
        TopicReadState.objects.update_or_create(member=author, topic_id=topic.pk, defaults={"last_read_number": number})
        if approved:
            _after_commit_notify(post, "reply")
    topic.last_post_number = number
    post.topic = topic
    return post


@transaction.atomic
def post_edit(editor, post, *, body, title=None, tags=None):
    """Change a post's text; the old text is kept as a revision for moderators. The topic's title
    and tags change with its opening post."""
    if body != post.body:
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        rendered = render(body)
        old_mentions = set(members_for_mentions(post.body))
        post.body, post.body_html, post.edited_at = body, rendered.html, timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        if set(rendered.mentioned) - old_mentions and post.approved and not post.hidden:
            _after_commit_notify(post, "edit")
    if post.number == 1:
        topic = post.topic
        if title is not None and " ".join(title.split()) != topic.title:
            topic.title = " ".join(title.split())
            topic.slug = topic_slug(topic.title)
            topic.save(update_fields=["title", "slug"])
        if tags is not None:
            topic.tags.set(list(tags))
    return post


@transaction.atomic
def post_delete(actor, post):
    """Soft delete: the post stays as a placeholder so numbers and quotes keep their place. The
    opening post takes its topic with it. A deleted answer is no longer the answer."""
    forum_changed()
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.deleted_at:
        return post
    was_live = post.approved and not post.hidden
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if post.number == 1 and _live(topic):
        Category.objects.filter(pk=topic.category_id).update(topic_count=Greatest(F("topic_count") - 1, 0),
                                                             post_count=Greatest(F("post_count") - _live_posts(topic.pk), 0))
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    if post.number == 1:
        topic.deleted_at = post.deleted_at
        topic.save(update_fields=["deleted_at"])
    elif was_live:
        Topic.objects.filter(pk=topic.pk).update(reply_count=Greatest(F("reply_count") - 1, 0))
        if _live(topic):
            Category.objects.filter(pk=topic.category_id).update(post_count=Greatest(F("post_count") - 1, 0))
    _solution_clear(actor, topic, post)
    if actor.pk != post.author_id:
        moderation.reports_resolve(actor, post, Resolution.DELETED)
        moderation.author_notify(moderation.log_add(actor, ModerationAction.DELETE_POST, item=post, member=post.author))
    post.topic = topic
    return post


def _solution_clear(actor, topic, post):
    """A hidden or deleted reply is no longer the topic's answer; the topic's starter is told."""
    if topic.solution_id != post.pk:
        return
    Topic.objects.filter(pk=topic.pk, solution=post).update(solution=None)
    topic.solution = None
    from .tasks import solution_removed_notify

    transaction.on_commit(lambda: solution_removed_notify.enqueue(topic.pk, post.pk, actor.pk))


def post_like(member, post):
    """Like a post once; a second like changes nothing. Returns True if this call liked it."""
    try:
        with transaction.atomic():
            PostLike.objects.create(post=post, member=member)
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            Topic.objects.filter(pk=post.topic_id).update(like_count=F("like_count") + 1)
            forum_changed()
    except IntegrityError:
        return False
    _after_commit_notify_like(post, member)
    return True


def _after_commit_notify_like(post, member):
    from .tasks import like_notify

    transaction.on_commit(lambda: like_notify.enqueue(post.pk, member.pk))


@transaction.atomic
def post_unlike(member, post):
    forum_changed()
    deleted, _rows = PostLike.objects.filter(post=post, member=member).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(like_count=Greatest(F("like_count") - 1, 0))
        Topic.objects.filter(pk=post.topic_id).update(like_count=Greatest(F("like_count") - 1, 0))
    return bool(deleted)


@transaction.atomic
def topic_mark_solved(actor, topic, post):
    """Mark `post` (a reply of this topic) as the answer; None clears it."""
    forum_changed()
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or post.is_deleted or post.hidden):
        raise ForumError(_("Only a reply in this topic can be the answer."))
    Topic.objects.filter(pk=topic.pk).update(solution=post)
    topic.solution = post
    if post is not None:
        from .tasks import solved_notify

        transaction.on_commit(lambda: solved_notify.enqueue(topic.pk, post.pk, actor.pk))
    return topic


def topic_watch(member, topic, level):
    """Watch or mute a topic; level None goes back to normal."""
    if level is None:
        TopicSubscription.objects.filter(member=member, topic=topic).delete()
    else:
        TopicSubscription.objects.update_or_create(member=member, topic=topic, defaults={"level": level})


def category_watch(member, category, watching):
    if watching:
        CategorySubscription.objects.get_or_create(member=member, category=category)
    else:
        CategorySubscription.objects.filter(member=member, category=category).delete()


def read_position_update(member, topic, number, known=None):
    """Move the member's read position forward to `number` (never back); True if it moved.
    `known` is the position read with the page, so an unchanged position costs no query."""
    if known is not None and known >= number:
        return False
    updated = TopicReadState.objects.filter(member=member, topic=topic, last_read_number__lt=number).update(
        last_read_number=number)
    if not updated:
        try:
            with transaction.atomic():
                TopicReadState.objects.create(member=member, topic=topic, last_read_number=number)
        except IntegrityError:  # a row that was already further along, or made by another tab at once
            return False
    read_changed(member.pk)
    return True


def upload_add(member, picture, alt=""):
    """Store a checked picture (core.images.image_process(...).content) for `member` and return the
    Markdown that shows it in a post; its renditions are made in the background."""
    upload = Upload(member=member)
    upload.file.save(picture.name, picture, save=True)
    renditions_schedule(upload, "file", "renditions", "forum_picture")
    alt = " ".join(str(alt).split()).replace("[", "(").replace("]", ")") or _("picture")
    return f"![{alt}]({upload.file.url})"


# --- moderation -------------------------------------------------------------------------------

def _log(actor, action, *, item, member=None, detail=""):
    return moderation.log_add(actor, action, item=item, member=member, detail=detail)


@transaction.atomic
def post_set_hidden(actor, post, hidden, reason=""):
    """Hide a post from everyone but moderators, or show it again. Hiding the opening post hides
    its topic; hiding the answer clears it. Closes the post's open reports and tells its author."""
    forum_changed()
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.hidden == hidden:
        return post
    if post.number == 1 and hidden:  # the topic leaves its category while the post still counts
        topic_set_flag(actor, post.topic, "hidden", True, reason=reason)
    post.hidden = hidden
    post.save(update_fields=["hidden"])
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
    forum_changed()
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.approved:
        return post
    post.approved = True
    post.save(update_fields=["approved"])
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
    forum_changed()
    if (flag, value) not in FLAG_ACTIONS:
        raise ForumError(_("Unknown moderation action."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
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
    forum_changed()
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
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
    forum_changed()
    if source.pk == target.pk:
        raise ForumError(_("A topic cannot be merged into itself."))
    first, second = sorted([source.pk, target.pk])
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
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


# --- counters -------------------------------------------------------------------------------

def counters_recount():
    """Recompute every counter from the rows (manage.py forum_recount). Returns the rows fixed."""
    from django.db.models import Count, Q

    fixed = 0
    live_posts = Q(posts__approved=True, posts__hidden=False, posts__deleted_at__isnull=True)
    for topic in Topic.objects.annotate(
        visible=Count("posts", filter=live_posts & Q(posts__number__gt=1), distinct=True),
        likes=Count("posts__likes", distinct=True),
        top=Max("posts__number"),
    ).iterator():
        if (topic.reply_count, topic.like_count, topic.last_post_number) != (topic.visible, topic.likes, topic.top or 0):
            Topic.objects.filter(pk=topic.pk).update(reply_count=topic.visible, like_count=topic.likes,
                                                     last_post_number=topic.top or 0)
            fixed += 1
    for post in Post.objects.annotate(n=Count("likes")).exclude(like_count=F("n")).only("pk").iterator():
        Post.objects.filter(pk=post.pk).update(like_count=post.n)
        fixed += 1
    live_topics = Topic.objects.live()
    for category in Category.objects.all():
        topics = live_topics.filter(category=category)
        topic_count = topics.count()
        post_count = Post.objects.filter(topic__in=topics, approved=True, hidden=False, deleted_at__isnull=True).count()
        if (category.topic_count, category.post_count) != (topic_count, post_count):
            Category.objects.filter(pk=category.pk).update(topic_count=topic_count, post_count=post_count)
            fixed += 1
    return fixed
