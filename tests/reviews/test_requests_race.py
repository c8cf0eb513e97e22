"""Races on PostgreSQL: the task and cron sending at once e-mail each request once; a link used
twice at once records one use."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from community.reviews.links import SESSION_KEY, link_consume, link_token_make
from community.reviews.models import Review, ReviewLinkUse, ReviewRequest
from community.reviews.review_requests import review_requests_send_due
from tests.factories import MemberFactory, ProductFactory
from tests.race import race

from .requests_helpers import make_request, paid_order, request_mails

pytestmark = pytest.mark.django_db(transaction=True)


def test_senders_at_once_send_each_request_once(on_postgres):
    for _ in range(5):
        make_request(paid_order(member=MemberFactory()))
    results = race(4, lambda i: review_requests_send_due())
    assert sum(results) == 5
    assert len(request_mails()) == 5
    assert ReviewRequest.objects.filter(sent_at__isnull=True).count() == 0


def test_a_link_consumed_twice_at_once_is_used_once(on_postgres):
    member, product = MemberFactory(), ProductFactory()
    rr = make_request(paid_order(member=member, products=[product]))
    review = Review.objects.create(product=product, author=member, rating=5, title="Good", body="Good.")
    token = link_token_make(rr, product)

    def consume(i):
        request = RequestFactory().get("/")
        request.user = member
        request.session = SessionStore()
        request.session[SESSION_KEY] = {str(product.pk): token}
        return link_consume(request, product, review)

    race(6, consume)
    assert ReviewLinkUse.objects.filter(request=rr, product=product).count() == 1
