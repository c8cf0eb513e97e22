"""One version number for everything anonymous visitors see of the content.

The site menu and the anonymous page cache (website.middleware.AnonymousPageCacheMiddleware) put
it in their cache keys; content.signals bumps it whenever a page is published, unpublished, moved
or deleted, or a snippet, image, site or product changes. Old entries are then never read again
and expire by themselves.
"""

from django.core.cache import cache

CONTENT_VERSION_KEY = "content:version"


def content_version():
    return cache.get_or_set(CONTENT_VERSION_KEY, 1, None)


def content_changed():
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value starts a fresh generation
        cache.set(CONTENT_VERSION_KEY, 1, None)
