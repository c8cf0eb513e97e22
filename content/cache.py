"""One version number for everything anonymous visitors see of the content.

The site menu and the anonymous page cache (website.middleware.AnonymousPageCacheMiddleware) put
it in their cache keys; content.signals bumps it whenever a page is published, unpublished, moved
or deleted, or a snippet, image, site or product changes. Old entries are then never read again
and expire by themselves.
"""

from core.versions import version_bump, version_get

CONTENT_VERSION_KEY = "content:version"


def content_version():
    return version_get(CONTENT_VERSION_KEY)


def content_changed():
    version_bump(CONTENT_VERSION_KEY, on_commit=False)
