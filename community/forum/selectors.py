"""Reads of the forum, each a fixed number of queries whatever the number of rows shown.

Topic pages are cut by post number, not by counting rows: page k shows posts numbered
(k-1)*POSTS_PER_PAGE+1 .. k*POSTS_PER_PAGE, so the page of post N is known without a query and
every post keeps a stable URL (/forum/t/<slug>/<id>/<N>/ goes to that page's #post-N). The rules
for ?page= values are core.pagination's."""

import re

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from core.pagination import page_count, page_or_404, paginate

from .models import (
    Category,
    Post,
    PostLike,
    ProductMention,
    SubscriptionLevel,
    Topic,
    TopicReadState,
    TopicSubscription,
)
from .permissions import is_member, posts_visible_to, visible_categories, visible_topics

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30
INDEX_LATEST = 10
FEED_ITEMS = 30
CATEGORY_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _with_read_state(topics, user):
    if not is_member(user):
        return topics
    read = TopicReadState.objects.filter(member=user, topic=OuterRef("pk")).values("last_read_number")[:1]
    level = TopicSubscription.objects.filter(member=user, topic=OuterRef("pk")).values("level")[:1]
    return topics.annotate(last_read_number=Subquery(read), subscription_level=Subquery(level))


def _topic_rows(topics, user):
    topics = topics.select_related("category", "category__parent", "author", "last_poster").prefetch_related("tags")
    return _with_read_state(topics, user)


def decorate_unread(topics, user):
    """Set `unread` (posts after the member's read position), `is_new` (never opened) and
    `first_unread` on each topic. Muted topics count nothing."""
    for topic in topics:
        last_read = getattr(topic, "last_read_number", None)
        topic.is_new = is_member(user) and last_read is None
        topic.unread = 0 if last_read is None else max(0, topic.last_post_number - last_read)
        if getattr(topic, "subscription_level", None) == SubscriptionLevel.MUTED:
            topic.unread, topic.is_new = 0, False
        topic.first_unread = (last_read or 0) + 1
    return topics


def forum_index(user):
    """Top-level categories with their sub-categories and latest topic, and the latest topics."""
    latest = visible_topics(user).filter(category=OuterRef("pk")).order_by("-last_posted_at")
    categories = list(
        visible_categories(user).filter(parent__isnull=True)
        .annotate(latest_topic_title=Subquery(latest.values("title")[:1]),
                  latest_topic_pk=Subquery(latest.values("pk")[:1]),
                  latest_topic_slug=Subquery(latest.values("slug")[:1]))
        .prefetch_related(Prefetch("children", queryset=visible_categories(user).order_by("position", "name")))
    )
    topics = decorate_unread(list(_topic_rows(visible_topics(user), user).order_by("-last_posted_at")[:INDEX_LATEST]), user)
    return categories, topics


def category_colours():
    """[(pk, colour), ...] of every category whose colour is a plain #rrggbb, for the forum's
    stylesheet of category colours (the colours are no secret, so hidden categories are in it too)."""
    return [(pk, colour) for pk, colour in Category.objects.order_by("pk").values_list("pk", "colour")
            if CATEGORY_COLOUR.fullmatch(colour)]


def category_get(user, slug):
    category = Category.objects.select_related("parent").filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def category_topics(user, category, page):
    """Pinned topics first, then by latest activity; topics of its sub-categories too. The
    categories are named by id, so the (category, pinned, last posted) index serves the page, and
    the page count comes from the categories' stored topic counts, with no COUNT over the topics."""
    # Only the sub-categories this user may see: a visitor's page count and total must not include
    # (or reveal the number of) topics in a members-only sub-category.
    family = list(visible_categories(user).filter(Q(pk=category.pk) | Q(parent=category)).values_list("pk", "topic_count"))
    topics = visible_topics(user).filter(category_id__in=[pk for pk, _count in family])
    rows = _topic_rows(topics, user).order_by("-pinned", "-last_posted_at", "-pk")
    result = paginate(rows, page, TOPICS_PER_PAGE, count=sum(count for _pk, count in family))
    decorate_unread(result.object_list, user)
    return result


LISTS = {
    "latest": lambda topics: topics,
    "unanswered": lambda topics: topics.filter(reply_count=0, closed=False, locked=False),
    "solved": lambda topics: topics.filter(solution__isnull=False),
}


def topic_list(user, kind, page):
    rows = _topic_rows(LISTS[kind](visible_topics(user)), user).order_by("-last_posted_at", "-pk")
    result = paginate(rows, page, TOPICS_PER_PAGE)
    decorate_unread(result.object_list, user)
    return result


def tag_topics(user, name, page):
    """The topics tagged `name` (any case) that `user` may see, by latest activity."""
    rows = _topic_rows(visible_topics(user).filter(tags__name__iexact=name), user).order_by("-last_posted_at", "-pk")
    result = paginate(rows, page, TOPICS_PER_PAGE)
    decorate_unread(result.object_list, user)
    return result


MERGE_CANDIDATES = 10


def merge_candidates(topic, query):
    """Topics a moderator may merge `topic` into, found by words of their title (or by number):
    the newest first, at most MERGE_CANDIDATES."""
    topics = Topic.objects.filter(deleted_at__isnull=True, merged_into__isnull=True).exclude(pk=topic.pk)
    if query.isdigit():
        topics = topics.filter(pk=int(query[:18]))
    else:
        for word in query.split()[:6]:
            topics = topics.filter(title__icontains=word)
    return list(topics.select_related("category").order_by("-last_posted_at", "-pk")[:MERGE_CANDIDATES])


def topic_get(pk):
    topic = (Topic.objects.select_related("category", "category__parent", "author", "solution", "solution__author")
             .defer("author__password", "solution__author__password").prefetch_related("tags").filter(pk=pk).first())
    if topic is None:
        raise Http404
    return topic


def topic_page_count(topic):
    return page_count(topic.last_post_number, POSTS_PER_PAGE)


def page_of_post(number):
    return page_count(number, POSTS_PER_PAGE)


def topic_posts(user, topic, page):
    """The posts of one page of a topic as `user` may see them, with their authors and whether
    `user` liked each: (posts, page number, page count)."""
    posts, page, pages = _page_posts(posts_visible_to(user, topic), topic, page)
    posts_mark_liked(user, topic, posts)
    return posts, page, pages


def topic_page_posts(topic, page, *, everything=False):
    """The posts of one page of a topic as everyone sees them (`everything`: as moderators do, hidden
    and unapproved ones too), with their authors: (posts, page number, page count). Made to be kept
    in the cache for every visitor: the authors' password hashes are not read."""
    posts = Post.objects.filter(topic=topic) if everything else Post.objects.filter(topic=topic).visible()
    return _page_posts(posts.defer("author__password", "reply_to__author__password"), topic, page)


def _page_posts(posts, topic, page):
    pages = topic_page_count(topic)
    page = page_or_404(page, pages)
    low, high = (page - 1) * POSTS_PER_PAGE + 1, page * POSTS_PER_PAGE
    posts = list(posts.filter(number__gte=low, number__lte=high).select_related("author", "reply_to__author")
                 .order_by("number"))
    for post in posts:
        post.topic = topic  # the permission checks read the topic: no query per post
    return posts, page, pages


def posts_mark_liked(user, topic, posts):
    """Set `liked` on each post: whether `user` liked it (one query for a member, none otherwise)."""
    liked = set()
    if is_member(user) and posts:
        liked = set(PostLike.objects.filter(member=user, post__in=[p.pk for p in posts]).values_list("post_id", flat=True))
    for post in posts:
        post.liked = post.pk in liked
        post.topic = topic


def read_state(user, topic_pk):
    """(last read number or None, subscription level or None) of `user` in the topic: one query."""
    if not is_member(user):
        return None, None
    row = Topic.objects.filter(pk=topic_pk).annotate(
        last_read=Subquery(TopicReadState.objects.filter(member=user, topic=OuterRef("pk")).values("last_read_number")[:1]),
        level=Subquery(TopicSubscription.objects.filter(member=user, topic=OuterRef("pk")).values("level")[:1]),
    ).values("last_read", "level").first()
    return (row["last_read"], row["level"]) if row else (None, None)


def category_watched(user, category):
    return is_member(user) and category.subscriptions.filter(member=user).exists()


def member_activity(viewer, member, limit=10):
    """A member's latest topics and replies, as `viewer` may see them: two queries."""
    topics = list(visible_topics(viewer).filter(author=member).select_related("category").order_by("-created_at")[:limit])
    posts = Post.objects.filter(author=member, number__gt=1, deleted_at__isnull=True).visible()
    posts = posts.filter(topic__in=visible_topics(viewer)).select_related("topic").order_by("-created_at")[:limit]
    return topics, list(posts)


def feed_topics(user, category=None):
    topics = visible_topics(user).select_related("category", "author")
    if category is not None:
        topics = topics.filter(Q(category=category) | Q(category__parent=category))
    return topics.order_by("-created_at")[:FEED_ITEMS]


def first_unread_number(user, topic):
    if not is_member(user):
        return 1
    state = TopicReadState.objects.filter(member=user, topic=topic).values_list("last_read_number", flat=True).first()
    return min((state or 0) + 1, topic.last_post_number)


def post_get(pk):
    post = Post.objects.select_related("topic", "topic__category", "topic__category__parent", "author").filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def forum_search(user, query, limit):
    """Topics (by title) and posts (by text) matching `query` that `user` may see: two searches
    on Wagtail's search backend, each at most `limit` hits. Returns (topics, posts)."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    categories = list(visible_categories(user).values_list("pk", flat=True))
    live = {"hidden": False, "approved": True, "deleted_at__isnull": True}
    topics = list(backend.search(query, Topic.objects.filter(category_id__in=categories, **live))[:limit])
    posts = backend.search(query, Post.objects.filter(**live).select_related("topic"))[:limit]
    posts = [p for p in posts if p.topic.category_id in categories and not (p.topic.hidden or p.topic.deleted_at)
             and p.topic.approved]
    return topics, posts


def latest_topics(user, limit=5):
    """The topics with the newest activity, for the home page's community strip: one query."""
    return list(visible_topics(user).select_related("category").order_by("-last_posted_at")[:limit])


def topics_mentioning_product(user, product_id, limit=4):
    """Topics the user may read with a visible post that links to the product, newest activity
    first: one query (the mention index, then the topics)."""
    mentions = ProductMention.objects.filter(
        product_id=product_id, post__hidden=False, post__approved=True, post__deleted_at__isnull=True)
    return list(visible_topics(user).filter(pk__in=mentions.values("post__topic_id"))
                .select_related("category").order_by("-last_posted_at")[:limit])
