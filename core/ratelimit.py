"""Fixed-window counters in the Django cache, for every rate limit of the site: Redis in
production, so every app server shares them; in the embedded default, core.cache's file cache,
which every process on the machine shares and whose incr is atomic.

The limits themselves are settings of the app that counts (its app_settings module), never
numbers written into its code."""

import time

from django.core.cache import cache


def window_hit(name, limit, period):
    """Count one attempt against the counter `name`; True while it is within `limit` per `period`
    seconds (windows start at multiples of `period`, so a new window starts from zero)."""
    key = f"{name}:{int(time.time() // period)}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period + 5)
        count = 1
    return count <= limit
