from django.core.cache import cache
from wagtail.models import Page, Site

from .cache import content_version

MENU_TIMEOUT = 60 * 60


def site_search(query):
    """The one search function: live, public pages now; forum, posts, reviews and products join
    as their issues add them."""
    return Page.objects.live().public().specific().search(query)


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
