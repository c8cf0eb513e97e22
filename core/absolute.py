"""Absolute URLs: for a page with its request, the request's own scheme and host; without one (an
e-mail sent by a task, a feed built elsewhere), the site's public address,
settings.WAGTAILADMIN_BASE_URL (the SITE_URL environment variable in production)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path, request=None):
    """`path` (or an already absolute URL, returned as it is) as an absolute URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    parts = urlsplit(path)
    if parts.scheme and parts.netloc:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
