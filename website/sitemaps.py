"""/sitemap.xml: the site's live, public Wagtail pages, the active products, the forum topics
every visitor may read, and the live photo posts and the hashtags that have any."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from community.forum.permissions import visible_topics
from community.posts.models import Hashtag, Post
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
