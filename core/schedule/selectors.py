"""What the schedule looks like now: each job with its cadence, last run and next run, and the
recent runs. Two queries for the table and one for the recent runs, however many jobs and runs."""

import dataclasses

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .models import ScheduledRun
from .registry import schedule_jobs


@dataclasses.dataclass
class JobRow:
    job: object
    last: ScheduledRun | None
    next_at: object  # when it runs next: its current slot while that has no run, else the next slot
    due: bool


def schedule_table(now=None):
    now = now or timezone.now()
    jobs = schedule_jobs()
    if not jobs:
        return []
    names = [job.name for job in jobs]
    latest = ScheduledRun.objects.filter(job=OuterRef("job")).order_by("-started_at", "-pk").values("pk")[:1]
    last = {run.job: run for run in ScheduledRun.objects.filter(job__in=names, pk=Subquery(latest))}
    slots = {job.name: job.cadence.slot_at(now) for job in jobs}
    match = Q()
    for name, slot in slots.items():
        match |= Q(job=name, slot=slot)
    taken = set(ScheduledRun.objects.filter(match).values_list("job", flat=True))
    rows = []
    for job in jobs:
        slot = slots[job.name]
        due = job.name not in taken
        rows.append(JobRow(job=job, last=last.get(job.name), next_at=slot if due else job.cadence.slot_after(slot), due=due))
    return rows


def schedule_recent(limit):
    return list(ScheduledRun.objects.order_by("-started_at", "-pk")[:limit])
