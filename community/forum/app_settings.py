"""The forum's settings, each with its default, read from django.conf.settings every time (so a
test's override applies at once). Call sites read `app_settings.NAME`, never settings directly.

FORUM_NEW_MEMBER_POSTS (3)
    A member is "new" on their first day or until this many approved posts: tighter rate limits,
    at most two links a post, and (with FORUM_APPROVE_NEW_MEMBERS) posts wait for a moderator.
FORUM_APPROVE_NEW_MEMBERS (False)
    New members' posts wait for a moderator's approval.
FORUM_MEMBER_PAGE_SECONDS (60)
    How long a signed-in member's forum pages are kept for them (community.forum.kept); 0 keeps none.
FORUM_RATE_LIMITS (RATE_LIMITS_DEFAULT below)
    {action: (limit for new members, limit for others, window in seconds)}; a setting names only
    the actions it changes, the others keep their defaults.
"""

from django.conf import settings

RATE_LIMITS_DEFAULT = {
    "topic": (3, 10, 3600),
    "reply": (10, 60, 3600),
    "like": (30, 300, 3600),
    "upload": (5, 60, 3600),
    # Each edit stores a revision and moves the topic's cached pages: bounded like replies.
    "edit": (10, 30, 3600),
}


class ForumSettings:
    @property
    def NEW_MEMBER_POSTS(self):
        return int(getattr(settings, "FORUM_NEW_MEMBER_POSTS", 3))

    @property
    def APPROVE_NEW_MEMBERS(self):
        return bool(getattr(settings, "FORUM_APPROVE_NEW_MEMBERS", False))

    @property
    def MEMBER_PAGE_SECONDS(self):
        return int(getattr(settings, "FORUM_MEMBER_PAGE_SECONDS", 60))

    @property
    def RATE_LIMITS(self):
        return {**RATE_LIMITS_DEFAULT, **getattr(settings, "FORUM_RATE_LIMITS", {})}


app_settings = ForumSettings()
