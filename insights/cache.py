"""Computed figures, cached by scope: each page's figures for its own filters (which figures, the
range, the grain, the segment) under a key of their own, with the moment they were computed ("as
of"). A refresh recomputes that one key; nothing else is emptied, and orders arriving never flush
anything: staff see how old the figures are and refresh when they want."""

import hashlib
import json

from django.core.cache import cache
from django.utils import timezone

from .app_settings import app_settings

PREFIX = "insights:v1"


def scope_key(scope, params):
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"{PREFIX}:{scope}:{digest}"


def fragment_key(scope, params, as_of, *parts):
    """The key of the HTML drawn from the figures under scope_key(scope, params) as of `as_of`:
    a refresh (a new "as of") leaves the old HTML unread until it expires."""
    digest = hashlib.sha256(json.dumps([as_of.isoformat(), *parts], default=str).encode()).hexdigest()[:24]
    return f"{scope_key(scope, params)}:html:{digest}"


def figures(scope, params, compute, *, refresh=False):
    """(value, as_of): the cached figures for `scope` and `params`, computed by `compute()` when
    missing, expired or `refresh`ed."""
    key = scope_key(scope, params)
    found = None if refresh else cache.get(key)
    if found is None:
        found = (compute(), timezone.now())
        cache.set(key, found, app_settings.CACHE_SECONDS)
    return found
