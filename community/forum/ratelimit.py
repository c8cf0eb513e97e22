"""Per-member limits on what can be abused: topics, replies, edits, likes and uploads (reports: see
community.moderation), counted by core.ratelimit (Redis in production, so every app server shares
them). The limits are the FORUM_RATE_LIMITS setting (app_settings.RATE_LIMITS). New members (joined
in the last day, or fewer than FORUM_NEW_MEMBER_POSTS approved posts) get tighter limits."""

from datetime import timedelta

from django.utils import timezone

from core.ratelimit import window_hit

from .app_settings import app_settings


def is_new_member(member):
    """Joined in the last day, or fewer than FORUM_NEW_MEMBER_POSTS approved posts."""
    if member.is_staff:
        return False
    if member.date_joined > timezone.now() - timedelta(days=1):
        return True
    return member.forum_posts.filter(approved=True, hidden=False).count() < app_settings.NEW_MEMBER_POSTS


def limit_for(member, action):
    new, regular, window = app_settings.RATE_LIMITS[action]
    return (new if is_new_member(member) else regular), window


def ratelimit_hit(member, action):
    """Count one `action` by `member`; False once the member is over the limit for the window."""
    limit, window = limit_for(member, action)
    return window_hit(f"forum:rl:{action}:{member.pk}", limit, window)
