"""Review requests follow the shop's orders (shop.signals): made when an order is paid, cancelled
when it is cancelled or refunded in full. A line refunded in full is left out when the e-mail is
made (review_requests._lines_to_review)."""

import logging

from django.dispatch import receiver

from shop.models import Order
from shop.signals import order_cancelled, order_paid, order_refunded

from .review_requests import review_request_cancel, review_request_schedule

logger = logging.getLogger(__name__)


@receiver(order_paid, dispatch_uid="reviews_request_on_paid")
def schedule_on_paid(sender, order, **kwargs):
    try:
        review_request_schedule(order)
    except Exception:  # the order's processing must never fail for a later e-mail
        logger.exception("could not schedule the review request", extra={"order_id": order.pk})


@receiver(order_cancelled, dispatch_uid="reviews_request_on_cancelled")
def cancel_on_cancelled(sender, order, **kwargs):
    review_request_cancel(order)


@receiver(order_refunded, dispatch_uid="reviews_request_on_refunded")
def cancel_on_refunded(sender, order, **kwargs):
    order.refresh_from_db(fields=["status"])
    if order.status == Order.Status.REFUNDED:
        review_request_cancel(order)
