"""The scopes of the forum's cached pages (core.pagecache).

A forum page is kept under the versions of what it shows:
- FORUM_VERSION_KEY, the forum as a whole: categories (names, order, access), and the rare writes
  that touch everything (erasing a member's writing);
- a topic's scope: its posts, their likes, edits and moderation;
- a category's scope: the topics listed on its page;
- LISTS_SCOPE: the index, latest / unanswered / solved and the feeds, which any new post reorders;
- a member's scope: their name and avatar where they show;
- a viewer's scope: for the pages kept for that member (community.forum.kept), what decides what
  they may do and how pages offer it (active, staff, suspensions, subscriptions). Apart from the
  member's scope, so a member's new subscription does not move every page they wrote on.

The services call forum_changed(...) naming what they changed, once their writes are made (the
version moves now and again after commit, so a page rendered in between from the old rows is not
kept under the new version); saves of forum rows and of members do so through signals. A reply
in one topic moves that topic, its category and the lists: the home page, the blog and the other
topics stay cached.
"""

from core.pagecache import page_depends, scopes_changed
from core.versions import version_bump, version_get

FORUM_VERSION_KEY = "forum:version"
LISTS_SCOPE = "forum:lists"


def topic_scope(topic_id):
    return f"forum:topic:{topic_id}"


def category_scope(category_id):
    return f"forum:category:{category_id}"


def member_scope(member_id):
    return f"forum:member:{member_id}"


def viewer_scope(member_id):
    return f"forum:viewer:{member_id}"


def page_shows_forum(request, *scopes):
    """A forum page names what it shows before reading it: the forum as a whole and `scopes`."""
    page_depends(request, FORUM_VERSION_KEY, *scopes)


def page_shows_members(request, member_ids):
    """The page shows these members' names and avatars (read with the rows that name them)."""
    page_depends(request, *[member_scope(pk) for pk in sorted({pk for pk in member_ids if pk})])


def forum_version():
    return version_get(FORUM_VERSION_KEY)


def forum_changed(*, topics=(), categories=(), members=(), viewers=(), lists=False, everything=False):
    """Move the scopes of what changed: the topics, categories (with their parents, whose pages show
    their sub-categories), members and viewers named, the lists when `lists`, and the whole forum
    when `everything` (or when nothing is named)."""
    if everything or not (topics or categories or members or viewers or lists):
        scopes_changed(FORUM_VERSION_KEY)
        return
    scopes = [topic_scope(pk) for pk in topics if pk]
    scopes += [category_scope(pk) for pk in _with_parents(categories)]
    scopes += [member_scope(pk) for pk in members if pk]
    scopes += [viewer_scope(pk) for pk in viewers if pk]
    if lists:
        scopes.append(LISTS_SCOPE)
    scopes_changed(*scopes)


def _with_parents(category_ids):
    ids = {pk for pk in category_ids if pk}
    if not ids:
        return []
    from .models import Category

    parents = Category.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    return sorted(ids.union(parents))


def topic_changed(topic, *, lists=True):
    """A topic's page and the lists that show it (its category's, and the forum's)."""
    forum_changed(topics=[topic.pk], categories=[topic.category_id], lists=lists)


def read_version_key(member_id):
    """A member's own version: it moves whenever their read position in any topic moves, so the
    lists kept for them (with their unread counts) are not served after they have read on."""
    return f"forum:readver:{member_id}"


def read_changed(member_id):
    version_bump(read_version_key(member_id))
