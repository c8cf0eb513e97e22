"""Reads of product reviews: a product's reviews page (filters, sort, pagination) in a fixed number
of queries, its aggregate and answer summary, a member's reviews, the verified-buyer rule, and the
rejections-by-stars report."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from core.pagination import paginate

from .app_settings import app_settings
from .models import HelpfulVote, ProductRating, RejectReason, Review, ReviewAttribute, ReviewPhoto, ReviewRejection

SORTS = {
    "newest": ("-created_at", "-pk"),
    "helpful": ("-helpful_count", "-created_at", "-pk"),
    "highest": ("-rating", "-created_at", "-pk"),
    "lowest": ("rating", "-created_at", "-pk"),
}
PHOTO_STRIP = 12


def member_verified_emails(member):
    from allauth.account.models import EmailAddress

    return [e.lower() for e in EmailAddress.objects.filter(user=member, verified=True).values_list("email", flat=True)]


def member_bought_verified(member, product_id):
    """The verified-buyer rule: an order, matched by one of the member's VERIFIED e-mail addresses,
    that is paid (or partly refunded), not cancelled, with a line of this product that was not
    refunded in full."""
    from shop.models import Order, OrderLine

    emails = member_verified_emails(member)
    if not emails:
        return False
    return (
        OrderLine.objects.filter(
            product_id=product_id, order__email__in=emails,
            order__status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED],
            order__cancelled_at__isnull=True,
        )
        .annotate(refunded=Coalesce(Sum("refund_lines__quantity"), 0))
        .filter(quantity__gt=F("refunded"))
        .exists()
    )


def product_rating(product):
    """The product's aggregate (a ProductRating, unsaved and empty when it has no reviews)."""
    found = getattr(product, "_rating_cache", None)
    if found is None:
        found = ProductRating.objects.filter(product=product).first() or ProductRating(product=product)
        product._rating_cache = found
    return found


def ratings_for(products):
    """{product id: ProductRating} for a list of products, in one query."""
    return {r.product_id: r for r in ProductRating.objects.filter(product__in=[p.pk for p in products])}


@dataclass
class AttributeSummary:
    question: ReviewAttribute
    answered: int
    counts: list  # for a scale/rating: five counts; for yes/no: [yes, no]
    top_label: str
    top_percent: int


def product_attributes(product):
    """The questions asked of reviews of this product (its product type's), in order."""
    if not product.product_type:
        return []
    return list(ReviewAttribute.objects.filter(product_type=product.product_type))


def attribute_summary(product, questions=None):
    """For each question of the product's type, what published reviews answered: the most common
    answer and its share ("Runs small", 60). One query whatever the number of reviews."""
    questions = product_attributes(product) if questions is None else questions
    if not questions:
        return []
    aggregates = {}
    for q in questions:
        values = [True, False] if q.kind == ReviewAttribute.Kind.YES_NO else [1, 2, 3, 4, 5]
        for i, value in enumerate(values):
            aggregates[f"a{q.pk}_{i}"] = Count("pk", filter=Q(**{f"attributes__{q.code}": value}))
    row = Review.objects.published().filter(product=product).aggregate(**aggregates)
    summaries = []
    for q in questions:
        yes_no = q.kind == ReviewAttribute.Kind.YES_NO
        counts = [row[f"a{q.pk}_{i}"] for i in range(2 if yes_no else 5)]
        answered = sum(counts)
        if not answered:
            continue
        top = max(range(len(counts)), key=lambda i: counts[i])
        summaries.append(AttributeSummary(q, answered, counts, answer_label(q, (True, False)[top] if yes_no else top + 1),
                                          round(100 * counts[top] / answered)))
    return summaries


def answer_label(question, value):
    from django.utils.translation import gettext as _

    if question.kind == ReviewAttribute.Kind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind == ReviewAttribute.Kind.SCALE:
        if value == 1 and question.low_label:
            return question.low_label
        if value == 5 and question.high_label:
            return question.high_label
        if value == 3:
            return _("As expected")
        return {2: _("Slightly toward “%(label)s”") % {"label": question.low_label or "1"},
                4: _("Slightly toward “%(label)s”") % {"label": question.high_label or "5"}}.get(value, str(value))
    return f"{value}/5"


@dataclass
class ReviewFilters:
    rating: int | None = None
    photos: bool = False
    verified: bool = False
    sort: str = "newest"

    @classmethod
    def from_query(cls, query):
        rating = query.get("rating", "")
        return cls(
            rating=int(rating) if rating in {"1", "2", "3", "4", "5"} else None,
            photos=query.get("photos") == "1",
            verified=query.get("verified") == "1",
            sort=query.get("sort") if query.get("sort") in SORTS else "newest",
        )

    @property
    def active(self):
        return bool(self.rating or self.photos or self.verified)

    def query(self, **changes):
        """The query string for these filters with `changes` (for links), without the page."""
        from urllib.parse import urlencode

        values = {"rating": self.rating, "photos": self.photos, "verified": self.verified, "sort": self.sort}
        values.update(changes)
        params = {}
        if values["rating"]:
            params["rating"] = values["rating"]
        if values["photos"]:
            params["photos"] = 1
        if values["verified"]:
            params["verified"] = 1
        if values["sort"] and values["sort"] != "newest":
            params["sort"] = values["sort"]
        return urlencode(params)


def _with_related(reviews):
    return reviews.select_related("author").prefetch_related(
        Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "pk")))


def product_reviews(product, filters, page):
    """A page of the product's published reviews with their authors and photos: four queries
    (count, rows, photos, and none more), whatever the number of reviews."""
    reviews = Review.objects.published().filter(product=product)
    if filters.rating:
        reviews = reviews.filter(rating=filters.rating)
    if filters.photos:
        reviews = reviews.filter(photo_count__gt=0)
    if filters.verified:
        reviews = reviews.filter(verified_buyer=True)
    rating = product_rating(product)
    count = None
    if not filters.active:
        count = rating.count
    elif filters.rating and not filters.photos and not filters.verified:
        count = getattr(rating, f"stars_{filters.rating}")
    elif filters.photos and not filters.rating and not filters.verified:
        count = rating.with_photos
    elif filters.verified and not filters.rating and not filters.photos:
        count = rating.verified
    return paginate(_with_related(reviews.order_by(*SORTS[filters.sort])), page, app_settings.PER_PAGE, count=count)


def voted_ids(member, reviews):
    """The ids among `reviews` the member marked helpful (one query)."""
    if member is None or not member.is_authenticated:
        return set()
    return set(HelpfulVote.objects.filter(member=member, review__in=[r.pk for r in reviews])
               .values_list("review_id", flat=True))


def photo_strip(product, limit=PHOTO_STRIP):
    """The newest photos of the product's published reviews (one query)."""
    return list(ReviewPhoto.objects.filter(review__product=product, review__status=Review.Status.PUBLISHED,
                                           review__hidden=False)
                .select_related("review").order_by("-review__created_at", "position")[:limit])


def review_of(member, product):
    """The member's review of the product, or None."""
    if member is None or not member.is_authenticated:
        return None
    return Review.objects.filter(product=product, author=member).prefetch_related("photos").first()


def member_reviews(member, viewer=None):
    """A member's reviews for their profile: published and visible to everyone; the member sees
    their own waiting ones too. With products (one query) and photos (one)."""
    reviews = Review.objects.filter(author=member, product__active=True)
    if viewer is None or viewer.pk != member.pk:
        reviews = reviews.published()
    else:
        reviews = reviews.exclude(status=Review.Status.REJECTED)
    return _with_related(reviews.select_related("product").order_by("-created_at", "-pk"))


def rejections_by_rating():
    """Rejected reviews by star rating and reason, for staff: rows {rating, total, reason: count}."""
    rows = {n: {"rating": n, "total": 0, **{r: 0 for r in RejectReason.values}} for n in range(1, 6)}
    for row in ReviewRejection.objects.values("rating", "reason").annotate(n=Count("pk")):
        if row["rating"] in rows and row["reason"] in RejectReason.values:
            rows[row["rating"]][row["reason"]] += row["n"]
            rows[row["rating"]]["total"] += row["n"]
    published = dict(Review.objects.published().values_list("rating").annotate(n=Count("pk")))
    for n, row in rows.items():
        row["by_reason"] = [row[r] for r in RejectReason.values]
        row["published"] = published.get(n, 0)
        seen = row["published"] + row["total"]
        row["rejected_percent"] = round(100 * row["total"] / seen, 1) if seen else 0
    return [rows[n] for n in range(5, 0, -1)]


def reviews_search(query, limit):
    """Published, visible reviews of active products matching `query` (title and text), at most
    `limit`, on Wagtail's search backend, with their products."""
    from wagtail.search.backends import get_search_backend

    hits = get_search_backend().search(query, Review.objects.published().select_related("product"))[:limit]
    return [review for review in hits if review.product.active]
