"""One version number for everything anonymous visitors see of the forum.

The anonymous page cache (website.middleware.AnonymousPageCacheMiddleware) puts it in its keys
beside the content version; every write of the forum moves it once its transaction commits (the
services call forum_changed(); saves of forum rows and of members, whose names and avatars show
on posts, do so through signals), so no visitor is served a stale topic or list.
"""

from core.versions import version_bump, version_get

FORUM_VERSION_KEY = "forum:version"


def forum_version():
    return version_get(FORUM_VERSION_KEY)


def forum_changed():
    """Move the version now and again after commit, so a page rendered in between from the old
    rows is not kept under the new version."""
    version_bump(FORUM_VERSION_KEY)


def read_version_key(member_id):
    """A member's own version: it moves whenever their read position in any topic moves, so the
    lists kept for them (with their unread counts) are not served after they have read on."""
    return f"forum:readver:{member_id}"


def read_changed(member_id):
    version_bump(read_version_key(member_id))
