"""Races on PostgreSQL, through the real views: the same member submitting twice at once gets one
review; 50 helpful votes at once give exactly 50; the aggregate is exact after concurrent reviews
(and a concurrent edit and delete)."""

import pytest
from django.test import Client
from django.urls import reverse

from community.reviews import services
from community.reviews.models import HelpfulVote, ProductRating, Review
from tests.factories import MemberFactory, ProductFactory
from tests.race import race

race_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)
VOTERS = 50
REVIEWERS = 20


def clients_for(members):
    clients = []
    for member in members:
        client = Client()
        client.force_login(member)
        clients.append(client)
    return clients


def data(i=0):
    return {"rating": str(i % 5 + 1), "title": f"Review {i}", "body": "Soft linen, washes well."}


@race_db
def test_one_member_submitting_twice_at_once_gets_one_review(on_postgres, settings):
    settings.REVIEWS_RATE_LIMITS = {"submit": (100, 100, 3600)}
    product = ProductFactory()
    member = MemberFactory()
    clients = clients_for([member] * 8)
    url = reverse("reviews:write", kwargs={"slug": product.slug})
    statuses = race(8, lambda i: clients[i].post(url, data(i)).status_code)
    assert statuses == [302] * 8  # one published, the others sent to the edit form with a message
    assert Review.objects.filter(product=product, author=member).count() == 1
    agg = ProductRating.objects.get(product=product)
    assert agg.count == 1 and agg.total == Review.objects.get().rating


@race_db
def test_fifty_helpful_votes_at_once_give_fifty(on_postgres):
    product = ProductFactory()
    review = services.review_submit(MemberFactory(), product, rating=5, title="Great", body="Lovely linen.")
    clients = clients_for([MemberFactory() for _ in range(VOTERS)])
    url = reverse("reviews:helpful", args=[review.pk])
    statuses = race(VOTERS, lambda i: clients[i].post(url, {"action": "vote"}).status_code)
    assert statuses == [302] * VOTERS
    review.refresh_from_db()
    assert review.helpful_count == VOTERS == HelpfulVote.objects.filter(review=review).count()


@race_db
def test_the_aggregate_is_exact_after_concurrent_reviews(on_postgres, settings):
    settings.REVIEWS_RATE_LIMITS = {"submit": (100, 100, 3600), "edit": (100, 100, 3600)}
    product = ProductFactory()
    clients = clients_for([MemberFactory() for _ in range(REVIEWERS)])
    url = reverse("reviews:write", kwargs={"slug": product.slug})
    statuses = race(REVIEWERS, lambda i: clients[i].post(url, data(i)).status_code)
    assert statuses == [302] * REVIEWERS
    agg = ProductRating.objects.get(product=product)
    stored = (agg.count, agg.total, agg.stars_1, agg.stars_2, agg.stars_3, agg.stars_4, agg.stars_5)
    assert stored == (REVIEWERS, sum(i % 5 + 1 for i in range(REVIEWERS)), 4, 4, 4, 4, 4)
    # Edits and deletes at once move it exactly too.
    reviews = list(Review.objects.filter(product=product).select_related("author").order_by("pk"))

    def change(i):
        review = reviews[i]
        if i % 2:
            return services.review_delete(review.author, review)
        return services.review_edit(review.author, review, rating=5, title="Changed", body="Changed my mind.")

    race(REVIEWERS, change)
    assert services.product_rating_recount(product.pk) == 0
    agg.refresh_from_db()
    assert (agg.count, agg.total, agg.stars_5) == (REVIEWERS // 2, 5 * (REVIEWERS // 2), REVIEWERS // 2)
