"""The webhook intake's request path: check the signature, store the delivery in the inbox, wake the
inbox's drain (one task for every pending delivery, queued at most once while one waits); applying
it is the task worker's (issue 18). No session, user or other query."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shop.models import Order, WebhookDelivery
from shop.services import DRAINS
from tests.shop.helpers import generic_order, post_generic

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def statements(queries):
    return [query["sql"].split()[0].upper() for query in queries.captured_queries]


def post(client, capture, topic, data, delivery_id):
    with capture(execute=True):  # what the commit triggers: the enqueue
        return post_generic(client, topic, data, delivery_id)


def test_a_new_delivery_is_stored_and_queued_and_nothing_more(client, queued, django_assert_num_queries,
                                                             django_capture_on_commit_callbacks):
    with django_assert_num_queries(3 + DRAINS) as queries:
        response = post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    assert response.status_code == 202
    # the inbox row (in its savepoint), then the drains' task rows
    assert statements(queries) == ["SAVEPOINT", "INSERT", "RELEASE"] + ["INSERT"] * DRAINS
    assert "shop_webhookdelivery" in queries.captured_queries[1]["sql"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state != WebhookDelivery.State.PROCESSED and not Order.objects.exists()
    assert {(task.status, task.task_path.rsplit(".", 1)[1]) for task in DBTaskResult.objects.all()} == {
        (TaskResultStatus.READY, "inbox_drain_task")}
    # the next delivery finds the drain queued: its row is the only write
    with django_assert_num_queries(3) as queries:
        response = post(client, django_capture_on_commit_callbacks, "orders/create", generic_order("G-2"), "d-2")
    assert response.status_code == 202 and statements(queries) == ["SAVEPOINT", "INSERT", "RELEASE"]
    assert DBTaskResult.objects.count() == DRAINS


def test_a_copy_costs_the_failed_insert_and_one_read(client, queued, django_assert_num_queries,
                                                    django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    with django_assert_num_queries(5) as queries:
        response = post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    assert response.status_code == 200 and response.json()["status"] == "duplicate"
    assert statements(queries) == ["SAVEPOINT", "INSERT", "ROLLBACK", "RELEASE", "SELECT"]
    assert DBTaskResult.objects.count() == DRAINS


def test_a_refund_checks_its_order_is_known_then_is_stored_and_queued(client, queued, django_assert_num_queries,
                                                                     django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    refund = {"id": "R1", "order_id": "G-1", "refunded_at": "2026-10-02", "amount": "10.00",
              "lines": [{"line_id": "1", "quantity": 1}]}
    with django_assert_num_queries(5) as queries:
        response = post(client, django_capture_on_commit_callbacks, "refunds/create", refund, "d-2")
    assert response.status_code == 202
    # the order is not made yet (its delivery waits in the queue): found in the inbox
    assert statements(queries) == ["SELECT", "SELECT", "SAVEPOINT", "INSERT", "RELEASE"]
    assert DBTaskResult.objects.count() == DRAINS  # the drains queued by the order take the refund too


def test_the_drain_applies_every_pending_delivery_oldest_first_and_clears_its_wake_up(
        client, queued, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from shop.services import DRAIN_WAKE_KEY, inbox_drain

    for n in range(3):
        post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(f"G-{n}"), f"d-{n}")
    refund = {"id": "R1", "order_id": "G-0", "refunded_at": "2026-10-02", "amount": "10.00",
              "lines": [{"line_id": "1", "quantity": 1}]}
    post(client, django_capture_on_commit_callbacks, "refunds/create", refund, "d-refund")
    assert cache.get(DRAIN_WAKE_KEY) is not None
    assert inbox_drain() == 4
    assert cache.get(DRAIN_WAKE_KEY) is None  # a delivery stored now queues another drain
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {WebhookDelivery.State.PROCESSED}
    assert Order.objects.count() == 3 and Order.objects.get(external_id="G-0").refunds.count() == 1
    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order("G-9"), "d-9")
    assert DBTaskResult.objects.count() == 2 * DRAINS
    assert inbox_drain() == 1 and inbox_drain() == 0


def test_the_minute_job_applies_what_a_lost_wake_up_left_waiting(client, queued, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.core.management import call_command

    from core.schedule.registry import schedule_jobs
    from shop.services import DRAIN_WAKE_KEY

    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    DBTaskResult.objects.all().delete()  # the worker lost it
    cache.delete(DRAIN_WAKE_KEY)
    call_command("shop_inbox_drain", verbosity=0)
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.PROCESSED and Order.objects.count() == 1
    assert "shop_inbox_drain" in {job.name for job in schedule_jobs()}
