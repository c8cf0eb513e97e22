"""The verified-buyer rule: a paid order, matched by one of the member's VERIFIED e-mail addresses,
not cancelled, with a line of the product not refunded in full; recomputed when the shop says an
order was paid, refunded or cancelled."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from community.reviews import services
from community.reviews.models import ProductRating
from shop import signals as shop_signals
from shop.models import Order, Refund, RefundLine
from tests.factories import MemberFactory, OrderFactory, ProductFactory


def review(member, product):
    return services.review_submit(member, product, rating=4, title="Fine", body="Fine shirt.")


def refund(order, lines, amount="49.00"):
    made = Refund.objects.create(order=order, external_id=f"r{Refund.objects.count()}", amount=Decimal(amount),
                                 refunded_at=timezone.now())
    for line in lines:
        RefundLine.objects.create(refund=made, order_line=line, quantity=line.quantity)


@pytest.mark.parametrize(("case", "verified"), [
    ("paid", True),
    ("pending", False),
    ("refunded", False),
    ("cancelled", False),
    ("partly refunded, another line", True),
    ("partly refunded, this line", False),
    ("another member's order", False),
    ("unverified address", False),
    ("second verified address", True),
    ("upper-case address", True),
    ("another product", False),
])
def test_rules(alice, product, case, verified):
    other = ProductFactory()
    email = alice.email
    if case == "another member's order":
        email = MemberFactory().email
    elif case == "unverified address":
        email = "alice.old@example.com"
        EmailAddress.objects.create(user=alice, email=email, verified=False)
    elif case == "second verified address":
        email = "alice.work@example.com"
        EmailAddress.objects.create(user=alice, email=email, verified=True)
    elif case == "upper-case address":
        EmailAddress.objects.filter(user=alice).update(email=alice.email.upper())
    order = OrderFactory(email=email, lines=[other] if case == "another product" else [product, other])
    if case == "pending":
        order.status = Order.Status.PENDING
    elif case == "refunded":
        order.status = Order.Status.REFUNDED
        refund(order, order.lines.all(), "98.00")
    elif case == "cancelled":
        order.status, order.cancelled_at = Order.Status.CANCELLED, timezone.now()
    elif case.startswith("partly refunded"):
        order.status = Order.Status.PARTIALLY_REFUNDED
        refund(order, order.lines.exclude(product=product) if "another" in case else order.lines.filter(product=product))
    order.save()
    assert review(alice, product).verified_buyer is verified


def test_an_order_paid_after_the_review_verifies_it_and_a_refund_takes_it_back(alice, product):
    written = review(alice, product)
    assert not written.verified_buyer
    order = OrderFactory(email=alice.email, lines=[product])
    shop_signals.order_paid.send(sender=Order, order=order)
    written.refresh_from_db()
    assert written.verified_buyer and ProductRating.objects.get(product=product).verified == 1
    order.status = Order.Status.REFUNDED
    order.save()
    refund(order, order.lines.all())
    shop_signals.order_refunded.send(sender=Order, order=order, refund=None, amount=Decimal("49.00"))
    written.refresh_from_db()
    assert not written.verified_buyer and ProductRating.objects.get(product=product).verified == 0


def test_a_cancelled_order_takes_the_badge_back(alice, product, bought):
    written = review(alice, product)
    assert written.verified_buyer
    bought.status, bought.cancelled_at = Order.Status.CANCELLED, timezone.now()
    bought.save()
    shop_signals.order_cancelled.send(sender=Order, order=bought)
    written.refresh_from_db()
    assert not written.verified_buyer


def test_another_members_order_changes_nothing(alice, bob, product):
    written = review(alice, product)
    order = OrderFactory(email=bob.email, lines=[product])
    shop_signals.order_paid.send(sender=Order, order=order)
    written.refresh_from_db()
    assert not written.verified_buyer


def test_verifying_an_address_later_verifies_the_review(alice, product, django_capture_on_commit_callbacks):
    OrderFactory(email="alice.shop@example.com", lines=[product])
    written = review(alice, product)
    assert not written.verified_buyer
    with django_capture_on_commit_callbacks(execute=True):
        EmailAddress.objects.create(user=alice, email="alice.shop@example.com", verified=True)
    written.refresh_from_db()
    assert written.verified_buyer
