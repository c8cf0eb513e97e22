"""Shared by the review-request tests: paid orders, due requests, the links in the e-mails."""

import datetime
import re

from django.core import mail
from django.db import transaction
from django.utils import timezone

from community.reviews.models import ReviewRequest
from community.reviews.review_requests import review_requests_send_due
from shop.models import Order
from shop.services import order_mark_paid
from tests.factories import OrderFactory, ProductFactory

LINK_RE = re.compile(r"https?://[^\s\"<>]+/products/[^\s\"<>]+/review/link/[^\s\"<>]+/")


def paid_order(*, member=None, email=None, products=None, days_ago=0, capture=None):
    """An order marked paid through the shop's service, so order_paid fires (run the on-commit
    callbacks with django_capture_on_commit_callbacks)."""
    email = email or (member.email if member else "buyer@example.com")
    products = products if products is not None else [ProductFactory()]
    order = OrderFactory(member=member, email=email, status="pending", lines=products)
    with transaction.atomic():
        order_mark_paid(Order.objects.select_for_update().get(pk=order.pk),
                        paid_at=timezone.now() - datetime.timedelta(days=days_ago))
    order.refresh_from_db()
    return order


def make_request(order, *, days_ago_due=1):
    """The order's review request, made due now."""
    rr, _ = ReviewRequest.objects.get_or_create(order=order, defaults={"email": order.email, "due_at": timezone.now()})
    ReviewRequest.objects.filter(pk=rr.pk).update(due_at=timezone.now() - datetime.timedelta(days=days_ago_due))
    rr.refresh_from_db()
    return rr


def send_now(days_later=0):
    return review_requests_send_due(now=timezone.now() + datetime.timedelta(days=days_later))


def request_mails():
    return [m for m in mail.outbox if "getting on with your order" in m.subject]


def links_in(message):
    return LINK_RE.findall(message.body)
