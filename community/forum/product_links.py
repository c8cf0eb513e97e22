"""Which products a forum post talks about: the links in its rendered text to product pages.

A link counts when its path is a product page of this site (with or without a language prefix,
relative or on one of ALLOWED_HOSTS); the slug is looked up among active products. Kept in
ProductMention, so the product page's "Talked about in the forum" is one indexed query.
"""

import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

from shop.cache import product_changed
from shop.models import Product

from .models import ProductMention

HREF = re.compile(r'<a\s[^>]*?href="([^"]+)"')
MAX_LINKS = 20


def _is_ours(host):
    if not host:
        return True
    host = host.split(":")[0].lower()
    allowed = [h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS]
    return "*" in allowed or any(host == h or host.endswith("." + h) for h in allowed)


def _resolve(path):
    """Resolve a path of this site whatever language prefix it carries (or none)."""
    codes = [code for code, _name in settings.LANGUAGES]
    first = path.split("/", 2)[1] if path.count("/") >= 2 else ""
    language = first if first in codes else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            return resolve(path)
        except Resolver404:
            return None


def product_slugs(body_html):
    """The product slugs linked from a post's rendered HTML, in order, at most MAX_LINKS."""
    slugs = []
    for href in HREF.findall(body_html)[:MAX_LINKS * 3]:
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.scheme not in ("", "http", "https") or not _is_ours(parts.hostname):
            continue
        path = unquote(parts.path or "")
        if not path.startswith("/"):
            continue
        match = _resolve(path)
        if match is None:
            continue
        if match.view_name == "shop:product_detail" and match.kwargs.get("slug") not in slugs:
            slugs.append(match.kwargs["slug"])
        if len(slugs) >= MAX_LINKS:
            break
    return slugs


def mentions_sync(post):
    """Make the post's ProductMention rows match its text; the product pages that gain or lose
    it are told (their cached copies go)."""
    wanted = set(Product.objects.filter(slug__in=product_slugs(post.body_html), active=True).values_list("pk", flat=True))
    had = set(ProductMention.objects.filter(post=post).values_list("product_id", flat=True))
    if wanted == had:
        return
    ProductMention.objects.filter(post=post, product_id__in=had - wanted).delete()
    ProductMention.objects.bulk_create(
        [ProductMention(post=post, product_id=pk) for pk in wanted - had], ignore_conflicts=True)
    product_changed(*(wanted ^ had))



def mentions_changed(post):
    """The post was approved, hidden or shown again: the product pages it links to list it or not."""
    product_changed(*ProductMention.objects.filter(post=post).values_list("product_id", flat=True))
