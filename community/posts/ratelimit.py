"""Per-member limits on posting (core.ratelimit): POSTS_RATE_LIMITS (app_settings.RATE_LIMITS).
New members (joined in the last day, or fewer than POSTS_NEW_MEMBER_POSTS published posts) get
the tighter limits. posts-social counts likes, comments and reports through the same function."""

from datetime import timedelta

from django.utils import timezone

from core.ratelimit import window_hit

from .app_settings import app_settings


def is_new_member(member):
    if member.is_staff:
        return False
    if member.date_joined > timezone.now() - timedelta(days=1):
        return True
    from .models import Post

    return Post.objects.filter(author=member, status=Post.Status.PUBLISHED).count() < app_settings.NEW_MEMBER_POSTS


def ratelimit_hit(member, action):
    """Count one `action` by `member`; False once the member is over the limit of the window."""
    new, regular, window = app_settings.RATE_LIMITS[action]
    limit = new if is_new_member(member) else regular
    return window_hit(f"posts:rl:{action}:{member.pk}", limit, window)
