"""On PostgreSQL: several `manage.py schedule_run` at once (two app servers and more, each from its
own crontab line) run each due job once per slot."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.schedule.cadence import Daily, Every
from core.schedule.models import ScheduledRun
from tests.race import race

from .helpers import CALLS

pytestmark = pytest.mark.django_db(transaction=True)
T = "tests.schedule.helpers."


def test_schedulers_at_once_run_each_job_once(on_postgres, jobs):
    jobs("minutely", Every(1), task=T + "count_task")
    jobs("nightly", Daily("03:00"), task=T + "count_other_task")
    jobs("broken", Every(5), task=T + "failing_task")

    def schedule_run(i):
        try:
            call_command("schedule_run", stdout=io.StringIO())
        except CommandError:
            return "failed"  # the one that ran "broken" reports it
        return "ok"

    outcomes = race(6, schedule_run)
    assert CALLS == {"counted": 1, "other": 1}
    assert outcomes.count("failed") == 1
    assert sorted(ScheduledRun.objects.values_list("job", "outcome")) == [
        ("broken", "failed"), ("minutely", "ok"), ("nightly", "ok")]
