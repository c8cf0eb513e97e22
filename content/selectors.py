import re

from django.conf import settings
from django.core.cache import cache
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from community.forum.selectors import forum_search, latest_topics
from community.posts.selectors import posts_search
from community.posts.showcase import HOME_COUNT as HOME_MEMBER_POSTS
from community.posts.showcase import posts_featured
from community.reviews.selectors import reviews_search
from core.absolute import absolute_url
from core.jsonld import breadcrumb_list, json_ld
from core.pagecache import Lazy, page_depends, page_max_age, page_scope_version
from core.search import SearchHit, SearchType, search_run, search_type_register
from core.versions import held
from core.wagtail_renditions import PAGE_SECONDS, is_pending, rendition_or_pending
from shop.models import Product
from shop.selectors import products_featured

from .cache import BRAND_VERSION_KEY, CONTENT_VERSION_KEY

MENU_TIMEOUT = 60 * 60
HOME_LATEST_TOPICS = 5
HOME_PRODUCTS = 4
HITS_PER_SOURCE = 200


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


def site_search(query, request, type_code=None):
    """The one search function, over every kind of thing a visitor can find (core.search's
    registry: pages, blog posts, lookbooks, products, forum topics and posts here; other apps add
    theirs): every kind, or only `type_code`'s. Each search gives its best HITS_PER_SOURCE matches,
    in registry order. The query is reduced to its words first (search_terms)."""
    terms = search_terms(query)
    if not terms:
        return []
    return search_run(terms, request, HITS_PER_SOURCE, code=type_code)


def _page_hits(terms, request, limit):
    """Live, public pages: blog posts, lookbooks and other pages, in one search."""
    from .models import BlogPage, HelpIndexPage, HelpPage, LookbookIndexPage, LookbookPage

    def code(page):
        if isinstance(page, BlogPage):
            return "blog"
        if isinstance(page, HelpPage | HelpIndexPage):
            return "help"
        if isinstance(page, LookbookPage | LookbookIndexPage):
            return "lookbook"
        return "page"

    pages = Page.objects.live().public().specific().search(terms)[:limit]
    return [SearchHit(code(page), page.title, page.get_url(request),
                      page.search_description or getattr(page, "intro", "") or "") for page in pages]


def _product_hits(terms, request, limit):
    products = get_search_backend().search(terms, Product.objects.filter(active=True))[:limit]
    return [SearchHit("product", product.name, product.get_absolute_url(), product.description) for product in products]


def _forum_hits(terms, request, limit):
    topics, posts = forum_search(getattr(request, "user", None), terms, limit)
    return ([SearchHit("topic", topic.title, topic.get_absolute_url(), "") for topic in topics]
            + [SearchHit("post", post.topic.title, post.get_absolute_url(), post.body) for post in posts])


def _review_hits(terms, request, limit):
    return [SearchHit("review", f"{review.product.name}: {review.title}", review.get_absolute_url(), review.body)
            for review in reviews_search(terms, limit)]


def _photo_post_hits(terms, request, limit):
    photo_posts, _hashtags = posts_search(getattr(request, "user", None), terms, limit)
    return [SearchHit("photo", _("%(name)s’s photo") % {"name": post.author.public_name}, post.get_absolute_url(),
                      post.caption) for post in photo_posts]


def _hashtag_hits(terms, request, limit):
    _photo_posts, hashtags = posts_search(getattr(request, "user", None), terms, limit)
    return [SearchHit("hashtag", f"#{tag.name}", tag.get_absolute_url(),
                      ngettext("%(n)d photo post", "%(n)d photo posts", tag.post_count) % {"n": tag.post_count})
            for tag in hashtags]


def register_search_types():
    """The kinds content finds itself (its pages) and for the layers below it that do not register
    their own (products, forum topics and posts). Called from ContentConfig.ready()."""
    for search_type in (
        SearchType("blog", _("Blog posts"), _("Blog post"), _page_hits, order=10),
        SearchType("lookbook", _("Lookbooks"), _("Lookbook"), _page_hits, order=20),
        SearchType("help", _("Help centre"), _("Help"), _page_hits, order=25),
        SearchType("page", _("Pages"), _("Page"), _page_hits, order=30),
        SearchType("product", _("Products"), _("Product"), _product_hits, order=40),
        SearchType("topic", _("Forum topics"), _("Forum topic"), _forum_hits, order=50),
        SearchType("post", _("Forum posts"), _("Forum post"), _forum_hits, order=51),
        SearchType("photo", _("Photo posts"), _("Photo post"), _photo_post_hits, order=55),
        SearchType("hashtag", _("Hashtags"), _("Hashtag"), _hashtag_hits, order=56),
        SearchType("review", _("Reviews"), _("Review"), _review_hits, order=60),
    ):
        search_type_register(search_type)


def menu_items(request, language):
    """The main menu: the site root's live, public children marked "show in menus", in the
    visitor's language, as [{"title", "url"}]. Shown on every page, so it is cached per host and
    language, under the content version (content.cache), which moves on whenever content changes;
    read once a request (the header and the footer both show it)."""
    read = request.__dict__.setdefault("_menu_items", {})
    if language not in read:
        read[language] = _menu_items(request, language)
    return read[language]


def _menu_items(request, language):
    page_depends(request, CONTENT_VERSION_KEY, BRAND_VERSION_KEY)  # every page shows both: one read
    key = f"content:menu:{page_scope_version(request, CONTENT_VERSION_KEY)}:{request.get_host()}:{language}"
    return held(key, lambda: (_menu_items_shared(request, key), MENU_HELD_SECONDS))


# Held in each process's memory too (core.versions.held): a change moves the content version.
MENU_HELD_SECONDS = 300


def _menu_items_shared(request, key):
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


BRAND_TIMEOUT = 3600


def brand_for_request(request):
    """The brand (Settings > Brand) for the request's site: {"name", "tagline", "logo_url", "logo_chosen"}. On every
    page and in the admin, so cached per host under the brand's version, which a change of the
    brand, an image or a site moves on (content.signals); reading it never creates the settings
    row (no GET writes). Read once a request."""
    if "_brand" not in request.__dict__:
        request._brand = _brand(request)
    return request._brand


def _brand(request):
    page_depends(request, BRAND_VERSION_KEY, CONTENT_VERSION_KEY)  # every page shows both: one read
    key = f"content:brand-held:{page_scope_version(request, BRAND_VERSION_KEY)}:{request.get_host()}"
    return held(key, lambda: _brand_shared(request, key))


def _brand_shared(request, key):
    """(brand, how long it may be kept): from the shared cache, or made and put there. Each process
    holds it that long again at most (core.versions.held)."""
    from .models import BrandSettings

    found = cache.get(key)
    if found is None:
        site = Site.find_for_request(request)
        row = BrandSettings.objects.filter(site=site).select_related("logo").first() if site is not None else None
        logo_url, timeout = static("img/logo.svg"), BRAND_TIMEOUT
        if row is not None and row.logo is not None:
            logo = rendition_or_pending(row.logo, "fill-96x96|format-png", request)
            logo_url = logo.url
            if is_pending(logo):  # kept until the worker has made the logo, not an hour
                timeout = PAGE_SECONDS
        brand = {
            "name": (row.name if row else "") or (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME,
            "tagline": row.tagline if row else "",
            "logo_url": logo_url,
            "logo_chosen": row is not None and row.logo is not None,
        }
        found = (brand, timeout)
        cache.set(key, found, timeout)
    return found


# --- Home, brand story, lookbooks, members-only pages ----------------------------------------------

def lookbooks(index_page=None, root=None):
    """Live, public lookbooks, newest first, with their cover images and renditions: the children of
    `index_page`, or every lookbook under `root`."""
    from .models import LookbookPage

    pages = LookbookPage.objects.live().public()
    pages = pages.child_of(index_page) if index_page is not None else pages.descendant_of(root)
    return pages.select_related("cover_image").prefetch_related("cover_image__renditions").order_by("-date", "-pk")


def lookbooks_featuring(product, limit=3):
    """Live, public lookbooks with the product in a look (content.lookbook_index), newest first."""
    from .models import LookbookPage

    return list(LookbookPage.objects.live().public().filter(product_links__product=product)
                .select_related("cover_image").prefetch_related("cover_image__renditions")
                .order_by("-date", "-pk")[:limit])


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
    from .cache import PAGES_SCOPE, page_scope
    from .models import HOME_LATEST_POSTS

    user = getattr(request, "user", None)
    # The strips of members' activity lag by at most HOME_COMMUNITY_SECONDS in the page cache (and
    # one render: past that age the kept page is served while one request renders it again): a
    # reply in the forum moves no scope of the home page.
    page_max_age(request, settings.HOME_COMMUNITY_SECONDS)
    # Each strip is read when the template shows it (Lazy): the page keeps its strips as parts
    # ({% fragment %}) under their own scopes, and a strip found kept reads nothing.
    return {
        "latest_posts": Lazy(lambda: latest_posts(home, HOME_LATEST_POSTS)),
        "featured_lookbook": Lazy(lambda: featured_lookbook(home)),
        "latest_topics": latest_topics(user, HOME_LATEST_TOPICS),
        "shop_products": Lazy(lambda: products_featured(HOME_PRODUCTS)),
        # "From our members": the newest featured posts (editors feature them in the moderation
        # queue or on the post's page); the strip is left out while there are none.
        "member_posts": Lazy(lambda: posts_featured(HOME_MEMBER_POSTS, request=request)),
        # visitors too: the page asks them to sign in first, then shows their link
        "referral_url": referral_url(),
        "home_scopes": [page_scope(home.pk)],
        "pages_scopes": [PAGES_SCOPE],
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
