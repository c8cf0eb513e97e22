from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """Site name and, for each language, this page's URL in it (language switcher, hreflang)."""
    path = request.get_full_path()
    current = translation.get_language()
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
