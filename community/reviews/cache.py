"""What anonymous visitors see of reviews, in the page cache's scopes (core.pagecache).

A review, a vote, a moderation or a reply moves the scope of the product it is about (its page)
and the product list's (it shows star averages), through shop.cache, and the highlights' scope
that CMS pages showing "top reviews" follow. Nothing else: the rest of the site stays cached.
`reviews_changed()` with no product (the recount commands) moves every product page's reviews.
"""

from core.pagecache import page_depends, scopes_changed
from shop.cache import PRODUCT_LISTS_SCOPE, product_changed

HIGHLIGHTS_SCOPE = "reviews:highlights"
ALL_SCOPE = "reviews:all"


def page_shows_reviews(request, *, highlights=False):
    """A page shows reviews: every product page (through the reviews' template tags), and with
    `highlights` a block of top reviews on a CMS page."""
    if request is not None:
        page_depends(request, HIGHLIGHTS_SCOPE if highlights else ALL_SCOPE)


def reviews_changed(*product_ids):
    if product_ids:
        product_changed(*product_ids, lists=True)
        scopes_changed(HIGHLIGHTS_SCOPE)
    else:
        scopes_changed(ALL_SCOPE, HIGHLIGHTS_SCOPE, PRODUCT_LISTS_SCOPE)
