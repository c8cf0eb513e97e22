"""Cache versions: a number that cache keys carry, moved when what they show changes.

Nothing is deleted on a change: the version moves, old entries are never read again and expire by
themselves. `version_bump` moves a version now and again once the transaction commits, so a page
rendered in between from the old rows is not kept under the new version.
"""

import time

from django.core.cache import cache
from django.db import transaction


def _fresh():
    """Where a version that was never set, or was evicted or flushed, starts: a number no earlier
    generation of it used (the time in microseconds), so nothing kept under an old version, in the
    shared cache or in a process's memory (held), is ever taken for current."""
    return time.time_ns() // 1000


def version_get(key):
    """The current version under `key` (a fresh one when it was never set or was evicted)."""
    return cache.get_or_set(key, _fresh(), None)


def versions_get(keys):
    """{key: version} for several keys in one round trip to the cache (a missing one starts fresh)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            start = _fresh()
            cache.add(key, start, None)
            found[key] = cache.get(key, start)
    return found


def _incr(key):
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): a fresh generation
        cache.add(key, _fresh(), None)


def version_bump(key, *, on_commit=True):
    """Move the version under `key` now and, unless `on_commit` is False, again after commit."""
    _incr(key)
    if on_commit:
        transaction.on_commit(lambda: _incr(key))


# --- Small values every page shows, held in the process ------------------------------------------

HELD_AT_MOST = 256
_held = {}


def held(key, make):
    """The value make() returns as (value, seconds), held in this process's memory under `key` for
    that long. For small values every page shows (the brand, the site menu) whose `key` carries the
    versions of what they show: the shared cache is read once per process and version, not once per
    request, and a change (a new version, so a new key) is seen by the next request."""
    now = time.monotonic()
    found = _held.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value, seconds = make()
    if len(_held) >= HELD_AT_MOST:
        _held.clear()
    _held[key] = (now + seconds, value)
    return value
