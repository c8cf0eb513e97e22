"""Cache versions: a number that cache keys carry, moved when what they show changes.

Nothing is deleted on a change: the version moves, old entries are never read again and expire by
themselves. `version_bump` moves a version now and again once the transaction commits, so a page
rendered in between from the old rows is not kept under the new version.
"""

from django.core.cache import cache
from django.db import transaction


def version_get(key):
    """The current version under `key` (1 when it was never set or was evicted)."""
    return cache.get_or_set(key, 1, None)


def versions_get(keys):
    """{key: version} for several keys in one round trip to the cache (a missing one starts at 1)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, None)
            found[key] = cache.get(key, 1)
    return found


def _incr(key):
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): any new value starts a fresh generation
        cache.set(key, 1, None)


def version_bump(key, *, on_commit=True):
    """Move the version under `key` now and, unless `on_commit` is False, again after commit."""
    _incr(key)
    if on_commit:
        transaction.on_commit(lambda: _incr(key))
