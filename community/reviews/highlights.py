"""Reviews shown elsewhere on the site: the "top reviews" block of CMS pages (content.page_blocks)."""

from .models import Review

TOP_REVIEWS_MAX = 12


def top_reviews(*, product=None, min_rating=4, count=3):
    """The most helpful published reviews (of `product`, or of every product on sale) rated at
    least `min_rating`, newest first among equals, with their authors and products: one query,
    whatever the count."""
    count = max(1, min(int(count or 1), TOP_REVIEWS_MAX))
    reviews = Review.objects.published().filter(rating__gte=min_rating, product__active=True)
    if product is not None:
        reviews = reviews.filter(product=product)
    return list(reviews.select_related("author", "product").order_by("-helpful_count", "-created_at", "-pk")[:count])
