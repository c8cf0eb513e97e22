"""Photo posts shown off the wall: the CMS gallery block ("posts tagged X", "featured posts",
"posts with product Y"), the home page's "From our members" strip and a product page's "Seen on
members". Only featurable posts (Post.objects.featurable(): published, not hidden, and their author
granted the rights) ever appear there.

The pages that show them name these scopes (core.pagecache.page_depends) before reading, so a
change refreshes them and nothing else:

- FEATURED_SCOPE (`posts:showcase:featured`) moves when a featured post appears, changes or goes
  (featured, unfeatured, hidden, deleted, rights withdrawn): the home page's strip and the
  "featured posts" galleries;
- SHOWCASE_SCOPE (`posts:showcase`) moves when any featurable post appears, changes or goes: the
  "posts tagged X" galleries;
- a product's scope (shop.cache.product_scope) moves when a featurable post that tags the product
  appears, changes or goes, or the product is added to or taken off such a post: its page's "Seen
  on members" and the "posts with product Y" galleries.
The tiles' authors follow their member scopes; their like and comment counts follow none and lag
by at most LIST_SECONDS (the lists below are kept that long under their scope's version).

The moves come from the posts services' signals and from saves of Post rows (a snapshot taken when
a row is loaded tells whether it was shown before), so featuring, unfeaturing, hiding and rights
withdrawal need no call of their own as long as they save the row (`save()`, not
`QuerySet.update()`); code that updates rows in bulk calls showcase_touch() itself.
"""

import hashlib

from django.core.cache import cache

from community.forum.cache import member_scope
from core.pagecache import page_depends, page_max_age, scopes_changed
from core.versions import version_get
from shop.cache import product_scope

from .models import Post, PostProduct, TaggedPost

SHOWCASE_SCOPE = "posts:showcase"
FEATURED_SCOPE = "posts:showcase:featured"
COUNT_MAX = 24  # the most a gallery block may show
HOME_COUNT = 8  # the home page's "From our members" strip: two full rows of four (or four of two)
PRODUCT_COUNT = 6  # a product page's "Seen on members"
LIST_SECONDS = 300  # how long a list read here is kept (see _kept)


# --- reads -----------------------------------------------------------------------------------------

def _cards(queryset, limit):
    """Featurable posts for tiles (posts/includes/post_card.html): their author and first photo in
    two queries whatever the count (selectors.posts_for_tiles)."""
    from .selectors import posts_for_tiles

    limit = max(1, min(int(limit or 1), COUNT_MAX))
    return list(posts_for_tiles(queryset)[:limit])


def _kept(request, name, scope, load):
    """`load()`'s list, kept in the cache under `scope`'s version for LIST_SECONDS: a page that
    shows it costs no query while nothing it shows has changed (like and comment counts on the
    tiles may lag by that long). With a `request`, the page being rendered names the scope, and
    then the members shown, and keeps what it shows no longer than the list (a kept page or part of
    one, {% fragment %}, would otherwise keep the counts longer)."""
    if request is not None:
        page_depends(request, scope)
        page_max_age(request, LIST_SECONDS)
    key = f"posts:showcase:list:{name}:{version_get(scope)}"
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, LIST_SECONDS)
    if request is not None and found:
        page_depends(request, *[member_scope(pk) for pk in sorted({post.author_id for post in found})])
    return found


def posts_featured(limit=HOME_COUNT, request=None):
    """The newest featured posts first."""
    def load():
        return _cards(Post.objects.featurable().filter(featured_at__isnull=False).order_by("-featured_at", "-pk"), limit)

    return _kept(request, f"featured:{limit}", FEATURED_SCOPE, load)


def posts_tagged(key, limit=HOME_COUNT, request=None):
    """The newest featurable posts under the hashtag whose normalised key is `key`."""
    from .hashtags import hashtag_key

    key = hashtag_key(key or "")
    if not key:
        return []

    def load():
        tagged = TaggedPost.objects.filter(tag__key=key).values("content_object")
        return _cards(Post.objects.featurable().filter(pk__in=tagged).order_by("-created_at", "-pk"), limit)

    return _kept(request, f"tag:{hashlib.sha256(key.encode()).hexdigest()[:32]}:{limit}", SHOWCASE_SCOPE, load)


def posts_with_product(product, limit=PRODUCT_COUNT, request=None):
    """The newest featurable posts that tag `product` (a Product or its pk)."""
    if product is None:
        return []
    product_id = getattr(product, "pk", product)

    def load():
        linked = PostProduct.objects.filter(product_id=product_id).values("post")
        return _cards(Post.objects.featurable().filter(pk__in=linked).order_by("-created_at", "-pk"), limit)

    return _kept(request, f"product:{product_id}:{limit}", product_scope(product_id), load)


# --- cache versions --------------------------------------------------------------------------------

def _shown(post):
    return post.status == Post.Status.PUBLISHED and not post.hidden and post.rights_granted_at is not None


def _featured(post):
    return _shown(post) and post.featured_at is not None


def showcase_touch(post, *, was_shown=False, was_featured=False, product_ids=None):
    """Move the scopes of what shows (or showed) `post`: call inside the transaction of a change
    that the signals below do not see (a bulk update)."""
    shown, featured = _shown(post), _featured(post)
    if not (shown or was_shown):
        return
    scopes = [SHOWCASE_SCOPE]
    if featured or was_featured:
        scopes.append(FEATURED_SCOPE)
    if product_ids is None and post.pk is not None:
        product_ids = PostProduct.objects.filter(post_id=post.pk).values_list("product_id", flat=True)
    scopes += [product_scope(pk) for pk in sorted(set(product_ids or ()))]
    scopes_changed(*scopes)


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


def _post_gone(sender, instance, **kwargs):
    """A post deleted in bulk (an account's deletion) leaves what showed it: its product links'
    own deletions move the products' scopes."""
    was_shown, was_featured = getattr(instance, "_showcase_was", (True, True))
    showcase_touch(instance, was_shown=was_shown, was_featured=was_featured, product_ids=())


def _product_link_gone(sender, instance, **kwargs):
    """A product taken off a post (an edit replaces the links): that product's page may show it."""
    scopes_changed(product_scope(instance.product_id))


def _featured_changed(sender, **kwargs):
    """posts-social's word that featured posts changed (sent after commit)."""
    scopes_changed(FEATURED_SCOPE, SHOWCASE_SCOPE, on_commit=False)


def connect():
    from django.db.models.signals import post_delete, post_init, post_save

    post_init.connect(_snapshot, sender=Post, dispatch_uid="posts-showcase-snapshot")
    post_save.connect(_saved, sender=Post, dispatch_uid="posts-showcase-saved")
    post_delete.connect(_post_gone, sender=Post, dispatch_uid="posts-showcase-post-gone")
    post_delete.connect(_product_link_gone, sender=PostProduct, dispatch_uid="posts-showcase-product-link")
    from .services import post_created, post_deleting
    from .signals import posts_featured_changed

    posts_featured_changed.connect(_featured_changed, dispatch_uid="posts-showcase-featured-changed")
    post_created.connect(_created, dispatch_uid="posts-showcase-post-created")
    post_deleting.connect(_deleting, dispatch_uid="posts-showcase-post-deleting")
