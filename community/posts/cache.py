"""Scoped cache versions for photo posts (core.versions), so a change moves only what shows it.

- the wall version (`posts:wall`): the wall, "popular this week" and the trending box. Any post
  that appears, changes on its tile, or goes moves it;
- a hashtag's version (`posts:tag:<key>`): its page. A post that appears under it or leaves it;
- a post's version (`posts:post:<pk>`): its own page (likes, comments, caption, moderation).

A new post moves the wall and its hashtags' versions only: other hashtag pages, other posts, the
forum and the CMS pages stay cached. website.middleware.AnonymousPageCacheMiddleware asks
page_cache_scope(path) which of these versions a path's page depends on and puts them in its key.
"""

from urllib.parse import unquote

from django.conf import settings

from core.versions import version_bump

from .hashtags import hashtag_key

WALL_VERSION_KEY = "posts:wall"


def tag_version_key(key):
    return f"posts:tag:{key}"


def post_version_key(pk):
    return f"posts:post:{pk}"


def wall_changed():
    version_bump(WALL_VERSION_KEY)


def tags_changed(keys):
    for key in set(keys):
        version_bump(tag_version_key(key))


def post_changed(pk):
    version_bump(post_version_key(pk))


def _languages():
    return {code for code, _name in settings.LANGUAGES}


def page_cache_scope(path):
    """The version keys the anonymous page at `path` (a path_info) depends on besides the site-wide
    ones; () for a path that is not one of the posts' pages. Pure string work, no query."""
    parts = path.strip("/").split("/")
    if parts and parts[0] in _languages() and len(parts) > 1:
        parts = parts[1:]
    if not parts or parts[0] not in ("posts", "tags"):
        return ()
    if parts[0] == "tags":
        if len(parts) == 2:
            return (tag_version_key(hashtag_key(unquote(parts[1]))),)
        return ()
    if len(parts) == 1 or (len(parts) == 2 and parts[1] == "popular"):
        return (WALL_VERSION_KEY,)
    if len(parts) == 2 and parts[1].isascii() and parts[1].isdigit():
        return (post_version_key(int(parts[1])),)
    return ()
