import functools
import re

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.selectors import menu_items
from core.reverse import reverse_kept

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's <li> items (content/includes/main_menu.html): the site's menu pages, the forum,
    the photo posts and the shop, the current one marked. Shown twice on every page, so the HTML is
    kept in memory under everything it shows (the items, which is current, the language)."""
    request = context.get("request")
    items = menu_items(request, translation.get_language()) if request is not None else []
    path = request.path if request is not None else ""
    forum_url = reverse_kept("forum:index")
    shop_url = reverse_kept("shop:product_list")
    posts_url = reverse_kept("posts:wall")
    shown = {
        "items": tuple((item["title"], item["url"]) for item in items), "current_path": path if any(
            path == item["url"] for item in items) else "",
        "forum_url": forum_url, "in_forum": path.startswith(forum_url),
        "shop_url": shop_url, "in_shop": path.startswith(shop_url),
        "posts_url": posts_url, "in_posts": path.startswith(posts_url) or path.startswith(posts_url.replace("posts/", "tags/")),
    }
    return _menu_html(translation.get_language(), tuple(sorted(shown.items())))


@functools.lru_cache(maxsize=256)
def _menu_html(language, shown):
    from django.template.loader import render_to_string

    values = dict(shown)
    values["items"] = [{"title": title, "url": url} for title, url in values["items"]]
    with translation.override(language):
        return render_to_string("content/includes/main_menu.html", values)


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each word of `query` found in it (any case, any script) in <mark>."""
    words = sorted({w for w in str(query).split() if len(w) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    parts = pattern.split(str(text))
    # split() with one group alternates: outside, match, outside, match, ...
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(parts)))  # noqa: S308


@register.filter
def present(items):
    """The items that are there: a chooser leaves None where a chosen object is gone or hidden."""
    return [item for item in items or () if item is not None]


@register.inclusion_tag("content/includes/product_lookbooks.html", takes_context=True)
def product_lookbooks(context, product, limit=3):
    """The published lookbooks that show a product, newest first (one query with their covers).
    Publishing, unpublishing or deleting one moves the product's scope (content.lookbook_index)."""
    from content.selectors import lookbooks_featuring

    return {"lookbooks": lookbooks_featuring(product, limit), "product": product}


_LOCALE_CODES = {}  # a Wagtail locale's id -> its language code (see locale_code)


@register.simple_tag(takes_context=True)
def page_language_links(context):
    """The language links (context processor website.context_processors.site) for a Wagtail page:
    a language the page is translated into links to that translation (`exists`: hreflang names it);
    one it is not links to this page under that language's prefix, where it is shown in English
    (website.views.serve_page), and gets no hreflang. One query for the translations."""
    from wagtail.models import Page

    from core.pagecache import part_kept

    from ..cache import CONTENT_VERSION_KEY, PAGES_SCOPE

    links = context.get("language_links") or []
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None or not links:
        return links

    def make():
        versions = {}
        for version in page.get_translations(inclusive=True).live().defer_streamfields().select_related("locale"):
            _LOCALE_CODES[version.locale_id] = version.locale.language_code  # content_lang reads it, no query
            versions[version.locale.language_code] = version
        result = []
        for link in links:
            version = versions.get(link["code"])
            if version is None:
                result.append({**link, "exists": False})
                continue
            with translation.override(link["code"]):
                url = version.get_url(request) or link["url"]
            result.append({**link, "url": url, "exists": True})
        return result

    # Kept under the pages' scope (a translation published or taken down moves it): one query fewer a page.
    return part_kept(request, "language-links", [page.pk, request.get_full_path()],
                     [CONTENT_VERSION_KEY, PAGES_SCOPE], make)


def locale_code(locale_id):
    """A Wagtail locale's language code, without a query once known (a locale's id and code never
    change; a new locale is read on first use)."""
    if locale_id is None:
        return ""
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES.get(locale_id, "")


@register.simple_tag(takes_context=True)
def content_lang(context, obj=None):
    """` lang="en"` on the element holding a page's (or snippet's) own text when it is in another
    language than the page around it: an English page shown under /el/ because it has no Greek
    translation yet. Empty when they agree."""
    obj = obj if obj is not None else context.get("page")
    code = locale_code(getattr(obj, "locale_id", None))
    if not code or code == translation.get_language():
        return ""
    return mark_safe(f' lang="{escape(code)}"')  # noqa: S308 - an escaped language code
