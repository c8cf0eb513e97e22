"""Running the schedule: what is due, taking a slot, running a job, recording how it ended.

- A job is due when its current slot (cadence.slot_at(now)) has no ScheduledRun row.
- Before running, the scheduler inserts the row (job, slot): the unique constraint lets exactly one
  of several schedulers running at once (two app servers, a cron line and a `--loop`) have it; the
  others get an IntegrityError and skip the job. Check-then-insert would not be enough.
- The row is committed before the job starts, so it stays even if the process dies mid-run: such
  a run shows as unfinished (no finish time) and is not tried again in its slot, since the job
  may have done part of its work; the next slot runs it as usual.
- A job that raises is recorded as failed with its traceback, and the others still run.
"""

import dataclasses
import datetime
import io
import logging
import os
import socket
import traceback

from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .registry import schedule_jobs

logger = logging.getLogger(__name__)
OUTPUT_MAX = 4000  # characters of a run's output and error text kept (the end, where the summary is)


@dataclasses.dataclass
class RunResult:
    job: str
    slot: object
    outcome: str  # ScheduledRun.Outcome, or "skipped" when another scheduler had the slot
    run: ScheduledRun | None = None


def _tail(text):
    text = text or ""
    return text if len(text) <= OUTPUT_MAX else "…" + text[-OUTPUT_MAX:]


def schedule_due(now=None, jobs=None):
    """[(job, slot), ...] of the jobs whose current slot has no run yet (one query)."""
    now = now or timezone.now()
    jobs = schedule_jobs() if jobs is None else jobs
    slots = [(job, job.cadence.slot_at(now)) for job in jobs]
    if not slots:
        return []
    match = Q()
    for job, slot in slots:
        match |= Q(job=job.name, slot=slot)
    taken = set(ScheduledRun.objects.filter(match).values_list("job", "slot"))
    return [(job, slot) for job, slot in slots if (job.name, slot) not in taken]


def _claim(job, slot, forced, now):
    """Insert the run's row; None when another scheduler has the slot already."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, slot=slot, forced=forced, started_at=now,
                                               host=socket.gethostname()[:255], pid=os.getpid())
    except IntegrityError:
        return None


def _execute(job):
    """Run the job; returns its output. Raises what the job raises."""
    if job.command:
        out = io.StringIO()
        call_command(*job.command, stdout=out, stderr=out)
        return out.getvalue()
    result = import_string(job.task).enqueue()
    errors = getattr(result, "errors", None) or []
    if str(result.status) == "FAILED" or getattr(result.status, "value", "") == "FAILED":
        raise RuntimeError("\n".join(error.traceback for error in errors) or "the task failed")
    return f"task {result.id}: {getattr(result.status, 'value', result.status)}"


def _finish(run, outcome, output, error):
    fields = {"finished_at": timezone.now(), "outcome": outcome, "output": _tail(output), "error": _tail(error)}
    for attempt in (1, 2):
        try:
            ScheduledRun.objects.filter(pk=run.pk).update(**fields)
            break
        except DatabaseError:  # the job broke the connection: open a new one and record it anyway
            if attempt == 2:
                logger.exception("could not record how scheduled job %s ended", run.job)
            connections["default"].close()
    for name, value in fields.items():
        setattr(run, name, value)


def schedule_run_job(job, slot=None, *, forced=False, now=None):
    """Take the slot and run the job in it (forced: now, outside the cadence). Returns a RunResult;
    never raises for what the job does (KeyboardInterrupt is recorded, then raised again)."""
    now = now or timezone.now()
    slot = now if forced else (slot or job.cadence.slot_at(now))
    run = _claim(job, slot, forced, now)
    if run is None:
        return RunResult(job.name, slot, "skipped")
    try:
        output = _execute(job)
    except KeyboardInterrupt:
        _finish(run, ScheduledRun.Outcome.FAILED, "", "interrupted")
        raise
    except (Exception, SystemExit):  # one job's failure is recorded and never stops the others
        logger.exception("scheduled job %s failed", job.name)
        _finish(run, ScheduledRun.Outcome.FAILED, "", traceback.format_exc())
    else:
        _finish(run, ScheduledRun.Outcome.OK, output, "")
    return RunResult(job.name, slot, run.outcome, run)


def schedule_run_due(now=None):
    """Run every job that is due now, most frequent first; returns their RunResults."""
    now = now or timezone.now()
    results = []
    for job, slot in schedule_due(now):
        results.append(schedule_run_job(job, slot, now=now))
    return results


def schedule_prune(days, now=None):
    """Delete runs started more than `days` days ago; returns how many."""
    now = now or timezone.now()
    deleted, _ = ScheduledRun.objects.filter(started_at__lt=now - datetime.timedelta(days=days)).delete()
    return deleted
