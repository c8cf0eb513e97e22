"""Whole-page cache for anonymous visitors.

Pages that everyone sees alike (Wagtail pages, product pages, the forum's lists, topics and feeds)
are kept in the cache after their first rendering, with the versions of the scopes they show
(core.pagecache): a view names its scopes (a topic, a category, the forum's lists, the content, a
product, ...) and a write moves only the scopes it changes. Every page also follows the content
version (content.cache): the site menu and footer are on all of them.
An entry whose scopes moved, or that is older than the max age its view set (page_max_age: the
home page's community strip), is rendered again by one request while the others get it as it was
(single flight), so an invalidation or an age costs one render and no request waits for it.
Signed-in visitors, requests carrying a session or messages cookie, and responses that set a cookie
or say private/no-store never touch it.
"""

import hashlib
import time

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from content.cache import CONTENT_VERSION_KEY
from core.pagecache import is_fresh, page_depends, page_scope_versions, page_timeout, single_flight

CACHEABLE_VIEWS = {
    "wagtail_serve", "shop:product_list", "shop:product_detail",
    "forum:index", "forum:latest", "forum:unanswered", "forum:solved", "forum:category", "forum:topic",
    "forum:feed", "forum:category_feed",
    "posts:wall", "posts:popular", "posts:tag", "posts:detail", "posts:member", "posts:campaigns", "posts:campaign",
}
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def _response(entry, state):
    _versions, status, content, headers = entry[:4]
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = state
    return response


def _entry_fresh(entry):
    """Whether a kept page may be served as it is: its scopes have not moved and it is not older than
    its max age. (An entry of another shape, kept by an older release, is not.)"""
    if len(entry) != 5:
        return False
    versions, _status, _content, _headers, fresh_until = entry
    return (fresh_until is None or time.time() < fresh_until) and is_fresh(versions)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        rendered = {}

        def render():
            # Every page shows the site menu and footer: the content's scope, read before the rows.
            page_depends(request, CONTENT_VERSION_KEY)
            response = rendered["response"] = self.get_response(request)
            if not self._storable(request, response):
                return None
            versions = page_scope_versions(request)
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            # A page that may lag (page_max_age) is fresh that long, but kept as long as any page:
            # past its age it is served stale while one request renders it again (single flight),
            # instead of vanishing and making every request wait for the render.
            max_age = page_timeout(request, settings.PAGE_CACHE_SECONDS)
            fresh_until = time.time() + max_age if max_age < settings.PAGE_CACHE_SECONDS else None
            entry = (versions, response.status_code, response.content, headers, fresh_until)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
            return entry

        entry, state = single_flight(key, _entry_fresh, render)
        if "response" in rendered:
            return rendered["response"]
        return _response(entry, state)

    @staticmethod
    def _key(request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        digest = hashlib.sha256(f"{host}\n{request.get_full_path()}".encode()).hexdigest()
        return f"pagecache:{digest}"

    @staticmethod
    def _storable(request, response):
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in CACHEABLE_VIEWS:
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated


def _has_nul(text):
    return "\x00" in text


class RejectNulMiddleware:
    """A NUL character in the path or in a query parameter is a 400 before any view runs.

    Nothing on this site has a NUL in a slug, a username or a search, and PostgreSQL refuses it in
    any text value ("A string literal cannot contain NUL characters"), so without this check every
    view that looks something up by a URL part or a query value would answer 500 on PostgreSQL.
    Form fields refuse NUL by themselves (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.path_info) or any(
            _has_nul(key) or any(_has_nul(value) for value in values) for key, values in request.GET.lists()
        ):
            from .views import bad_request

            return bad_request(request)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with one change: under settings.ADMIN_URL_PREFIXES (the Wagtail
    admin, which needs inline scripts and styles) settings.ADMIN_CONTENT_SECURITY_POLICY replaces
    the site's policy, so the site's stays strict. A view's own @csp_replace / @csp_update still
    applies on top of either."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
