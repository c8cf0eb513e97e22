"""Whole-page cache for anonymous visitors.

Pages that everyone sees alike (Wagtail pages, product pages) are kept in the cache after their
first rendering, under the content version (content.cache): publishing, moving or deleting a page,
or changing a product, snippet or image moves the version, so no visitor is served a stale page.
Signed-in visitors, requests carrying a session or messages cookie, and responses that set a cookie
or say private/no-store never touch it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from content.cache import content_version

CACHEABLE_VIEWS = {"wagtail_serve", "shop:product_list", "shop:product_detail"}
SKIPPED_HEADERS = {"set-cookie", "content-length"}


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
        return f"pagecache:{content_version()}:{digest}"

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
