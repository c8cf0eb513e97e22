from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from shop.models import Product

from .cache import content_version

MENU_TIMEOUT = 60 * 60
HITS_PER_SOURCE = 200


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    summary: str


def site_search(query, request):
    """The one search function, over every kind of thing a visitor can find: live, public pages
    (blog posts, lookbooks, ...) and active products now; forum topics, posts and reviews join as
    their issues add them. Each source gives its best HITS_PER_SOURCE matches, pages first."""
    pages = Page.objects.live().public().specific().search(query)[:HITS_PER_SOURCE]
    products = get_search_backend().search(query, Product.objects.filter(active=True))[:HITS_PER_SOURCE]
    hits = [
        SearchHit(_("Page"), page.title, page.get_url(request), page.search_description or getattr(page, "intro", "") or "")
        for page in pages
    ]
    hits += [SearchHit(_("Product"), product.name, product.get_absolute_url(), product.description) for product in products]
    return hits


def menu_items(request, language):
    """The main menu: the site root's live, public children marked "show in menus", in the
    visitor's language, as [{"title", "url"}]. Shown on every page, so it is cached per host and
    language, under the content version (content.cache), which moves on whenever content changes."""
    key = f"content:menu:{content_version()}:{request.get_host()}:{language}"
    items = cache.get(key)
    if items is None:
        site = Site.find_for_request(request)
        items = []
        if site is not None:
            root = site.root_page.localized
            children = root.get_children().live().public().in_menu().specific(defer=True)
            items = [{"title": page.title, "url": page.get_url(request)} for page in children]
        cache.set(key, items, MENU_TIMEOUT)
    return items
