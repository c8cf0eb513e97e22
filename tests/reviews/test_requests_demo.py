"""The reviews' demo: questions for the demo product types, reviews by verified buyers and a few
non-buyers in four languages, photos, votes, replies, two held; quick, quiet and idempotent."""

import time
from io import StringIO

import pytest

from community.members import demo as members_demo
from community.reviews import demo
from community.reviews.models import HelpfulVote, ProductRating, Review, ReviewAttribute, ReviewPhoto
from community.reviews.services import product_rating_recount
from shop import demo as shop_demo
from shop.models import Product

pytestmark = pytest.mark.django_db


def test_the_demo_reviews(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        shop_demo.load(StringIO())
        members_demo.load(StringIO())
        out = StringIO()
        started = time.monotonic()
        made = demo.load(out)
        took = time.monotonic() - started
    assert took < 10, took
    assert made >= 15
    assert not Product.objects.filter(product_type="").exists()  # every demo product has a type
    assert ReviewAttribute.objects.filter(product_type="Shirts", code="fit").exists()
    reviews = Review.objects.all()
    assert {"el", "nb", "hu", "en"} <= set(reviews.values_list("language", flat=True))
    assert reviews.filter(verified_buyer=True).count() >= 10
    assert reviews.filter(verified_buyer=False, status=Review.Status.PUBLISHED).count() >= 3
    assert reviews.filter(status=Review.Status.PENDING).count() == 2
    assert ReviewPhoto.objects.count() == demo.PHOTO_REVIEWS
    assert HelpfulVote.objects.exists()
    assert reviews.exclude(brand_reply="").count() >= 3
    assert reviews.exclude(attributes={}).exists()
    assert product_rating_recount() == 0  # the aggregates agree with the rows
    assert ProductRating.objects.filter(count__gt=0).exists()
    for review in reviews.filter(status=Review.Status.PUBLISHED):
        assert review.helpful_count == review.helpful_votes.count()
    assert "Demo reviews:" in out.getvalue() and "\n" not in out.getvalue().strip()
    again = StringIO()
    assert demo.load(again) == 0
    assert Review.objects.count() == made
