"""Per-member limits on reviewing, editing and voting (core.ratelimit counters). New members
(joined in the last day) get the tighter limit."""

from datetime import timedelta

from django.utils import timezone

from core.ratelimit import window_hit

from .app_settings import app_settings


def is_new_member(member):
    return not member.is_staff and member.date_joined > timezone.now() - timedelta(days=1)


def ratelimit_hit(member, action):
    """Count one `action` by `member`; False once the member is over the limit for the window."""
    new, regular, window = app_settings.RATE_LIMITS[action]
    return window_hit(f"reviews:rl:{action}:{member.pk}", new if is_new_member(member) else regular, window)
