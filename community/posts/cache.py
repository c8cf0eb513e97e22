"""The scopes of the photo posts' cached pages (core.pagecache), so a change moves only what shows it.

- WALL_SCOPE (`posts:wall`): the wall, "popular this week" and the trending box. A post that
  appears, changes on its tile, or goes moves it;
- a hashtag's scope (`posts:tag:<key>`): its page. A post that appears under it or leaves it;
- a post's scope (`posts:post:<pk>`): its own page (likes, comments, caption, moderation);
- the members shown (community.forum.cache.member_scope, which the members' saves already move):
  their names and avatars on tiles and pages.

A new post moves the wall's and its hashtags' scopes only: other hashtag pages, other posts, the
forum and the CMS pages stay cached. The counts on grid tiles (likes, comments) follow no scope:
grid pages are kept at most GRID_MAX_AGE seconds (core.pagecache.page_max_age), so a like moves
its post's page at once and the tiles within that time.
"""

import hashlib

from community.forum.cache import member_scope
from core.pagecache import page_depends, page_max_age, scopes_changed

WALL_SCOPE = "posts:wall"
GRID_MAX_AGE = 120


def tag_scope(key):
    # Hashed: the key comes from the address, in any script and any length (a cache key must stay
    # short and plain for every cache backend).
    return f"posts:tag:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def post_scope(pk):
    return f"posts:post:{pk}"


def wall_changed():
    scopes_changed(WALL_SCOPE)


def tags_changed(keys):
    scopes_changed(*[tag_scope(key) for key in keys])


def post_changed(pk):
    scopes_changed(post_scope(pk))


def page_shows(request, *scopes, grid=False):
    """A posts page names what it shows before reading it (a grid's tile counts lag at most
    GRID_MAX_AGE seconds)."""
    page_depends(request, *scopes)
    if grid:
        page_max_age(request, GRID_MAX_AGE)


def page_shows_members(request, member_ids):
    page_depends(request, *[member_scope(pk) for pk in sorted({pk for pk in member_ids if pk})])
