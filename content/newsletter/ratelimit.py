"""The newsletter's sign-up limits (app_settings.SIGNUP_PER_IP and SIGNUP_PER_ADDRESS), counted by
core.ratelimit (shared through Redis in production)."""

import hashlib

from core.ratelimit import window_hit


def ratelimit_hit(scope, identity, limit, period):
    """Count one attempt; True while it is within `limit` per `period` seconds."""
    digest = hashlib.sha256(str(identity).encode()).hexdigest()[:32]  # no addresses in cache keys
    return window_hit(f"newsletter:rl:{scope}:{digest}", limit, period)
