"""Reads for the blog: post lists and archives, a post's authors and related posts, feed links and
the post's JSON-LD. Every list fetches its authors, categories, images and image renditions in a
fixed number of queries, however many rows it shows."""


from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Site

from core.absolute import absolute_url
from core.jsonld import breadcrumb_list, json_ld
from core.pagecache import Lazy
from core.pagination import paginate
from core.wagtail_renditions import rendition_or_pending

from .models import BlogCategory, BlogIndexPage, BlogPage, BlogPageAuthor

POSTS_PER_PAGE = 10
FEED_ITEMS = 20
RELATED_POSTS = 3
# The rendition a post's JSON-LD and link previews point to.
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def _with_list_data(posts, author_photos=False):
    """Posts with what a list shows: the hero image and its renditions, and the authors."""
    authors = BlogPageAuthor.objects.select_related("author__photo" if author_photos else "author").order_by("sort_order", "pk")
    if author_photos:
        authors = authors.prefetch_related("author__photo__renditions")
    return posts.select_related("hero_image").prefetch_related(
        Prefetch("blog_authors", queryset=authors),
        "hero_image__renditions",
    )


def blog_posts(blog, tag=None, category=None):
    """The blog's live, public posts, newest first, optionally only those with a tag or in a category."""
    posts = BlogPage.objects.live().public().child_of(blog)
    if tag is not None:
        posts = posts.filter(tagged_items__tag=tag)
    if category is not None:
        posts = posts.filter(categories=category)
    return _with_list_data(posts.order_by("-date", "-pk"))


def latest_posts(root, count):
    """The newest live, public posts anywhere under `root` (the home page shows them)."""
    return list(_with_list_data(BlogPage.objects.live().public().descendant_of(root).order_by("-date", "-pk"))[:count])


def paginate_posts(posts, number):
    """A page of posts (core.pagination's rules: past the end is a 404)."""
    return paginate(posts, number, POSTS_PER_PAGE)


def blog_tag_or_404(slug):
    """The tag with this slug that some blog post carries (tags are shared with other apps)."""
    tag = Tag.objects.filter(slug=slug, content_blogpagetag_items__isnull=False).first()
    if tag is None:
        raise Http404
    return tag


def blog_category_or_404(slug):
    """The category with this slug in the language being read, else in the default language."""
    from django.utils import translation

    categories = {c.locale.language_code: c for c in BlogCategory.objects.filter(slug=slug).select_related("locale")}
    category = categories.get(translation.get_language()) or categories.get(settings.LANGUAGE_CODE) \
        or next(iter(categories.values()), None)
    if category is None:
        raise Http404
    return category


def blog_feed_links(blog, request=None, tag=None, category=None):
    """The feeds a blog page offers in its <head>: the archive's own first, then the whole blog's."""
    links = []
    if tag is not None:
        title = _("Posts tagged “%(tag)s”") % {"tag": tag.name}
        links += [
            {"type": "application/rss+xml", "title": f"{title} (RSS)",
             "href": blog.subpage_url("tag_feed", request, tag=tag.slug)},
            {"type": "application/atom+xml", "title": f"{title} (Atom)",
             "href": blog.subpage_url("tag_feed_atom", request, tag=tag.slug)},
        ]
    if category is not None:
        links += [
            {"type": "application/rss+xml", "title": f"{category.name} (RSS)",
             "href": blog.subpage_url("category_feed", request, category=category.slug)},
            {"type": "application/atom+xml", "title": f"{category.name} (Atom)",
             "href": blog.subpage_url("category_feed_atom", request, category=category.slug)},
        ]
    links += [
        {"type": "application/rss+xml", "title": f"{blog.title} (RSS)", "href": blog.subpage_url("feed", request)},
        {"type": "application/atom+xml", "title": f"{blog.title} (Atom)", "href": blog.subpage_url("feed_atom", request)},
    ]
    return links


def feed_posts(blog, tag=None, category=None):
    return blog_posts(blog, tag=tag, category=category)[:FEED_ITEMS]


def blog_post_context(post, request):
    """What a post's page shows besides its own fields: authors with photos, categories, tags,
    related posts, the previous and next posts, the blog, and the JSON-LD. Each is read when the
    template first shows it (Lazy): the post's page keeps its parts in the cache ({% fragment %}),
    under the post's own scope (the article) and the pages' scope (what shows other pages), so a
    request that finds them kept reads none of it."""
    from content.cache import PAGES_SCOPE, page_scope

    # A preview shows the editor's unsaved authors, categories and tags, held in memory by the page.
    preview = getattr(request, "is_preview", False) or post.pk is None

    def hero_image():
        if preview or not post.hero_image_id:
            return post.hero_image
        # The hero with all its renditions in two queries, whatever the cache holds (one, when the page's
        # link preview has read the image already).
        if BlogPage.hero_image.is_cached(post):
            prefetch_related_objects([post.hero_image], "renditions")
            return post.hero_image
        post.hero_image = get_image_model().objects.prefetch_renditions().filter(pk=post.hero_image_id).first()
        return post.hero_image

    def authors():
        if preview:
            return [link.author for link in post.blog_authors.all() if link.author_id]
        return [
            link.author for link in
            BlogPageAuthor.objects.filter(page=post).select_related("author__photo")
            .prefetch_related("author__photo__renditions").order_by("sort_order", "pk")
        ]

    def blog():
        return BlogIndexPage.objects.filter(path=post.path[: -BlogPage.steplen]).first()  # the parent, in one query

    hero, authors, blog = Lazy(hero_image), Lazy(authors), Lazy(blog)

    def terms(items):
        def read():
            found = list(items.all())
            if blog() is not None:
                for term in found:
                    kind = "category" if isinstance(term, BlogCategory) else "tag"
                    term.archive_url = blog().subpage_url(kind, request, **{kind: term.slug})
            return found
        return Lazy(read)

    categories, tags = terms(post.categories), terms(post.tags)

    def siblings():
        private = BlogPage.objects.private_q()  # one query, reused by the lists below
        found = BlogPage.objects.live().exclude(private)
        if post.pk is not None:
            found = found.exclude(pk=post.pk)
        if blog() is not None:
            found = found.child_of(blog())
        return found

    siblings = Lazy(siblings)

    def related():
        if not (tags() or categories()):
            return []
        return list(_with_list_data(
            siblings().filter(Q(tagged_items__tag__in=tags()) | Q(categories__in=categories()))
            .distinct().order_by("-date", "-pk")
        )[:RELATED_POSTS])

    def neighbour(direction):
        def read():
            if post.date is None:
                return None
            # Posts of the same date are ordered by id, as the blog's list orders them.
            same_day = post.pk is not None
            if direction == "older":
                tie = Q(date=post.date, pk__lt=post.pk) if same_day else Q(pk__in=[])
                return siblings().filter(Q(date__lt=post.date) | tie).order_by("-date", "-pk").first()
            tie = Q(date=post.date, pk__gt=post.pk) if same_day else Q(pk__in=[])
            return siblings().filter(Q(date__gt=post.date) | tie).order_by("date", "pk").first()
        return Lazy(read)

    return {
        "hero_image": hero,
        "blog": blog,
        "authors": authors,
        "categories": categories,
        "tags": tags,
        "related_posts": Lazy(related),
        "older_post": neighbour("older"),
        "newer_post": neighbour("newer"),
        "feed_links": Lazy(lambda: blog_feed_links(blog(), request) if blog() is not None else []),
        "json_ld": Lazy(lambda: post_json_ld(post, request, blog(), authors(), hero())),
        # The scopes of the page's parts: the article shows the post itself; the rest shows other pages.
        "post_scopes": [page_scope(post.pk)] if post.pk is not None else [],
        "pages_scopes": [PAGES_SCOPE],
    }


# --- JSON-LD -----------------------------------------------------------------------------------

def site_name(request):
    site = Site.find_for_request(request)
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def post_json_ld(post, request, blog, authors, hero_image=None):
    """Two <script type="application/ld+json"> elements: the schema.org BlogPosting and the
    BreadcrumbList Home > Blog > post."""
    url = absolute_url(post.get_url(request), request)
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.intro,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": post.date.isoformat(),
        "dateModified": (post.last_published_at or post.latest_revision_created_at or post.date).isoformat(),
        "inLanguage": post.locale.language_code if post.locale_id else settings.LANGUAGE_CODE,
        "author": [{"@type": "Person", "name": author.name} for author in authors],
        "publisher": {
            "@type": "Organization",
            "name": site_name(request),
            "logo": {"@type": "ImageObject", "url": absolute_url(static("img/logo.svg"), request)},
        },
    }
    hero_image = hero_image if hero_image is not None else post.hero_image
    if hero_image is not None:
        posting["image"] = absolute_url(rendition_or_pending(hero_image, SHARE_IMAGE_SPEC, request).url, request)
    trail = [(_("Home"), reverse("wagtail_serve", args=[""]))]
    if blog is not None:
        trail.append((blog.title, blog.get_url(request)))
    trail.append((post.title, url))
    breadcrumbs = breadcrumb_list(trail, request)
    return json_ld(posting) + json_ld(breadcrumbs)
