import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from community.forum.selectors import forum_search, latest_topics
from community.posts.selectors import posts_search
from community.reviews.selectors import reviews_search
from core.absolute import absolute_url
from core.jsonld import breadcrumb_list, json_ld
from core.pagecache import page_max_age
from shop.models import Product
from shop.selectors import products_featured

from .cache import content_version

MENU_TIMEOUT = 60 * 60
HOME_LATEST_TOPICS = 5
HOME_PRODUCTS = 4
HITS_PER_SOURCE = 200


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    summary: str


SEARCH_QUERY_MAX = 200
SEARCH_TERMS_MAX = 12
_NOT_A_WORD = re.compile(r"[^\w]+")


def search_terms(query):
    """What a search box's text searches for: its words (letters and digits of any script), at most
    SEARCH_TERMS_MAX of them, in lower case. Everything else (quotes, FTS operators such as * ^ : ( ) -, NUL,
    unpaired surrogates) separates words, so no text reaches the database's full-text syntax as
    syntax: `x"` is a 500 in SQLite's FTS5 otherwise."""
    text = "".join(ch for ch in str(query)[:SEARCH_QUERY_MAX] if not 0xD800 <= ord(ch) <= 0xDFFF)
    # Lower case too: FTS5's AND, OR, NOT and NEAR are operators only in capitals, and matching
    # ignores case anyway.
    words = _NOT_A_WORD.sub(" ", text.replace("_", " ")).lower().split()
    return " ".join(words[:SEARCH_TERMS_MAX])


def site_search(query, request):
    """The one search function, over every kind of thing a visitor can find: live, public pages
    (blog posts, lookbooks, ...), active products, the forum topics and posts the visitor may
    see, published reviews, photo posts and hashtags. Each source gives its best HITS_PER_SOURCE
    matches, pages first. The query is reduced to its words first (search_terms)."""
    query = search_terms(query)
    if not query:
        return []
    pages = Page.objects.live().public().specific().search(query)[:HITS_PER_SOURCE]
    products = get_search_backend().search(query, Product.objects.filter(active=True))[:HITS_PER_SOURCE]
    hits = [
        SearchHit(_("Page"), page.title, page.get_url(request), page.search_description or getattr(page, "intro", "") or "")
        for page in pages
    ]
    hits += [SearchHit(_("Product"), product.name, product.get_absolute_url(), product.description) for product in products]
    topics, posts = forum_search(getattr(request, "user", None), query, HITS_PER_SOURCE)
    hits += [SearchHit(_("Forum topic"), topic.title, topic.get_absolute_url(), "") for topic in topics]
    hits += [SearchHit(_("Forum post"), post.topic.title, post.get_absolute_url(), post.body) for post in posts]
    hits += [SearchHit(_("Review"), f"{review.product.name}: {review.title}", review.get_absolute_url(), review.body)
             for review in reviews_search(query, HITS_PER_SOURCE)]
    photo_posts, hashtags = posts_search(getattr(request, "user", None), query, HITS_PER_SOURCE)
    hits += [SearchHit(_("Hashtag"), f"#{tag.name}", tag.get_absolute_url(),
                       ngettext("%(n)d photo post", "%(n)d photo posts", tag.post_count) % {"n": tag.post_count})
             for tag in hashtags]
    hits += [SearchHit(_("Photo post"), _("%(name)s’s photo") % {"name": post.author.public_name},
                       post.get_absolute_url(), post.caption) for post in photo_posts]
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


# --- Home, brand story, lookbooks, members-only pages ----------------------------------------------

def lookbooks(index_page=None, root=None):
    """Live, public lookbooks, newest first, with their cover images and renditions: the children of
    `index_page`, or every lookbook under `root`."""
    from .models import LookbookPage

    pages = LookbookPage.objects.live().public()
    pages = pages.child_of(index_page) if index_page is not None else pages.descendant_of(root)
    return pages.select_related("cover_image").prefetch_related("cover_image__renditions").order_by("-date", "-pk")


def featured_lookbook(home):
    """The lookbook the home page features: the editors' choice if it is live and public, else the newest."""
    if home.featured_lookbook_id is not None:
        chosen = lookbooks(root=home).filter(pk=home.featured_lookbook_id).first()
        if chosen is not None:
            return chosen
    return lookbooks(root=home).first()


def referral_url():
    """Where a member's referral links live, once the referrals app serves that page; None before."""
    try:
        return reverse("referrals:dashboard")
    except NoReverseMatch:
        return None


def home_page_context(home, request):
    from .blog.selectors import latest_posts
    from .models import HOME_LATEST_POSTS

    user = getattr(request, "user", None)
    # The strips of members' activity lag by at most HOME_COMMUNITY_SECONDS in the page cache: a
    # reply in the forum does not move the home page's scope.
    page_max_age(request, settings.HOME_COMMUNITY_SECONDS)
    return {
        "latest_posts": latest_posts(home, HOME_LATEST_POSTS),
        "featured_lookbook": featured_lookbook(home),
        "latest_topics": latest_topics(user, HOME_LATEST_TOPICS),
        "shop_products": products_featured(HOME_PRODUCTS),
        # visitors too: the page asks them to sign in first, then shows their link
        "referral_url": referral_url(),
    }


def breadcrumb_trail(page, request):
    """(title, url) from the home page down to `page`: one query for the ancestors."""
    ancestors = page.get_ancestors().filter(depth__gte=2)
    trail = [(_("Home") if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request)) for ancestor in ancestors]
    trail.append((page.title, page.get_url(request)))
    return trail


def content_page_context(page, request, schema_type, members_only=False):
    """What every content page shows besides its own fields: the breadcrumb trail, and as JSON-LD
    the schema.org description of a content page (AboutPage, CollectionPage, WebPage) and its
    BreadcrumbList. A members-only page says its body is not free to read (the markup search
    engines expect for content behind a sign-in)."""
    url = absolute_url(page.get_url(request), request)
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": page.seo_title or page.title,
        "url": url,
        "description": page.search_description or getattr(page, "intro", "") or "",
        "inLanguage": page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE,
    }
    if members_only:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".members-content"}
    trail = breadcrumb_trail(page, request)
    return {"breadcrumbs": trail, "json_ld": json_ld(data) + json_ld(breadcrumb_list(trail, request))}
