"""Concurrent deliveries on PostgreSQL: exactly one order, one refund, one signal, whatever the race."""

import threading

import pytest
from django.db import connections
from django.test import Client

from shop.models import Order, OrderLine, Refund, WebhookDelivery
from tests.shop.helpers import post_shopify, shopify_order, shopify_refund

THREADS = 12


def race(fn):
    """Run fn(i) in THREADS threads released at the same moment; return their results."""
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # reported by the main thread
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


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
