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


@pytest.mark.django_db(transaction=True)
def test_drains_running_at_once_apply_each_delivery_once_and_share_the_inbox(on_postgres, captured_signals, settings):
    from django.test import override_settings

    from shop.services import inbox_drain

    # stored only: the drains below are the task worker's, run at once
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for n in range(40):
            post_shopify(Client(), "orders/create", shopify_order(order_id=9000 + n, financial_status="paid"), f"d-{n}")
    applied = race(lambda i: inbox_drain())
    assert sum(applied) == 40 and max(applied) < 40  # each delivery once, and not all by one drain
    assert WebhookDelivery.objects.filter(state="processed").count() == 40
    assert Order.objects.count() == 40
    assert [name for name, _ in captured_signals].count("order_paid") == 40
