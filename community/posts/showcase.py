"""Photo posts shown off the wall: the CMS gallery block ("posts tagged X", "featured posts",
"posts with product Y"), the home page's "From our members" strip and a product page's "Seen on
members". Only featurable posts (Post.objects.featurable(): published, not hidden, and their author
granted the rights) ever appear there.

Cache versions (core.versions), so a change refreshes the pages that show it and nothing else:

- `posts:showcase:featured` moves when a featured post appears, changes or goes (featured,
  unfeatured, hidden, deleted, rights withdrawn). The home page depends on it alone;
- `posts:showcase` moves with it, and also when any featurable post appears, changes or goes:
  CMS pages (a gallery of "posts tagged X" may show it) depend on it;
- `posts:product:<slug>` moves when a featurable post tagging that product appears, changes or
  goes, or the product is added to or taken off a post: that product's page depends on it.

community.posts.cache.page_cache_scope asks showcase_cache_scope(path) which of them a page needs.
The moves come from the posts services' signals and from saves of Post rows (a snapshot taken when
the row is loaded tells whether it was shown before), so posts-social's feature, unfeature and
rights withdrawal need no call of their own as long as they save the row (`save()`, not
`QuerySet.update()`); code that updates rows in bulk calls showcase_touch() itself.
"""

import hashlib

from django.core.cache import cache

from core.versions import version_bump, version_get

from .models import Post, PostProduct, TaggedPost

SHOWCASE_VERSION_KEY = "posts:showcase"
FEATURED_VERSION_KEY = "posts:showcase:featured"
COUNT_MAX = 24  # the most a gallery block may show
HOME_COUNT = 6  # the home page's "From our members" strip
PRODUCT_COUNT = 6  # a product page's "Seen on members"
LIST_SECONDS = 300  # how long a list read here is kept (see _kept)


def product_version_key(slug):
    return f"posts:product:{slug}"


# --- reads -----------------------------------------------------------------------------------------

def _cards(queryset, limit):
    """Featurable posts for tiles (posts/includes/post_card.html): their author and first photo in
    two queries whatever the count (selectors.posts_for_tiles)."""
    from .selectors import posts_for_tiles

    limit = max(1, min(int(limit or 1), COUNT_MAX))
    return list(posts_for_tiles(queryset)[:limit])


def _kept(name, version_key, load):
    """`load()`'s list, kept in the cache under `version_key`'s version for LIST_SECONDS: a page that
    shows it costs no query while nothing it shows has changed (like and comment counts on the
    tiles may lag by that long)."""
    key = f"posts:showcase:list:{name}:{version_get(version_key)}"
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, LIST_SECONDS)
    return found


def posts_featured(limit=HOME_COUNT):
    """The newest featured posts first."""
    def load():
        return _cards(Post.objects.featurable().filter(featured_at__isnull=False).order_by("-featured_at", "-pk"), limit)

    return _kept(f"featured:{limit}", FEATURED_VERSION_KEY, load)


def posts_tagged(key, limit=HOME_COUNT):
    """The newest featurable posts under the hashtag whose normalised key is `key`."""
    from .hashtags import hashtag_key

    key = hashtag_key(key or "")
    if not key:
        return []
    def load():
        tagged = TaggedPost.objects.filter(tag__key=key).values("content_object")
        return _cards(Post.objects.featurable().filter(pk__in=tagged).order_by("-created_at", "-pk"), limit)

    return _kept(f"tag:{hashlib.sha256(key.encode()).hexdigest()[:32]}:{limit}", SHOWCASE_VERSION_KEY, load)


def posts_with_product(product, limit=PRODUCT_COUNT):
    """The newest featurable posts that tag `product` (a Product or its pk)."""
    if product is None:
        return []
    product_id = getattr(product, "pk", product)

    def load():
        linked = PostProduct.objects.filter(product_id=product_id).values("post")
        return _cards(Post.objects.featurable().filter(pk__in=linked).order_by("-created_at", "-pk"), limit)

    slug = getattr(product, "slug", None)
    if slug is None:
        return load()
    return _kept(f"product:{product_id}:{limit}", product_version_key(slug), load)


# --- cache versions --------------------------------------------------------------------------------

def _shown(post):
    return post.status == Post.Status.PUBLISHED and not post.hidden and post.rights_granted_at is not None


def _featured(post):
    return _shown(post) and post.featured_at is not None


def showcase_touch(post, *, was_shown=False, was_featured=False, product_slugs=None):
    """Move the versions of what shows (or showed) `post`: call inside the transaction of a change
    that the signals below do not see (a bulk update)."""
    shown, featured = _shown(post), _featured(post)
    if not (shown or was_shown):
        return
    version_bump(SHOWCASE_VERSION_KEY)
    if featured or was_featured:
        version_bump(FEATURED_VERSION_KEY)
    if product_slugs is None and post.pk is not None:
        product_slugs = post.products.values_list("slug", flat=True)
    for slug in set(product_slugs or ()):
        version_bump(product_version_key(slug))


def showcase_cache_scope(parts):
    """The showcase versions an anonymous page depends on, from its path's parts (language prefix
    already taken off): the home page the featured posts, a product page its own, any other page
    served by Wagtail (which may hold a gallery block) the showcase. Pure string work."""
    if not parts or parts == [""] or (len(parts) == 1 and parts[0] in _languages()):
        return (FEATURED_VERSION_KEY,)
    if parts[0] == "products":
        return (product_version_key(parts[1]),) if len(parts) == 2 and parts[1] else ()
    if parts[0] in NOT_WAGTAIL:
        return ()
    return (SHOWCASE_VERSION_KEY,)


def _languages():
    from django.conf import settings

    return {code for code, _name in settings.LANGUAGES}


# First path parts of the site's own (non-Wagtail) pages: none of them shows a gallery.
NOT_WAGTAIL = {"forum", "posts", "tags", "accounts", "members", "me", "r", "search", "newsletter", "healthz",
               "sitemap.xml", "robots.txt", "webhooks", "admin", "django-admin", "static", "media"}


# --- signals ---------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("status", "hidden", "rights_granted_at", "featured_at")


def _snapshot(sender, instance, **kwargs):
    """What a loaded row showed before any change (nothing for a new row). A row loaded with some
    of these fields deferred is taken as shown: reading them here would cost a query each."""
    if instance.pk is None:
        instance._showcase_was = (False, False)
    elif all(name in instance.__dict__ for name in SNAPSHOT_FIELDS):
        instance._showcase_was = (_shown(instance), _featured(instance))
    else:
        instance._showcase_was = (True, True)


def _saved(sender, instance, created, **kwargs):
    if created:
        return  # the create service's post_created signal comes once products and hashtags exist
    was_shown, was_featured = getattr(instance, "_showcase_was", (False, False))
    showcase_touch(instance, was_shown=was_shown, was_featured=was_featured)
    instance._showcase_was = (_shown(instance), _featured(instance))


def _created(sender, post, **kwargs):
    showcase_touch(post)


def _deleting(sender, post, **kwargs):
    showcase_touch(post, was_shown=_shown(post), was_featured=_featured(post))


def _product_link_gone(sender, instance, **kwargs):
    """A product taken off a post (an edit replaces the links): that product's page may show it."""
    from shop.models import Product

    slug = Product.objects.filter(pk=instance.product_id).values_list("slug", flat=True).first()
    if slug is not None:
        version_bump(product_version_key(slug))


def connect():
    from django.db.models.signals import post_delete, post_init, post_save

    post_init.connect(_snapshot, sender=Post, dispatch_uid="posts-showcase-snapshot")
    post_save.connect(_saved, sender=Post, dispatch_uid="posts-showcase-saved")
    post_delete.connect(_product_link_gone, sender=PostProduct, dispatch_uid="posts-showcase-product-link")
    try:
        from . import services
    except ImportError:  # pragma: no cover - before posts-core's services exist
        return
    for name, receiver in (("post_created", _created), ("post_deleting", _deleting)):
        signal = getattr(services, name, None)
        if signal is not None:
            signal.connect(receiver, dispatch_uid=f"posts-showcase-{name}")
