"""Concurrent deliveries on PostgreSQL: exactly one order, one refund, one signal, whatever the race."""

import pytest
from django.test import Client

from shop.models import Order, OrderLine, Refund, WebhookDelivery
from tests.race import race as race_threads
from tests.shop.helpers import post_shopify, shopify_order, shopify_refund

THREADS = 12


def race(fn):
    """Run fn(i) in THREADS threads released at the same moment; return their results."""
    return race_threads(THREADS, fn, timeout=60)


@pytest.mark.django_db(transaction=True)
def test_the_same_delivery_posted_at_once_makes_one_order(on_postgres, captured_signals):
    body = shopify_order(financial_status="paid")
    statuses = race(lambda i: post_shopify(Client(), "orders/create", body, "same-delivery").status_code)
    assert sorted(statuses) == [200] * (THREADS - 1) + [202]
    assert WebhookDelivery.objects.count() == 1
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1
    assert [name for name, _ in captured_signals] == ["order_paid"]


@pytest.mark.django_db(transaction=True)
def test_different_deliveries_of_the_same_order_at_once_make_one_order(on_postgres, captured_signals):
    body = shopify_order(financial_status="paid")
    statuses = race(lambda i: post_shopify(Client(), "orders/paid", body, f"delivery-{i}").status_code)
    assert statuses == [202] * THREADS
    assert WebhookDelivery.objects.filter(state="processed").count() == THREADS
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1
    assert Order.objects.get().status == "paid"
    assert [name for name, _ in captured_signals] == ["order_paid"]


@pytest.mark.django_db(transaction=True)
def test_the_same_refund_in_many_deliveries_at_once_is_recorded_once(on_postgres, captured_signals):
    post_shopify(Client(), "orders/create", shopify_order(financial_status="paid"), "order")
    refund = shopify_refund(amount="49.00")
    race(lambda i: post_shopify(Client(), "refunds/create", refund, f"refund-delivery-{i}").status_code)
    order = Order.objects.get()
    assert Refund.objects.count() == 1
    assert str(order.refunded_total) == "49.00" and order.status == "partially_refunded"
    assert [name for name, _ in captured_signals].count("order_refunded") == 1
