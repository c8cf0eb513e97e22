"""Writes of the forum. Views call these; each checks nothing about permissions (the views ask
community.forum.permissions first) but enforces the rules of the data: post numbers given out
under the topic's row lock, counters moved with F() in the same transaction (every action keeps
every counter right: `forum_recount` finds nothing to correct), likes made once by a unique
constraint, and every moderator action written to the one moderation log (community.moderation),
which also closes the post's open reports and tells its author.

A category counts its live topics (approved, not hidden, not deleted) and their live posts; a
topic counts its live replies whatever its own state.

The writes live by concern: posting.py, reactions.py, moderation.py, counters.py; callers import
them from here (community.forum.services).
"""

from .counters import counters_recount
from .moderation import FLAG_ACTIONS, post_approve, post_set_hidden, topic_merge, topic_move, topic_set_flag
from .posting import (
    DUPLICATE_WINDOW,
    NEW_MEMBER_MAX_LINKS,
    ForumError,
    Rendered,
    post_delete,
    post_edit,
    post_reply,
    render,
    topic_create,
    topic_slug,
    upload_add,
)
from .reactions import category_watch, post_like, post_unlike, read_position_update, topic_mark_solved, topic_watch

__all__ = [
    "DUPLICATE_WINDOW",
    "FLAG_ACTIONS",
    "NEW_MEMBER_MAX_LINKS",
    "ForumError",
    "Rendered",
    "category_watch",
    "counters_recount",
    "post_approve",
    "post_delete",
    "post_edit",
    "post_like",
    "post_reply",
    "post_set_hidden",
    "post_unlike",
    "read_position_update",
    "render",
    "topic_create",
    "topic_mark_solved",
    "topic_merge",
    "topic_move",
    "topic_set_flag",
    "topic_slug",
    "topic_watch",
    "upload_add",
]
