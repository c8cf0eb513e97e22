"""The photo posts' settings, each with its default, read from django.conf.settings every time (so a
test's override applies at once). Call sites read `app_settings.NAME`.

POSTS_APPROVE_ALL (False)
    Every new post waits for a moderator before it shows on the wall (pre-moderation).
POSTS_APPROVE_NEW_MEMBERS (False)
    Posts of new members (see POSTS_NEW_MEMBER_POSTS) wait for a moderator.
POSTS_NEW_MEMBER_POSTS (2)
    A member is "new" on their first day or until this many published posts: tighter rate limits.
POSTS_RATE_LIMITS (RATE_LIMITS_DEFAULT below)
    {action: (limit for new members, limit for others, window in seconds)}; a setting names only
    the actions it changes. posts-social adds its own actions (like, comment, report...) here.
POSTS_FOLLOW_BATCH_SECONDS (3600)
    Followers of a hashtag hear of its new posts at most once in this many seconds: one
    notification "N new posts under #x" for what was published in the window (posts-social).
POSTS_PER_PAGE (24)
    Tiles on one page of the wall, a hashtag page or a profile ("load more" fetches the next ones).
POSTS_TRENDING_DAYS (7), POSTS_TRENDING_COUNT (10)
    The trending hashtags box: the hashtags with most new posts in the last N days.
POSTS_RIGHTS_VERSION ("2026-1")
    The version of the rights wording (forms.RIGHTS_WORDING) stored with a consent. Change it
    whenever the wording changes.
"""

from django.conf import settings

RATE_LIMITS_DEFAULT = {
    "post": (3, 20, 3600),
    "edit": (10, 30, 3600),
    "delete": (10, 30, 3600),
    # posts-social
    "like": (30, 300, 3600),
    "comment": (10, 60, 3600),
    "follow": (20, 100, 3600),
    "rights": (20, 100, 3600),
}


class PostsSettings:
    @property
    def APPROVE_ALL(self):
        return bool(getattr(settings, "POSTS_APPROVE_ALL", False))

    @property
    def APPROVE_NEW_MEMBERS(self):
        return bool(getattr(settings, "POSTS_APPROVE_NEW_MEMBERS", False))

    @property
    def NEW_MEMBER_POSTS(self):
        return int(getattr(settings, "POSTS_NEW_MEMBER_POSTS", 2))

    @property
    def RATE_LIMITS(self):
        return {**RATE_LIMITS_DEFAULT, **getattr(settings, "POSTS_RATE_LIMITS", {})}

    @property
    def FOLLOW_BATCH_SECONDS(self):
        return int(getattr(settings, "POSTS_FOLLOW_BATCH_SECONDS", 3600))

    @property
    def PER_PAGE(self):
        return int(getattr(settings, "POSTS_PER_PAGE", 24))

    @property
    def TRENDING_DAYS(self):
        return int(getattr(settings, "POSTS_TRENDING_DAYS", 7))

    @property
    def TRENDING_COUNT(self):
        return int(getattr(settings, "POSTS_TRENDING_COUNT", 10))

    @property
    def RIGHTS_VERSION(self):
        return str(getattr(settings, "POSTS_RIGHTS_VERSION", "2026-1"))


app_settings = PostsSettings()
