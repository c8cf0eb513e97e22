"""The webhook intake's request path: check the signature, store the delivery in the inbox, enqueue
its processing; applying it is the task worker's (issue 18). No session, user or other query."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shop.models import Order, WebhookDelivery
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
    with django_assert_num_queries(4) as queries:
        response = post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    assert response.status_code == 202
    # the inbox row (in its savepoint), then the task row
    assert statements(queries) == ["SAVEPOINT", "INSERT", "RELEASE", "INSERT"]
    assert "shop_webhookdelivery" in queries.captured_queries[1]["sql"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state != WebhookDelivery.State.PROCESSED and not Order.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY and task.task_path.endswith("delivery_process_task")
    assert task.args_kwargs["args"] == [delivery.pk]


def test_a_copy_costs_the_failed_insert_and_one_read(client, queued, django_assert_num_queries,
                                                    django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    with django_assert_num_queries(5) as queries:
        response = post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    assert response.status_code == 200 and response.json()["status"] == "duplicate"
    assert statements(queries) == ["SAVEPOINT", "INSERT", "ROLLBACK", "RELEASE", "SELECT"]
    assert DBTaskResult.objects.count() == 1


def test_a_refund_checks_its_order_is_known_then_is_stored_and_queued(client, queued, django_assert_num_queries,
                                                                     django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "orders/create", generic_order(), "d-1")
    refund = {"id": "R1", "order_id": "G-1", "refunded_at": "2026-10-02", "amount": "10.00",
              "lines": [{"line_id": "1", "quantity": 1}]}
    with django_assert_num_queries(6) as queries:
        response = post(client, django_capture_on_commit_callbacks, "refunds/create", refund, "d-2")
    assert response.status_code == 202
    # the order is not made yet (its delivery waits in the queue): found in the inbox
    assert statements(queries) == ["SELECT", "SELECT", "SAVEPOINT", "INSERT", "RELEASE", "INSERT"]
    assert DBTaskResult.objects.count() == 2
