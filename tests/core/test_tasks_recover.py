"""manage.py tasks_recover: a task left RUNNING by a killed worker is queued again (issue 18)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shop.tasks import delivery_process_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_only_tasks_running_longer_than_the_limit_are_ready_again():
    delivery_process_task.enqueue(1)
    delivery_process_task.enqueue(2)
    stuck, busy = DBTaskResult.objects.order_by("enqueued_at", "id")
    for row in (stuck, busy):
        row.claim("worker-1")
    DBTaskResult.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - timedelta(hours=2))
    call_command("tasks_recover", older_than=3600, verbosity=0)
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY and stuck.started_at is None
    assert busy.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=stuck.pk).exists()  # a worker takes it again
