"""schedule_run: what is due runs once per slot, a failure is recorded and the others still run,
a run whose process died is not retried in its slot, --job forces one, --list shows the table,
old runs are pruned, and the site's apps register their jobs."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.schedule import registry
from core.schedule.cadence import Daily, Every, Weekly
from core.schedule.models import ScheduledRun
from core.schedule.runner import schedule_due, schedule_prune, schedule_run_due

from .helpers import CALLS

pytestmark = pytest.mark.django_db
T = "tests.schedule.helpers."


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_due_jobs_run_once_per_slot(jobs):
    jobs("minutely", Every(1), task=T + "count_task")
    jobs("nightly", Daily("03:00"), task=T + "count_other_task")
    now = utc(2026, 6, 1, 3, 0, 20)
    assert [r.outcome for r in schedule_run_due(now)] == ["ok", "ok"]
    assert schedule_run_due(now + datetime.timedelta(seconds=30)) == []  # same minute, same night
    assert CALLS == {"counted": 1, "other": 1}
    later = schedule_run_due(now + datetime.timedelta(minutes=1))
    assert [r.job for r in later] == ["minutely"] and CALLS["counted"] == 2
    run = ScheduledRun.objects.get(job="nightly")
    assert (run.slot, run.outcome, run.forced) == (utc(2026, 6, 1, 3, 0), "ok", False)
    assert run.finished_at >= run.started_at and run.output.startswith("task ")


def test_a_missed_slot_runs_once_when_the_scheduler_is_back(jobs):
    jobs("nightly", Daily("03:00"), task=T + "count_task")
    schedule_run_due(utc(2026, 6, 1, 3, 0))
    # no scheduler from 03:01 on 1 June until 10:00 on 4 June: one run, for the 4 June slot
    assert [r.slot for r in schedule_run_due(utc(2026, 6, 4, 10, 0))] == [utc(2026, 6, 4, 3, 0)]
    assert CALLS["counted"] == 2


def test_a_failing_job_is_recorded_and_the_others_run(jobs, capsys):
    jobs("broken", Every(1), task=T + "failing_task")
    jobs("bad_command", Every(1), command=("tasks_recover", "--older-than", "not-a-number"))
    jobs("fine", Every(1), task=T + "count_task")
    with pytest.raises(CommandError, match="bad_command, broken"):
        call_command("schedule_run")
    runs = {run.job: run for run in ScheduledRun.objects.all()}
    assert runs["fine"].outcome == "ok" and CALLS["counted"] == 1
    assert runs["broken"].outcome == "failed" and "the job's own error" in runs["broken"].error
    assert runs["bad_command"].outcome == "failed" and "not-a-number" in runs["bad_command"].error
    assert all(run.finished_at for run in runs.values())


def test_a_command_job_keeps_its_output(jobs):
    jobs("recover", Every(60), command=("tasks_recover", "--older-than", "3600"))
    [result] = schedule_run_due()
    assert result.outcome == "ok" and result.run.output.strip() == "0 task(s) ready again"


def test_a_run_whose_process_died_is_not_retried_in_its_slot_and_shows_as_unfinished(jobs):
    jobs("nightly", Daily("03:00"), task=T + "count_task")
    now = utc(2026, 6, 1, 3, 5)
    ScheduledRun.objects.create(job="nightly", slot=utc(2026, 6, 1, 3, 0), started_at=utc(2026, 6, 1, 3, 0, 1),
                                host="web-1", pid=4242)  # never finished: the process was killed
    assert schedule_due(now) == [] and schedule_run_due(now) == [] and CALLS["counted"] == 0
    out = io.StringIO()
    call_command("schedule_run", "--list", stdout=out)
    assert "unfinished (started 2026-06-01 03:00 on web-1 pid 4242)" in out.getvalue()
    # the next slot runs as usual
    assert [r.outcome for r in schedule_run_due(utc(2026, 6, 2, 3, 0))] == ["ok"]


def test_job_forces_one_run_whatever_its_cadence(jobs):
    jobs("weekly", Weekly(0, "06:00"), task=T + "count_task")
    jobs("other", Every(1), task=T + "count_other_task")
    call_command("schedule_run", "--job", "weekly", stdout=io.StringIO())
    call_command("schedule_run", "--job", "weekly", stdout=io.StringIO())
    assert CALLS == {"counted": 2}  # forced twice, the other job untouched
    assert list(ScheduledRun.objects.values_list("forced", flat=True)) == [True, True]
    with pytest.raises(CommandError, match="no scheduled job 'nope'"):
        call_command("schedule_run", "--job", "nope")


def test_list_shows_each_job_with_cadence_last_and_next_run(jobs, oslo):
    jobs("nightly", Daily("03:00"), task=T + "count_task", description="Nightly")
    jobs("quarterly", Every(15), task=T + "failing_task")
    now = timezone.now()
    schedule_run_due(now)
    out = io.StringIO()
    call_command("schedule_run", "--list", stdout=out)
    text = out.getvalue()
    assert text.startswith("Times in Europe/Oslo")
    quarter, nightly = (line for line in text.splitlines()[2:])
    assert quarter.startswith("quarterly") and "every 15 minutes" in quarter
    assert "failed: RuntimeError: the job's own error" in quarter
    assert nightly.startswith("nightly") and "daily at 03:00" in nightly and nightly.rstrip().endswith("ok")
    cadence = registry.schedule_job("nightly").cadence
    next_run = cadence.slot_after(cadence.slot_at(now)).astimezone(zoneinfo.ZoneInfo("Europe/Oslo"))
    assert next_run.strftime("%Y-%m-%d 03:00") in nightly


def test_never_run_jobs_are_due_now_in_the_list(jobs):
    jobs("nightly", Daily("03:00"), task=T + "count_task")
    out = io.StringIO()
    call_command("schedule_run", "--list", stdout=out)
    assert "due now" in out.getvalue() and "never run" in out.getvalue()


def test_old_runs_are_pruned_by_the_scheduler_itself(settings):
    settings.SCHEDULE_KEEP_DAYS = 30
    now = timezone.now()
    for days in (31, 29, 1):
        ScheduledRun.objects.create(job="x", slot=now - datetime.timedelta(days=days),
                                    started_at=now - datetime.timedelta(days=days))
    assert registry.schedule_job("schedule_prune").command == ("schedule_run", "--prune")
    [result] = [r for r in schedule_run_due(now) if r.job == "schedule_prune"]
    assert result.outcome == "ok" and "1 run(s) older than 30 days deleted" in result.run.output
    assert ScheduledRun.objects.filter(job="x").count() == 2
    assert schedule_prune(0, now=now + datetime.timedelta(days=60)) >= 2


def test_the_site_registers_every_periodic_command():
    names = {job.name: job for job in registry.schedule_jobs()}
    commands = {job.command[0] for job in names.values()}
    assert commands >= {"shop_outbound_send", "referral_clicks_flush", "posts_follow_notify", "review_requests_send",
                        "referral_rewards_approve", "loyalty_codes_expire", "loyalty_daily", "ledger_reconcile",
                        "lifecycle_run", "play_daily", "insights_warm", "insights_facts_rebuild", "tasks_recover",
                        "schedule_run"}
    assert names["lifecycle_weekly"].command == ("lifecycle_run", "--weekly")
    assert [job.cadence.period for job in registry.schedule_jobs()] == sorted(
        job.cadence.period for job in registry.schedule_jobs())  # the most frequent first
    from django.core.management import get_commands

    assert commands <= set(get_commands())


def test_registering_twice_differently_is_refused(jobs):
    from django.core.exceptions import ImproperlyConfigured

    jobs("a", Every(5), task=T + "count_task")
    jobs("a", Every(5), task=T + "count_task")  # the same again: harmless
    for bad in (lambda: jobs("a", Every(6), task=T + "count_task"), lambda: jobs("B!", Every(5), task=T + "count_task"),
                lambda: jobs("c", Every(5)), lambda: jobs("d", "daily", command="check")):
        with pytest.raises(ImproperlyConfigured):
            bad()
