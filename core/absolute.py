"""The site's public address and name, for absolute URLs in pages, feeds and every e-mail.

Which base URL a link gets, first match wins:

1. The request, when the caller has one: its own scheme and host. Django accepts a host only if
   it is in ALLOWED_HOSTS (any other gets a 400 before a view runs), so a visitor can never make
   the site link to an address it does not answer to.
2. The base URL carried from the request that caused the work. BaseUrlMiddleware records it for
   the length of every request, so a service that sends an e-mail while the request runs (the
   newsletter's confirmation, allauth's e-mails, a task run at once by the immediate backend)
   links to the address the visitor used: with `PORT=8811 make run`, a sign-up at
   http://localhost:8811 gets links to http://localhost:8811/..., exactly like allauth's
   verification link, which is built from the request itself. A task queued for a worker does not
   inherit it: the code that queues it passes `base_url_carried()` as an argument and the task
   runs under `base_url_use(base_url)` (the notification digest and the referral thank-you do).
3. settings.SITE_URL (the SITE_URL environment variable; `make run` sets it to its HOST:PORT).
4. The default Wagtail Site's root URL (Settings > Sites in the admin), then
   settings.WAGTAILADMIN_BASE_URL.

The name e-mails and pages call the site by is the brand's: the Wagtail Site's name (editors set
it under Settings > Sites), else settings.WAGTAIL_SITE_NAME; never a host and port.
"""

import contextlib
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

_carried = ContextVar("core_absolute_base_url", default="")


def base_url_of(request):
    """`scheme://host[:port]` of the request (its host already checked against ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


def base_url_carried():
    """The base URL carried from the request being served (or set by base_url_use), else ""."""
    return _carried.get()


@contextlib.contextmanager
def base_url_use(base_url):
    """Within the block, absolute URLs made without a request start with `base_url` (a falsy one
    changes nothing: the settings decide)."""
    if not base_url:
        yield
        return
    token = _carried.set(str(base_url).rstrip("/"))
    try:
        yield
    finally:
        _carried.reset(token)


def _default_wagtail_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first()


def site_base_url(request=None):
    """The base URL (no trailing slash) absolute links start with; see the module's docstring."""
    if request is not None:
        return base_url_of(request)
    carried = _carried.get()
    if carried:
        return carried
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    site = _default_wagtail_site()
    if site is not None:
        return site.root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path, request=None):
    """`path` (or an already absolute URL, returned as it is) as an absolute URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    parts = urlsplit(path)
    if parts.scheme and parts.netloc:
        return path
    return site_base_url() + "/" + path.lstrip("/")


def site_name(request=None):
    """The brand's name: the Wagtail Site's (the request's site, else the default one), else
    settings.WAGTAIL_SITE_NAME."""
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else _default_wagtail_site()
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def email_subject(subject, name=None):
    """An e-mail's subject line: `[name] subject` on one line; `name` defaults to site_name()."""
    return f"[{name or site_name()}] " + " ".join(str(subject).split())


class BaseUrlMiddleware:
    """Carry the request's base URL (see the module's docstring) while the request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            base_url = base_url_of(request)
        except DisallowedHost:  # CommonMiddleware answers it with a 400; carry nothing
            return self.get_response(request)
        token = _carried.set(base_url)
        try:
            return self.get_response(request)
        finally:
            _carried.reset(token)
