"""/sitemap.xml: the site's live, public Wagtail pages and the active products."""

from django.contrib.sitemaps import Sitemap

from shop.models import Product


class ProductSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Product.objects.filter(active=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, product):
        return product.updated_at
