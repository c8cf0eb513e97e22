"""Scoped versions for cached pages, and one render per miss.

A cached page is kept with the versions of what it shows, its *scopes*: a topic page shows its
topic, the categories' names and the members who wrote on it; the forum index shows the lists; a
Wagtail page shows the content. A view names them with `page_depends(request, *scopes)` before it
reads any row, and a write moves only the scopes it changes (`scopes_changed`), so a reply in one
topic leaves the home page, the blog and every other topic in the cache.

A scope is a key of core.versions (its value a number that only moves forward). On a lookup the
cache reads the stored entry and the current versions of its scopes (two round trips to the cache,
whatever the number of scopes: one `get_many`). Versions are read *before* the view reads rows, so
a write that lands during a render leaves the stored entry already stale, never wrongly fresh.

Single flight (`single_flight`): when an entry is missing or stale, one request takes a short lock
and renders; the others get the stale entry at once if there is one (stale-while-revalidate, for at
most one render), or wait briefly for the fresh one, and render themselves only if it does not come.
An invalidation costs one render, not one per waiting request.

Parts of pages (`part_kept`, and `{% fragment %}` in core/templatetags/fragments.py) are kept the
same way, for every visitor, whether or not the whole page is: under the versions of the scopes
they show, which they collect while they are made (`collecting`) and pass on to the page.
"""

import contextlib
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.utils import translation

from .versions import version_bump, versions_get

LOCK_SECONDS = 10  # a renderer that dies frees its lock after this long
WAIT_SECONDS = 2.0  # how long a request waits for another's render before rendering itself
WAIT_STEP = 0.025

_ATTR = "_page_scope_versions"
_MAX_AGE_ATTR = "_page_max_age"
_COLLECTORS_ATTR = "_page_fragment_collectors"


def page_depends(request, *scopes):
    """Declare that the page being rendered shows what `scopes` cover. Call it before reading rows:
    the versions are read now, and the page is kept under them (and so is every fragment being
    rendered around the call: core.templatetags.fragments)."""
    known = request.__dict__.setdefault(_ATTR, {})
    wanted = [scope for scope in scopes if scope not in known]
    if wanted:
        known.update(versions_get(wanted))
    for collector in request.__dict__.get(_COLLECTORS_ATTR, ()):
        collector["scopes"].update(scopes)


def page_max_age(request, seconds):
    """Keep the page at most `seconds` (for a part that follows no scope and may lag, stated where it is
    called)."""
    current = getattr(request, _MAX_AGE_ATTR, None)
    setattr(request, _MAX_AGE_ATTR, seconds if current is None else min(current, seconds))
    for collector in request.__dict__.get(_COLLECTORS_ATTR, ()):
        collector["max_age"] = seconds if collector["max_age"] is None else min(collector["max_age"], seconds)


@contextlib.contextmanager
def collecting(request):
    """What the code run in the block declares (page_depends, page_max_age), as
    {"scopes": set, "max_age": seconds or None}: a fragment kept in the cache is kept under it."""
    collector = {"scopes": set(), "max_age": None}
    stack = request.__dict__.setdefault(_COLLECTORS_ATTR, [])
    stack.append(collector)
    try:
        yield collector
    finally:
        stack.remove(collector)


def page_scope_versions(request):
    """{scope: version} the page was rendered under (empty when the view named none)."""
    return dict(getattr(request, _ATTR, {}))


def page_scope_version(request, scope):
    """The version of `scope` the page is being rendered under (None when it was not declared)."""
    return request.__dict__.get(_ATTR, {}).get(scope)


def part_kept(request, name, vary, scopes, make, *, seconds=None, keep=None):
    """A part of a page (an HTML fragment, a value) made once per change of what it shows: kept in
    the cache under `name`, the values in `vary`, the language, the scheme and the host, with the
    versions of `scopes` and of every scope `make()` declares while it runs (page_depends). Served
    while they are all at those versions; the page is told of them (page_depends) on a hit as on a
    miss. A part whose making set a max age (page_max_age) is kept that long, and passes what is
    left of it to the page on a hit. `keep(value)` False: the value is returned but not kept.
    `seconds` defaults to settings.FRAGMENT_CACHE_SECONDS (0: nothing is kept)."""
    seconds = settings.FRAGMENT_CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0 or getattr(request, "is_preview", False):
        return make()
    try:
        host = request.get_host()
    except DisallowedHost:
        host = ""
    parts = [name, *(str(value) for value in vary), translation.get_language(), request.scheme, host]
    key = "part:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    # The named scopes are read before the rows the part shows (and before the entry): a write
    # landing while it is made leaves what is kept already stale, never wrongly fresh.
    page_depends(request, *scopes)
    entry = cache.get(key)
    if entry is not None and _part_fresh(request, entry):
        return entry[1]
    with collecting(request) as collected:
        page_depends(request, *scopes)
        value = make()
    if keep is not None and not keep(value):
        return value
    max_age = collected["max_age"]
    timeout = seconds if max_age is None else min(seconds, max_age)
    if timeout > 0:
        versions = {scope: page_scope_version(request, scope) for scope in collected["scopes"]}
        cache.set(key, (versions, value, None if max_age is None else time.time() + timeout), timeout)
    return value


def _part_fresh(request, entry):
    """Whether a kept part may be served: every scope it was made under is still at its version
    (declared to the page as it is read) and it is not past its max age (what is left of it goes to
    the page)."""
    versions, _value, until = entry
    page_depends(request, *versions)
    if any(page_scope_version(request, scope) != version for scope, version in versions.items()):
        return False
    if until is not None:
        left = until - time.time()
        if left <= 0:
            return False
        page_max_age(request, max(1, int(left)))
    return True


class Lazy:
    """A value of a page's context computed when a template first reads it (templates call what is
    callable), once: never, when the part of the page that shows it comes from the cache."""

    def __init__(self, compute):
        self._compute, self._done, self._value = compute, False, None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def page_timeout(request, default):
    max_age = getattr(request, _MAX_AGE_ATTR, None)
    return default if max_age is None else min(default, max_age)


def scopes_changed(*scopes, on_commit=True):
    """Move the versions of `scopes` now and, unless on_commit is False, again after commit."""
    for scope in dict.fromkeys(scopes):
        version_bump(scope, on_commit=on_commit)


def is_fresh(versions):
    """Whether every scope is still at the version a page was kept under."""
    if not versions:
        return True
    return versions_get(list(versions)) == versions


def single_flight(key, lookup, render, *, wait=WAIT_SECONDS):
    """Serve `key` from the cache with one render per miss.

    lookup(entry) -> True when the stored entry is fresh; render() -> the new entry (stored by the
    caller) or None. Returns (entry, state) with state "hit", "stale", "miss" or "waited"."""
    entry = cache.get(key)
    if entry is not None and lookup(entry):
        return entry, "hit"
    lock = f"{key}:rendering"
    if cache.add(lock, 1, LOCK_SECONDS):
        try:
            return render(), "miss"
        finally:
            cache.delete(lock)
    if entry is not None:
        return entry, "stale"
    # Nothing to serve meanwhile: wait for the other render, as long as it is going on (a page
    # that is not kept, such as a 404, leaves no entry: the lock's release ends the wait).
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = cache.get(key)
        if entry is not None and lookup(entry):
            return entry, "waited"
        if cache.get(lock) is None:
            break
    return render(), "miss"
