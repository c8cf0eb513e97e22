import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.absolute import absolute_url

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Database and cache status as JSON; 503 when either is down. Reads only."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "down"
        logger.warning("health check: database down: %s", exc)
        checks["database"] = "down"
    try:
        cache.set("healthz", "1", timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "down"
    except Exception as exc:
        logger.warning("health check: cache down: %s", exc)
        checks["cache"] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)


# Paths outside the language prefixes, and paths that every language serves under its prefix
# (English unprefixed, /el/, /nb/, /hu/: see website.urls).
ROBOTS_PRIVATE_UNPREFIXED = ("/admin/", "/webhooks/")
ROBOTS_PRIVATE_PER_LANGUAGE = ("accounts/", "me/", "search/")


@require_GET
def robots_txt(request):
    prefixes = ["/"] + [f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    private = [*ROBOTS_PRIVATE_UNPREFIXED, *(prefix + path for prefix in prefixes for path in ROBOTS_PRIVATE_PER_LANGUAGE)]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in private),
        f"Sitemap: {absolute_url('/sitemap.xml', request)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def admin_login_redirect(request):
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("wagtailadmin_home")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def _render_without_request(template_name, status):
    """For errors where the request (a bad Host header) or the backing services may be broken:
    no context processors, no database, no cache."""
    return HttpResponse(loader.get_template(template_name).render({}), status=status)


def bad_request(request, exception=None):
    return _render_without_request("400.html", 400)


def permission_denied(request, exception=None):
    # A permission check's translated reason (PermissionDenied(_("..."))), when it gives one.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    logger.warning("CSRF failure: %s", reason)
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    return _render_without_request("500.html", 500)


ROUTE_SECONDS = 3600


def _route_key(request, path):
    """The cache key of the page that `path` leads to on this host in this language, under the
    versions of the pages and the site's structure (read through the page's scopes: a publish, a
    move, a new slug or a page taken down moves one of them)."""
    import hashlib

    from django.utils import translation

    from content.cache import CONTENT_VERSION_KEY, PAGES_SCOPE
    from core.pagecache import page_depends, page_scope_version

    page_depends(request, CONTENT_VERSION_KEY, PAGES_SCOPE)
    parts = (request.get_host(), path, translation.get_language(),
             page_scope_version(request, CONTENT_VERSION_KEY), page_scope_version(request, PAGES_SCOPE))
    return "route:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def serve_page(request, path):
    """Wagtail's page view, with the fallback to English: under /el/, /nb/ or /hu/, a page not (yet)
    translated into that language is served in the default language (its templates mark the English
    part with lang="en", content_tags.content_lang) instead of a 404.

    The page a path leads to is kept in the cache (ROUTE_SECONDS) under the pages' versions: Wagtail
    walks the tree from the site's root, two queries a level and a few more for the site and the
    locale, on every request; a kept route costs one read of the cache. Only a plain page is kept
    (a route inside a page, such as a blog archive, is walked each time), and Wagtail's own checks
    (privacy, passwords, members-only) still run on every request. FRAGMENT_CACHE_SECONDS = 0, which
    turns off the kept parts of pages, turns this off too."""
    from django.utils import translation
    from wagtail.models import Page, Site
    from wagtail.url_routing import RouteResult
    from wagtail.views import serve

    key = _route_key(request, path) if settings.FRAGMENT_CACHE_SECONDS > 0 else None
    kept = cache.get(key) if key else None
    if kept is not None:
        request._wagtail_site, page = kept
        request._wagtail_route_for_request = RouteResult(page)
        return serve(request, path)
    if Page.route_for_request(request, path) is None and translation.get_language() != settings.LANGUAGE_CODE:
        site = Site.find_for_request(request)
        if site is not None:
            components = [component for component in path.split("/") if component]
            try:  # the site's root page is the default language's home
                request._wagtail_route_for_request = site.root_page.specific.route(request, components)
            except Http404:
                request._wagtail_route_for_request = None
    route = getattr(request, "_wagtail_route_for_request", None)
    if key and route is not None and not route.args and not route.kwargs and getattr(request, "_wagtail_site", None):
        cache.set(key, (request._wagtail_site, route.page), ROUTE_SECONDS)
    return serve(request, path)
