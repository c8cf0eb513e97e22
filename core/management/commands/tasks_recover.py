"""Put back in the queue the tasks a killed worker left running.

django_tasks_db marks a task RUNNING when a worker claims it; a worker killed at that moment (kill -9,
the machine lost) leaves it RUNNING for ever, and no worker takes it again. Run this before starting
the workers (or with --older-than longer than any task may take while workers run): every task
RUNNING since more than --older-than seconds is READY again. The site's tasks are safe to run twice
(a processed webhook delivery is skipped, a rendition already made is made again), so a task that was
half done is simply done again: at least once, never lost.

    manage.py tasks_recover [--older-than SECONDS]
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Make the tasks left running by a killed worker ready again."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=3600,
                            help="seconds a task must have been running (default 3600; 0 when no worker runs)")

    def handle(self, *args, older_than, **options):
        cutoff = timezone.now() - timedelta(seconds=max(0.0, older_than))
        count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff).update(
            status=TaskResultStatus.READY, started_at=None)
        if options["verbosity"]:
            self.stdout.write(f"{count} task(s) ready again")
        return None
