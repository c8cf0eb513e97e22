"""/sitemap.xml: the site's live, public Wagtail pages, the active products and the forum topics
every visitor may read."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from community.forum.permissions import visible_topics
from shop.models import Product


class ProductSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Product.objects.filter(active=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, product):
        return product.updated_at


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return visible_topics(AnonymousUser()).only("pk", "slug", "last_posted_at").order_by("pk")

    def lastmod(self, topic):
        return topic.last_posted_at
