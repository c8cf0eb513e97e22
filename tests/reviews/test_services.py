"""The review services: submit, hold, edit with revisions, photos, delete, helpful votes, the
aggregate moved with F() and recomputed from the rows, and the published signal."""

import pytest
from django.core.management import call_command

from community.reviews import services
from community.reviews.models import (
    HelpfulVote,
    ProductRating,
    ReviewPolicy,
    ReviewRejection,
    ReviewRevision,
)
from community.reviews.services import AlreadyReviewed, PhotoInput, ReviewError
from community.reviews.signals import review_published
from core.images import image_process
from tests.factories import MemberFactory, ProductFactory

from .conftest import png_upload


def submit(member, product, **changes):
    data = {"rating": 4, "title": "Good shirt", "body": "Soft linen, washes well.", **changes}
    return services.review_submit(member, product, **data)


def rating_of(product):
    return ProductRating.objects.get(product=product)


def photo(alt="A shirt on a hanger"):
    return PhotoInput(image_process(png_upload(), "review_photo"), alt)


@pytest.fixture
def published(db):
    seen = []

    def receiver(sender, review, **kwargs):
        seen.append((review.pk, review.rating))

    review_published.connect(receiver)
    yield seen
    review_published.disconnect(receiver)


def test_submit_publishes_and_counts(alice, product, django_capture_on_commit_callbacks, published):
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(alice, product, rating=5)
    assert review.status == "published" and review.published_at and not review.verified_buyer
    agg = rating_of(product)
    assert (agg.count, agg.total, agg.stars_5, agg.verified, agg.with_photos) == (1, 5, 1, 0, 0)
    assert published == [(review.pk, 5)]


def test_a_second_review_by_the_same_member_is_refused(alice, product):
    first = submit(alice, product)
    with pytest.raises(AlreadyReviewed) as refused:
        submit(alice, product, rating=1)
    assert refused.value.review == first
    assert rating_of(product).count == 1


@pytest.mark.parametrize("rating", [0, 6, "abc", "", None, "4.5", -1, True])
def test_bad_ratings_are_refused(alice, product, rating):
    with pytest.raises(ReviewError):
        submit(alice, product, rating=rating)
    assert not ProductRating.objects.exists()


@pytest.mark.parametrize(("title", "body"), [("", "Fine."), ("Fine", ""), ("Fine", " "), ("x" * 121, "Fine."),
                                             ("Fine", "x" * 5001), ("Fine", "a\x00b")])
def test_bad_text_is_refused(alice, product, title, body):
    with pytest.raises(ReviewError):
        submit(alice, product, title=title, body=body)


def test_an_inactive_product_cannot_be_reviewed(alice, product):
    product.active = False
    product.save()
    with pytest.raises(ReviewError) as refused:
        submit(alice, product)
    assert refused.value.code == "inactive"


@pytest.mark.parametrize(("body", "reason"), [
    ("Buy cheap at https://spam.example now", "link"),
    ("see www.example.org", "link"),
    ("visit cheapshirts.com today", "link"),
    ("This is shit quality", "profanity"),
])
def test_links_and_rude_words_are_held(alice, product, body, reason, published):
    review = submit(alice, product, body=body)
    assert (review.status, review.held_reason) == ("pending", reason)
    assert not ProductRating.objects.filter(product=product, count__gt=0).exists()
    assert published == []


def test_the_policy_can_hold_every_review_and_refuse_non_buyers(alice, bob, product, bought):
    policy = ReviewPolicy.load()
    policy.auto_publish = False
    policy.non_buyers_may_review = False
    policy.save()
    review = submit(alice, product)
    assert (review.status, review.held_reason, review.verified_buyer) == ("pending", "policy", True)
    with pytest.raises(ReviewError) as refused:
        submit(bob, product)
    assert refused.value.code == "not_buyer"


def test_rewarded_reviews_say_so_and_the_signal_is_the_same_for_every_rating(
        alice, bob, product, django_capture_on_commit_callbacks, published):
    policy = ReviewPolicy.load()
    policy.rewarded = True
    policy.save()
    with django_capture_on_commit_callbacks(execute=True):
        low = submit(alice, product, rating=1)
        high = submit(bob, product, rating=5)
    assert low.incentivised and high.incentivised
    assert [pk for pk, _rating in published] == [low.pk, high.pk]


def test_edit_keeps_a_revision_and_marks_a_rating_change(alice, product):
    review = submit(alice, product, rating=5)
    edited = services.review_edit(alice, review, rating=2, title="Shrank", body="It shrank in the wash.")
    assert edited.rating_edited and edited.edited_at
    assert list(ReviewRevision.objects.values_list("rating", "title")) == [(5, "Good shirt")]
    agg = rating_of(product)
    assert (agg.count, agg.total, agg.stars_5, agg.stars_2) == (1, 2, 0, 1)
    same = services.review_edit(alice, edited, rating=2, title="Shrank", body="It shrank in the wash, a lot.")
    assert ReviewRevision.objects.count() == 2 and same.rating_edited


def test_an_edit_that_adds_a_link_is_held_again(alice, product):
    review = submit(alice, product)
    edited = services.review_edit(alice, review, rating=4, title="Good", body="More at https://x.example")
    assert (edited.status, edited.held_reason) == ("pending", "link")
    assert rating_of(product).count == 0


def test_photos_up_to_four(alice, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(alice, product, photos=[photo(), photo("second")])
    assert review.photo_count == 2 and rating_of(product).with_photos == 1
    stored = list(review.photos.all())
    assert [p.alt_text for p in stored] == ["A shirt on a hanger", "second"]
    assert stored[0].file.name.startswith("reviews/") and stored[0].width == 40
    with pytest.raises(ReviewError):
        services.review_edit(alice, review, rating=4, title="t", body="body", photos=[photo(), photo(), photo()])
    edited = services.review_edit(alice, review, rating=4, title="t", body="body", remove_photos=[p.pk for p in stored],
                                  photos=[photo("new")])
    assert edited.photo_count == 1 and [p.alt_text for p in edited.photos.all()] == ["new"]
    services.review_edit(alice, edited, rating=4, title="t", body="body",
                         remove_photos=[p.pk for p in edited.photos.all()])
    assert rating_of(product).with_photos == 0
    with pytest.raises(ReviewError):
        submit(MemberFactory(), product, photos=[photo()] * 5)


def test_delete_moves_the_aggregate(alice, product):
    review = submit(alice, product, rating=3, photos=[photo()])
    assert services.review_delete(alice, review)
    agg = rating_of(product)
    assert (agg.count, agg.total, agg.stars_3, agg.with_photos) == (0, 0, 0, 0)
    assert not services.review_delete(alice, review)


def test_helpful_votes_once_never_own(alice, bob, product):
    review = submit(alice, product)
    with pytest.raises(ReviewError):
        services.review_vote(alice, review)
    assert services.review_vote(bob, review)
    assert not services.review_vote(bob, review)
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert services.review_unvote(bob, review)
    assert not services.review_unvote(bob, review)
    review.refresh_from_db()
    assert review.helpful_count == 0 == HelpfulVote.objects.count()


def test_moderation_moves_the_aggregate_and_logs_rejections(alice, bob, moderator, product, published,
                                                             django_capture_on_commit_callbacks):
    held = submit(alice, product, rating=1, body="Awful, see https://x.example")
    other = submit(bob, product, rating=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_approve(moderator, held)
    assert published == [(held.pk, 1)]
    assert rating_of(product).count == 2
    with pytest.raises(ReviewError):
        services.review_reject(moderator, held, "negative")
    services.review_reject(moderator, held, "spam")
    assert list(ReviewRejection.objects.values_list("rating", "reason")) == [(1, "spam")]
    services.review_set_hidden(moderator, other, True)
    assert rating_of(product).count == 0
    services.review_set_hidden(moderator, other, False)
    agg = rating_of(product)
    assert (agg.count, agg.total) == (1, 5)


def test_recount_fixes_what_drifted(alice, bob, product):
    review = submit(alice, product, rating=4)
    services.review_vote(bob, review)
    ProductRating.objects.filter(product=product).update(count=9, total=1, stars_4=0)
    from community.reviews.models import Review

    Review.objects.filter(pk=review.pk).update(helpful_count=7)
    other = ProductFactory()
    ProductRating.objects.create(product=other, count=3, total=12)
    call_command("reviews_recount", "--verify")
    agg = rating_of(product)
    assert (agg.count, agg.total, agg.stars_4) == (1, 4, 1)
    assert rating_of(other).count == 0
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert services.product_rating_recount() == 0


def test_brand_reply(alice, moderator, product):
    review = submit(alice, product)
    services.review_reply(moderator, review, "Thank you, <b>Alice</b>!")
    review.refresh_from_db()
    assert review.brand_reply == "Thank you, <b>Alice</b>!" and review.brand_reply_by == moderator
    services.review_reply(moderator, review, "")
    review.refresh_from_db()
    assert review.brand_reply == "" and review.brand_reply_at is None
