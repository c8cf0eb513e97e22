"""The content's scopes for cached pages (core.pagecache).

- CONTENT_VERSION_KEY: what every page shows of the content, the site menu and footer, and what
  the content's pages and blocks are built from (snippets, images, sites, products, page privacy).
  Every cached page follows it (website.middleware). It moves when a page is unpublished, moved,
  renamed in its URL or deleted, when such a row changes, and when a publish changes the menu.
- PAGES_SCOPE: the Wagtail pages themselves. Any page saved or published moves it: every page
  of the content follows it (they list, link and feature each other: the home page's latest
  posts, a post's neighbours, the lookbooks), but the forum's and the shop's pages do not, so
  publishing a blog post leaves every topic and product page in the cache.
- page_scope(pk): one page's own fields and rows (its body, tags, authors): moved when that page is
  saved or published. A part of a page that shows only the page itself ({% fragment %}: a blog
  post's article) follows it and the content version, so it survives other pages' publishes.
"""

import hashlib

from django.core.cache import cache

from core.pagecache import page_depends
from core.versions import version_bump, version_get

CONTENT_VERSION_KEY = "content:version"
PAGES_SCOPE = "content:pages"
# The help centre's pages (content.help_tags): product pages link to its care page, so a help page
# saved, published or taken down moves this, not every page's scope.
HELP_SCOPE = "content:help"
MENU_SIGNATURE_KEY = "content:menu-signature"
# The brand's name, tagline and logo (Settings > Brand): moved by the brand, a site or an image.
BRAND_VERSION_KEY = "content:brand-version"


def content_version():
    return version_get(CONTENT_VERSION_KEY)


def content_changed():
    version_bump(CONTENT_VERSION_KEY, on_commit=False)


def page_scope(pk):
    return f"content:page:{pk}"


def page_shows_pages(request):
    page_depends(request, PAGES_SCOPE)


def _menu_signature():
    """What the menus are made of: the live pages marked "show in menus" just under a site's root
    (one per language), with their titles and paths. One query."""
    from wagtail.models import Page

    rows = Page.objects.filter(depth=3, show_in_menus=True, live=True).order_by("path").values_list(
        "pk", "title", "url_path")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def pages_changed(page_pk=None):
    """A page was saved or published (`page_pk`, when known: its own scope moves too): move the
    pages' scope, and the content version as well when the menu it makes is no longer the one pages
    show."""
    version_bump(PAGES_SCOPE)
    if page_pk is not None:
        version_bump(page_scope(page_pk))
    signature = _menu_signature()
    if cache.get(MENU_SIGNATURE_KEY) != signature:
        cache.set(MENU_SIGNATURE_KEY, signature, None)
        content_changed()
