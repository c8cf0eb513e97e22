"""The newsletter's sign-up limits, counted by community.members.ratelimit (shared through Redis
in production)."""

import hashlib

from community.members.ratelimit import window_hit

SIGNUP_PER_IP = (5, 60)  # five sign-ups a minute from one IP address
SIGNUP_PER_ADDRESS = (3, 3600)  # three a hour for one e-mail address


def ratelimit_hit(scope, identity, limit, period):
    """Count one attempt; True while it is within `limit` per `period` seconds."""
    digest = hashlib.sha256(str(identity).encode()).hexdigest()[:32]  # no addresses in cache keys
    return window_hit(f"newsletter:rl:{scope}:{digest}", limit, period)
