"""What pages show of badges, and what moves when that changes.

Beside a member's name (forum posts, reviews) pages show the member's badges. A page reads them
for all the members it shows at once (selectors.badges_for_members): one cache round trip for the
members' badge ids and one for the badges themselves, and on a miss one query each. So a warm
forum topic page makes no query for badges, whatever the number of posts, and a cold one two.

When a member's badges change, their key is deleted and the scopes of the pages that show them
move: their forum member scope (every topic they wrote in) and the product pages of the reviews
they wrote. A badge edited by an editor (its name, or switched off) moves the badges' version and
the forum and the reviews as a whole (rare).
"""

from django.core.cache import cache
from django.db import transaction

from core.versions import version_bump, version_get

BADGES_VERSION = "play:badges:version"


def member_badges_key(member_id):
    return f"play:badges:member:{member_id}"


def badge_defs_key():
    return f"play:badges:defs:{version_get(BADGES_VERSION)}"


def _shown_on(member_id):
    from community.forum.cache import forum_changed
    from community.reviews.cache import reviews_changed
    from community.reviews.models import Review

    forum_changed(members=[member_id])
    product_ids = sorted(set(Review.objects.filter(author_id=member_id).values_list("product_id", flat=True)))
    if product_ids:
        reviews_changed(*product_ids)


def badges_shown_changed(member_id):
    key = member_badges_key(member_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    _shown_on(member_id)


def badges_defs_changed():
    from community.forum.cache import forum_changed
    from community.reviews.cache import reviews_changed

    version_bump(BADGES_VERSION)
    forum_changed(everything=True)
    reviews_changed()
