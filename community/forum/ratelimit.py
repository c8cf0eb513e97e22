"""Per-member limits on what can be abused: topics, replies, likes and uploads (reports: community.moderation), counted
by community.members.ratelimit (Redis in production, so every app server shares them). New members
(joined in the last day, or fewer than FORUM_NEW_MEMBER_POSTS approved posts) get tighter limits."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from community.members.ratelimit import window_hit

# action: (limit for new members, limit for others, window in seconds)
LIMITS = {
    "topic": (3, 10, 3600),
    "reply": (10, 60, 3600),
    "like": (30, 300, 3600),
    "upload": (5, 60, 3600),
}


def is_new_member(member):
    """Joined in the last day, or fewer than FORUM_NEW_MEMBER_POSTS approved posts."""
    if member.is_staff:
        return False
    if member.date_joined > timezone.now() - timedelta(days=1):
        return True
    threshold = getattr(settings, "FORUM_NEW_MEMBER_POSTS", 3)
    return member.forum_posts.filter(approved=True, hidden=False).count() < threshold


def limit_for(member, action):
    new, regular, window = LIMITS[action]
    return (new if is_new_member(member) else regular), window


def ratelimit_hit(member, action):
    """Count one `action` by `member`; False once the member is over the limit for the window."""
    limit, window = limit_for(member, action)
    return window_hit(f"forum:rl:{action}:{member.pk}", limit, window)
