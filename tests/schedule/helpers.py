"""Jobs for the scheduler's tests: a task that counts its calls (per job, across threads) and one
that fails."""

import threading
from collections import Counter

from django_tasks import task

CALLS = Counter()
_lock = threading.Lock()


@task()
def count_task(name="counted"):
    with _lock:
        CALLS[name] += 1
    return CALLS[name]


@task()
def count_other_task():
    with _lock:
        CALLS["other"] += 1


@task()
def failing_task():
    raise RuntimeError("the job's own error")
