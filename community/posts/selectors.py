"""Reading photo posts: the wall (newest, popular this week), a hashtag's posts, a member's posts,
one post with what its page shows, and the trending hashtags. Lists are cursor-paginated
(core.pagination.cursor_paginate) and cost the same number of queries whatever they show."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.pagination import cursor_paginate
from core.versions import version_get

from .app_settings import app_settings
from .cache import WALL_SCOPE
from .hashtags import hashtag_key
from .models import Comment, Hashtag, Post, PostLike, PostPhoto, TaggedPost
from .permissions import visible_posts

NEWEST = ["-created_at", "-id"]
POPULAR = ["-week_score", "-id"]


def _first_photo():
    """Only the first photo of each post (a tile shows one): one query for the whole page."""
    return Prefetch("photos", queryset=PostPhoto.objects.filter(position=0), to_attr="first_photos")


def posts_for_tiles(queryset):
    """What a tile (posts/includes/post_card.html) needs: author, first photo. Two queries per page."""
    return queryset.select_related("author").prefetch_related(_first_photo())


def wall_newest(user, cursor=None, per_page=None):
    return cursor_paginate(posts_for_tiles(visible_posts(user)), cursor, per_page or app_settings.PER_PAGE, NEWEST)


def _week_since():
    return timezone.now() - timedelta(days=app_settings.TRENDING_DAYS)


def wall_popular(user, cursor=None, per_page=None):
    """Posts with likes or comments in the last 7 days, most of both first (then newest)."""
    since = _week_since()
    likes = PostLike.objects.filter(created_at__gte=since)
    comments = Comment.objects.filter(created_at__gte=since, hidden=False, deleted_at__isnull=True)

    def counted(rows):
        return Coalesce(Subquery(rows.filter(post=OuterRef("pk")).order_by().values("post")
                                 .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))

    posts = (visible_posts(user)
             .filter(Q(pk__in=likes.values("post")) | Q(pk__in=comments.values("post")))
             .annotate(week_score=counted(likes) + counted(comments)))
    return cursor_paginate(posts_for_tiles(posts), cursor, per_page or app_settings.PER_PAGE, POPULAR)


def hashtag_get(key):
    """The hashtag whose key is `key` (or that `key` normalises to), else Http404."""
    tag = Hashtag.objects.filter(key=hashtag_key(key)).first()
    if tag is None:
        raise Http404
    return tag


def hashtag_posts(user, hashtag, cursor=None, per_page=None):
    posts = visible_posts(user).filter(pk__in=TaggedPost.objects.filter(tag=hashtag).values("content_object"))
    return cursor_paginate(posts_for_tiles(posts), cursor, per_page or app_settings.PER_PAGE, NEWEST)


def member_posts(user, member, cursor=None, per_page=None):
    posts = visible_posts(user).filter(author=member)
    return cursor_paginate(posts_for_tiles(posts), cursor, per_page or app_settings.PER_PAGE, NEWEST)


def post_get(pk):
    """One post with its author, photos, products, hashtags and look (four queries), else Http404."""
    post = (Post.objects.select_related("author", "look")
            .prefetch_related("photos",
                              Prefetch("product_links__product"),
                              Prefetch("tagged_items", queryset=TaggedPost.objects.select_related("tag").order_by("pk")))
            .filter(pk=pk).first())
    if post is None:
        raise Http404
    post.hashtags = [item.tag for item in post.tagged_items.all()]
    post.shop_products = [link.product for link in post.product_links.all() if link.product.active]
    return post


def trending_hashtags(limit=None):
    """The hashtags with most new live posts in the last POSTS_TRENDING_DAYS days, as
    [(Hashtag, recent count)]; kept in the cache for five minutes under the wall version."""
    limit = limit or app_settings.TRENDING_COUNT
    key = f"posts:trending:{version_get(WALL_SCOPE)}:{limit}"
    found = cache.get(key)
    if found is None:
        rows = (TaggedPost.objects.filter(content_object__created_at__gte=_week_since(),
                                          content_object__status=Post.Status.PUBLISHED,
                                          content_object__hidden=False)
                .values("tag").annotate(recent=Count("pk")).order_by("-recent", "tag")[:limit])
        counts = {row["tag"]: row["recent"] for row in rows}
        tags = Hashtag.objects.in_bulk(list(counts))
        found = [(tags[pk], n) for pk, n in counts.items() if pk in tags]
        cache.set(key, found, 300)
    return found


def post_count_live(member):
    return Post.objects.live().filter(author=member).count()


def posts_search(user, query, limit):
    """Live posts whose caption matches `query` (Wagtail's search backend), and the hashtags whose
    key is one of its words. Returns (posts, hashtags)."""
    from wagtail.search.backends import get_search_backend

    posts = list(get_search_backend().search(query, visible_posts(user).select_related("author"))[:limit])
    keys = {hashtag_key(word) for word in query.split()}
    hashtags = list(Hashtag.objects.filter(key__in=keys, post_count__gt=0).order_by("-post_count")[:limit]) if keys else []
    return posts, hashtags
