"""Fixed-window counters in the Django cache: Redis in production, so every app server shares
them; local memory in the embedded default."""

import hashlib
import time

from django.core.cache import cache

SIGNUP_PER_IP = (5, 60)  # five sign-ups a minute from one IP address
SIGNUP_PER_ADDRESS = (3, 3600)  # three a hour for one e-mail address


def ratelimit_hit(scope, identity, limit, period):
    """Count one attempt; True while it is within `limit` per `period` seconds."""
    digest = hashlib.sha256(str(identity).encode()).hexdigest()[:32]  # no addresses in cache keys
    key = f"newsletter:rl:{scope}:{digest}:{int(time.time() // period)}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period + 5)
        count = 1
    return count <= limit
