import functools
import hashlib
import time
from datetime import UTC, datetime, timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.pagecache import part_kept

from ..cache import FORUM_VERSION_KEY, member_scope, page_shows_forum, topic_scope
from ..markup import plain_words
from ..selectors import member_activity, topics_mentioning_product

register = template.Library()

SNIPPET_CHARS = 80


@register.inclusion_tag("forum/includes/member_activity.html", takes_context=True)
def forum_activity(context, member):
    """A member's latest topics and replies in the forum, for their profile (two queries). Each
    reply comes with its snippet: the member's own words as plain text, without what they quoted."""
    request = context.get("request")
    topics, posts = member_activity(getattr(request, "user", None), member)
    replies = [(post, Truncator(plain_words(post.body)).chars(SNIPPET_CHARS)) for post in posts]
    return {"member": member, "topics": topics, "replies": replies}


@register.inclusion_tag("forum/includes/product_topics.html", takes_context=True)
def product_topics(context, product, limit=4):
    """Forum topics with a visible post that links to the product (one query). The page shows those
    topics: a change to one (a new title, hidden, moved) changes it; a new mention moves the
    product's own scope (community.forum.product_links)."""
    request = context.get("request")
    topics = topics_mentioning_product(getattr(request, "user", None), product.pk, limit)
    if request is not None:
        page_shows_forum(request, *[topic_scope(topic.pk) for topic in topics])
    return {"topics": topics, "product": product}


# --- A topic's posts, each rendered once per change ----------------------------------------------

POST_TEMPLATE = "forum/includes/post.html"
POST_BLOCK_SECONDS = 24 * 3600
# Rendered into a kept block in place of what differs per request, and put back on each use: the
# age of the post ("3 minutes ago") and the viewer's CSRF token. A NUL never reaches a post body
# (forms refuse it, PostgreSQL cannot store it), so neither marker can come from a member's words.
WHEN_MARK = "\x00when\x00"
CSRF_MARK = "\x00csrf\x00"


@functools.cache
def _template_digest(engine):
    """The post template's source, hashed: a deploy that changes it renders every post again."""
    source = engine.get_template(POST_TEMPLATE).source
    return hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]


def _post_key(post, context, badges, digest):
    """Every value post.html reads, as a cache key: the post's own state (its body by digest, its
    moderation, likes and number), its author's name, avatar and badges, and how the viewer may act
    on it. A change to any of them is a new key; nothing is invalidated, and no version is read."""
    author, reply_to, topic = post.author, post.reply_to if post.reply_to_id else None, context.get("topic")
    parts = (
        digest, translation.get_language(), post.pk, post.number, post.created_at, post.edited_at, post.hidden,
        post.approved, post.is_deleted, hashlib.sha1(post.body_html.encode(), usedforsecurity=False).hexdigest(),
        getattr(post, "is_solution", False), getattr(post, "liked", False), post.like_count,
        getattr(post, "can_like", False), getattr(post, "can_solve", False), getattr(post, "can_edit", False),
        getattr(post, "can_delete", False), getattr(post, "can_report", False),
        (reply_to.number, reply_to.author.public_name) if reply_to is not None else None,
        author.pk, author.public_name, author.is_deleted, author.is_staff, author.get_absolute_url(), author.initial,
        author.avatar.name if author.avatar else "", sorted((author.avatar_renditions or {}).items(), key=str),
        (badges or {}).get(author.pk),
        topic.pk if topic else None, topic.get_absolute_url() if topic else None, topic.slug if topic else None,
        context.get("page"), bool(context.get("can_reply")), bool(context.get("can_moderate")),
    )
    return "forum:post-block:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


# "3 days, 4 hours ago" for a post over an hour old changes at most once an hour: its text is made
# once and reused for WHEN_REUSE_SECONDS (a worker makes ~20 such texts a topic page otherwise, each
# a dozen translation lookups). Younger posts ("5 minutes ago") are made every time.
WHEN_REUSE_SECONDS = 30
WHEN_REUSED_AT_MOST = 4096
_when_made = {}


def post_when(value):
    """naturaltime(value), in the active language."""
    if datetime.now(UTC) - value < timedelta(hours=1):
        return naturaltime(value)
    key, now = (value, translation.get_language()), time.monotonic()
    made = _when_made.get(key)
    if made is None or made[0] < now:
        if len(_when_made) >= WHEN_REUSED_AT_MOST:
            _when_made.clear()
        made = _when_made[key] = (now + WHEN_REUSE_SECONDS, str(naturaltime(value)))
    return made[1]


# What a viewer may do with a post (views.topic._decorate_posts), part of what a kept page varies on.
POST_RIGHTS = ("can_like", "can_solve", "can_edit", "can_delete", "can_report", "is_solution")


@register.simple_tag(takes_context=True)
def forum_post_items(context, posts, badges=None):
    """The posts of a topic page as <li> items, each post's block (forum/includes/post.html) kept in
    the cache under everything it shows (_post_key): one cache round trip for the page, and only the
    posts that changed are rendered. `badges`: {member id: signature} of the authors' badges
    (play_tags.badges_signatures).

    The page's blocks are also kept as one part (core.pagecache.part_kept) under the scopes of what
    they show (the topic, the forum, the authors and those they answer, whose names and badges
    show), varying on what the viewer may do with each post and which they liked: every visitor who
    is not signed in shares one, and a member's is made again only when the topic, those members or
    their own likes and rights change. A kept page costs one cache read and each post's age."""
    if not posts:
        return ""
    request, topic = context.get("request"), context.get("topic")
    if request is None or topic is None:
        blocks = _post_blocks(context, posts, badges)
    else:
        shown = {post.author_id for post in posts} | {post.reply_to.author_id for post in posts if post.reply_to_id}
        scopes = [FORUM_VERSION_KEY, topic_scope(topic.pk), *(member_scope(pk) for pk in sorted(shown))]
        rights = repr((bool(context.get("can_reply")), bool(context.get("can_moderate")), [
            (post.pk, getattr(post, "liked", False), *(getattr(post, name, False) for name in POST_RIGHTS))
            for post in posts]))
        viewer = hashlib.sha1(rights.encode(), usedforsecurity=False).hexdigest()
        digest = _template_digest(context.template.engine)
        blocks = part_kept(request, "forum:post-blocks", [topic.pk, context.get("page"), digest, viewer], scopes,
                           lambda: _post_blocks(context, posts, badges))
    items, token = [], None
    for created_at, block in blocks:
        block = block.replace(WHEN_MARK, conditional_escape(post_when(created_at)), 1)
        if CSRF_MARK in block:
            token = token if token is not None else conditional_escape(str(context.get("csrf_token", "")))
            block = block.replace(CSRF_MARK, token)
        items.append(f"<li>{block}</li>")
    return mark_safe("".join(items))  # noqa: S308 - rendered by the template engine, with escaping


def _post_blocks(context, posts, badges):
    """[(created_at, block)] of `posts`, each block with the marks in place of its age and the CSRF
    token; made for the posts whose block is not kept."""
    template = context.template.engine.get_template(POST_TEMPLATE)
    digest = _template_digest(context.template.engine)
    keys = [_post_key(post, context, badges, digest) for post in posts]
    found = cache.get_many(keys)
    made, blocks = {}, []
    for post, key in zip(posts, keys, strict=True):
        block = found.get(key)
        if block is None:
            with context.push(post=post, post_when=WHEN_MARK, csrf_token=CSRF_MARK):
                block = made[key] = template.render(context)
        blocks.append((post.created_at, block))
    if made:
        cache.set_many(made, POST_BLOCK_SECONDS)
    return blocks
