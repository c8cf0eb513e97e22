"""/sitemap.xml: the site's live, public Wagtail pages in every language they exist in, the active
products and the forum topics every visitor may read (each at its address in every language, with
hreflang alternates), and the live photo posts and the hashtags that have any."""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from community.forum.permissions import visible_topics
from community.posts.models import Hashtag, Post
from shop.models import Product


class PageSitemap(WagtailSitemap):
    """Every language version of the site's pages: the site's root page and its translations (each
    locale's tree), not only the default language's tree as Wagtail's own sitemap lists."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth).only("path")
        within = reduce(or_, (Q(path__startswith=r.path) for r in roots), Q(pk=root.pk))
        return Page.objects.filter(within).live().public().order_by("path").defer_streamfields().specific()


class InterfaceInEveryLanguage:
    """What the site shows in every language (its interface is translated): one entry per language
    with hreflang alternates and an x-default (the unprefixed English address)."""

    i18n = True
    alternates = True
    x_default = True


class ProductSitemap(InterfaceInEveryLanguage, Sitemap):
    changefreq = "weekly"

    def items(self):
        return Product.objects.filter(active=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, product):
        return product.updated_at


class TopicSitemap(InterfaceInEveryLanguage, Sitemap):
    changefreq = "daily"

    def items(self):
        return visible_topics(AnonymousUser()).only("pk", "slug", "last_posted_at").order_by("pk")

    def lastmod(self, topic):
        return topic.last_posted_at


class PhotoPostSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Post.objects.live().only("pk", "created_at", "edited_at").order_by("pk")

    def lastmod(self, post):
        return post.edited_at or post.created_at


class HashtagSitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Hashtag.objects.filter(post_count__gt=0).only("pk", "key").order_by("pk")
