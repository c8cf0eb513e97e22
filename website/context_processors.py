import functools

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy

from community.members.validators import as_site_path, is_site_path
from content.selectors import brand_for_request

# Paths longer than this are worked out every time: the remembered ones stay small, whatever is asked.
REMEMBERED_PATH_CHARS = 200


def _language_url(path, code):
    if len(path) > REMEMBERED_PATH_CHARS:
        return _language_url_made(path, code)
    return _language_url_remembered(path, code, translation.get_language(), get_urlconf())


@functools.lru_cache(maxsize=1024)
def _language_url_remembered(path, code, _active, _urlconf):
    """Resolving a path and reversing it in another language is a few tenths of a millisecond a page:
    each is worked out once per process while among the 1,024 most recent."""
    return _language_url_made(path, code)


def _language_url_made(path, code):
    url = translate_url(path, code)
    if is_site_path(url):
        return url
    with translation.override(code):  # what translate_url could not place: that language's home
        return translate_url("/", code)


def site(request):
    """The brand (name, tagline, logo: Settings > Brand) and, for each language, this page's URL in
    it (language switcher, hreflang)."""
    path = as_site_path(request.get_full_path())
    current = translation.get_language()
    # Read when a template uses it (an htmx fragment or a JSON answer never does).
    brand = SimpleLazyObject(lambda: brand_for_request(request))
    return {
        "BRAND": brand,
        "SITE_NAME": lazy(lambda: brand["name"], str)(),
        "language_links": [
            {"code": code, "name": name, "url": _language_url(path, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
