"""Whole-page cache for anonymous visitors.

Pages that everyone sees alike (Wagtail pages, product pages, the forum's lists, topics and feeds,
the photo wall, hashtag pages and photo posts) are kept in the cache after their first rendering,
under the content version (content.cache) and the forum version (community.forum.cache):
publishing, moving or deleting a page, changing a product, snippet or image, or any write in the
forum moves one of them, so no visitor is served a stale page. Photo posts' pages also carry their
scoped versions (community.posts.cache.page_cache_scope): a new post moves the wall's and its
hashtags' versions, leaving other hashtags, other posts and everything else cached.
Signed-in visitors, requests carrying a session or messages cookie, and responses that set a cookie
or say private/no-store never touch it.
"""

import hashlib

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from community.forum.cache import FORUM_VERSION_KEY
from community.posts.cache import page_cache_scope
from content.cache import CONTENT_VERSION_KEY
from core.versions import versions_get

CACHEABLE_VIEWS = {
    "wagtail_serve", "shop:product_list", "shop:product_detail",
    "forum:index", "forum:latest", "forum:unanswered", "forum:solved", "forum:category", "forum:topic",
    "forum:feed", "forum:category_feed",
    "posts:wall", "posts:popular", "posts:tag", "posts:detail",
}
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def _versions(path):
    """The content and forum versions, and the scoped versions the page at `path` depends on (a
    photo post's, a hashtag's, the wall's: community.posts.cache), read in one round trip."""
    keys = [CONTENT_VERSION_KEY, FORUM_VERSION_KEY, *page_cache_scope(path)]
    found = versions_get(keys)
    return ".".join(str(found[key]) for key in keys)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        hit = cache.get(key)
        if hit is not None:
            status, content, headers = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            cache.set(key, (response.status_code, response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

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
        return f"pagecache:{_versions(request.path_info)}:{digest}"

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
