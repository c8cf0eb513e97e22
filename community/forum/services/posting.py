"""Writing posts: new topics, replies (numbered under the topic's row lock), edits with revisions, soft
deletes, and pictures. Content rules: the same text twice, new members' links, approval."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from community.moderation import services as moderation
from community.moderation.models import Resolution
from core.renditions import renditions_schedule

from ..app_settings import app_settings
from ..cache import forum_changed, topic_changed
from ..markup import count_links, members_for_mentions, pictures_for_markdown, render_markdown
from ..models import (
    Category,
    ModerationAction,
    Post,
    PostRevision,
    SubscriptionLevel,
    Topic,
    TopicReadState,
    TopicSubscription,
    Upload,
)
from ..product_links import mentions_sync
from ..ratelimit import is_new_member

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
    from ..tasks import post_notify

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
    mentions_sync(post)
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
        mentions_sync(post)
        forum_changed(topics=[topic.pk], categories=[locked.category_id], lists=True)
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
        mentions_sync(post)
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
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.deleted_at:
        return post
    was_live = post.approved and not post.hidden
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    topic_changed(topic)
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
    from ..tasks import solution_removed_notify

    transaction.on_commit(lambda: solution_removed_notify.enqueue(topic.pk, post.pk, actor.pk))


def upload_add(member, picture, alt=""):
    """Store a checked picture (core.images.image_process(...).content) for `member` and return the
    Markdown that shows it in a post; its renditions are made in the background."""
    upload = Upload(member=member)
    upload.file.save(picture.name, picture, save=True)
    renditions_schedule(upload, "file", "renditions", "forum_picture")
    alt = " ".join(str(alt).split()).replace("[", "(").replace("]", ")") or _("picture")
    return f"![{alt}]({upload.file.url})"
