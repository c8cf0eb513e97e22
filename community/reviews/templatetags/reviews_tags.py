"""Reviews on pages rendered by other apps (the shop is below community and cannot import reviews;
its templates load these tags):

    {% product_json_ld product product_ld %}   the page's ONE Product node, with aggregateRating and
                                               review entries merged in (in <head>)
    {% product_reviews product %}              the reviews section of a product page
    {% attach_ratings products %}              puts each product's ProductRating on it (one query),
                                               for {% include "reviews/includes/stars.html" %}

The product page's reviews cost a fixed number of queries whatever the number of reviews; the data
is worked out once per request and shared by the two tags.
"""

from urllib.parse import urlencode

from django import template
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse

from core.absolute import absolute_url
from core.jsonld import json_ld

from .. import selectors
from ..cache import page_shows_reviews
from ..models import ProductRating, Review
from ..permissions import can_vote_review, can_write_review

register = template.Library()

PERCENT_STEP = 5


def _percent_class(count, total):
    """The CSS width step (0, 5, ... 100) of a bar: no inline style (the CSP forbids them)."""
    if not total:
        return 0
    return int(round(100 * count / total / PERCENT_STEP) * PERCENT_STEP)


def reviews_data(request, product):
    """Everything the product page shows of reviews, worked out once per request."""
    cache = getattr(request, "_reviews_data", None)
    if cache is not None and cache.get("product_id") == product.pk:
        return cache
    page_shows_reviews(request)
    user = getattr(request, "user", None)
    filters = selectors.ReviewFilters.from_query(request.GET)
    rating = selectors.product_rating(product)
    page = selectors.product_reviews(product, filters, request.GET.get("page"))
    reviews = list(page.object_list)
    voted = selectors.voted_ids(user, reviews)
    authenticated = user is not None and user.is_authenticated
    own = selectors.review_of(user, product) if authenticated else None
    for review in reviews:
        review.product = product  # known: no query per review for its URL
        review.voted = review.pk in voted
        review.can_vote = authenticated and can_vote_review(user, review)
        review.is_own = authenticated and review.author_id == user.pk
    bars = []
    for stars in range(5, 0, -1):
        count = getattr(rating, f"stars_{stars}")
        bars.append({"stars": stars, "count": count, "width": _percent_class(count, rating.count),
                     "query": filters.query(rating=stars), "current": filters.rating == stars})
    write_url = reverse("reviews:write", kwargs={"slug": product.slug})
    questions = selectors.product_attributes(product) if rating.count else []
    data = {
        "product_id": product.pk, "product": product, "rating": rating, "filters": filters, "page_obj": page,
        "reviews": reviews, "bars": bars, "summary": selectors.attribute_summary(product, questions) if questions else [],
        "questions": questions,
        "strip": selectors.photo_strip(product) if rating.with_photos else [],
        "own": own, "write_url": write_url,
        "login_url": f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: write_url}, safe='/')}",
        "can_write": authenticated and own is None and can_write_review(user, product),
        "sorts": [("newest", filters.query(sort="newest")), ("helpful", filters.query(sort="helpful")),
                  ("highest", filters.query(sort="highest")), ("lowest", filters.query(sort="lowest"))],
        "clear_query": selectors.ReviewFilters(sort=filters.sort).query(),
        "photos_query": filters.query(photos=not filters.photos),
        "verified_query": filters.query(verified=not filters.verified),
    }
    request._reviews_data = data
    return data


def review_ld(review, request=None):
    return {
        "@type": "Review",
        "@id": absolute_url(f"{review.product.get_absolute_url()}#review-{review.pk}", request),
        "name": review.title,
        "reviewBody": review.body,
        "datePublished": (review.published_at or review.created_at).date().isoformat(),
        "author": {"@type": "Person", "name": review.author.public_name},
        "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5, "worstRating": 1},
    }


def product_ld_merge(node, rating, reviews, request=None):
    """`node` (the shop's Product node) with the aggregate and the review entries of published
    reviews added; the same @id, so the page has one Product node."""
    node = dict(node)
    if rating.count:
        node["aggregateRating"] = {
            "@type": "AggregateRating", "ratingValue": round(rating.total / rating.count, 2),
            "reviewCount": rating.count, "bestRating": 5, "worstRating": 1,
        }
        entries = [review_ld(r, request) for r in reviews
                   if r.status == Review.Status.PUBLISHED and not r.hidden]
        if entries:
            node["review"] = entries
    return node


@register.simple_tag(takes_context=True)
def product_json_ld(context, product, node):
    """The page's Product node, with its reviews merged in (the reviews of the unfiltered first
    page only: a filtered list is not what the product's rich result should say)."""
    request = context.get("request")
    if not node:
        return ""
    data = reviews_data(request, product)
    unfiltered = not data["filters"].active and data["page_obj"].number == 1
    return json_ld(product_ld_merge(node, data["rating"], data["reviews"] if unfiltered else [], request))


@register.inclusion_tag("reviews/includes/product_reviews.html", takes_context=True)
def product_reviews(context, product):
    request = context.get("request")
    return {**reviews_data(request, product), "request": request, "user": getattr(request, "user", None),
            "csrf_token": context.get("csrf_token"), "SITE_NAME": context.get("SITE_NAME")}


@register.inclusion_tag("reviews/includes/member_reviews.html", takes_context=True)
def member_reviews(context, member, limit=10):
    """A member's newest reviews on their profile (three queries whatever the number)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    reviews = list(selectors.member_reviews(member, viewer if viewer and viewer.is_authenticated else None)[:limit])
    return {"reviews": reviews, "member": member, "request": request, "SITE_NAME": context.get("SITE_NAME")}


@register.simple_tag
def attach_ratings(products):
    """Set `review_rating` (a ProductRating, empty when none) on each product: one query."""
    products = list(products)
    found = selectors.ratings_for(products)
    for product in products:
        product.review_rating = found.get(product.pk) or ProductRating(product_id=product.pk)
    return ""


@register.simple_tag(takes_context=True)
def attach_ratings_one(context, product):
    """Set `review_rating` on one product (the product page's, shared with its reviews section)."""
    product.review_rating = selectors.product_rating(product)
    return ""


@register.filter
def star_text(value):
    """4 -> "★★★★☆" (shown beside a text that says the number, for screen readers)."""
    try:
        full = round(float(value))
    except (TypeError, ValueError):
        return ""
    full = max(0, min(5, full))
    return "★" * full + "☆" * (5 - full)


@register.filter
def answer_of(review, question):
    """The label of `review`'s answer to `question` (a ReviewAttribute), or ""."""
    value = (review.attributes or {}).get(question.code)
    if value is None:
        return ""
    return selectors.answer_label(question, value)
