"""Run the site's scheduled jobs that are due now, and exit (for one crontab line, every minute).

    manage.py schedule_run              run what is due now
    manage.py schedule_run --loop       keep running: what is due, then sleep to the next minute
    manage.py schedule_run --list       the table: job, cadence, last run, next run, last result
    manage.py schedule_run --job NAME   run one job now, whatever its cadence (recorded as forced)
    manage.py schedule_run --prune      delete runs older than SCHEDULE_KEEP_DAYS (a job of its own)

Any number may run at once on any number of servers: a slot is run by one of them (core.schedule.
runner). The exit status is 1 when a job run by this call failed (cron mails it), else 0.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from core.schedule.app_settings import app_settings
from core.schedule.cadence import site_zone
from core.schedule.registry import schedule_job
from core.schedule.runner import schedule_prune, schedule_run_due, schedule_run_job
from core.schedule.selectors import schedule_table


def _when(value, zone):
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "–"


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due now (or --loop, --list, --job NAME, --prune)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--loop", action="store_true", help="keep running, waking at each minute")
        group.add_argument("--list", action="store_true", dest="show_list", help="print the schedule and each job's last run")
        group.add_argument("--job", metavar="NAME", help="run this job now, whatever its cadence")
        group.add_argument("--prune", action="store_true", help="delete runs older than SCHEDULE_KEEP_DAYS")

    def handle(self, *args, loop=False, show_list=False, job=None, prune=False, **options):
        self.verbosity = options["verbosity"]
        if show_list:
            return self._list()
        if prune:
            count = schedule_prune(app_settings.KEEP_DAYS)
            self.stdout.write(f"{count} run(s) older than {app_settings.KEEP_DAYS} days deleted")
            return None
        if job:
            try:
                found = schedule_job(job)
            except KeyError:
                raise CommandError(f"no scheduled job {job!r} (see --list)") from None
            self._report([schedule_run_job(found, forced=True)])
            return None
        if loop:
            return self._loop()
        self._report(schedule_run_due())
        return None

    def _report(self, results, *, exit_on_failure=True):
        failed = [result.job for result in results if result.outcome == "failed"]
        if self.verbosity:
            for result in results:
                self.stdout.write(f"{result.job}: {result.outcome}")
        if failed and exit_on_failure:
            raise CommandError(f"failed: {', '.join(failed)} (manage.py schedule_run --list)")

    def _loop(self):
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()  # the job running now finishes; then the loop ends

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, on_signal)
        while not stop.is_set():
            self._report(schedule_run_due(), exit_on_failure=False)
            close_old_connections()
            now = timezone.now()
            stop.wait(60 - now.second - now.microsecond / 1e6 + 0.5)  # half a second into the next minute

    def _list(self):
        zone = site_zone()
        rows = schedule_table()
        header = ("job", "cadence", "last run", "next run", "last result")
        lines = []
        for row in rows:
            last = row.last
            if last is None:
                result = "never run"
            elif last.finished_at is None:
                result = f"unfinished (started {_when(last.started_at, zone)} on {last.host or '?'} pid {last.pid or '?'})"
            else:
                result = last.outcome + (" (forced)" if last.forced else "")
                if last.error:
                    result += ": " + last.error.strip().splitlines()[-1][:120]
            next_run = "due now" if row.due else _when(row.next_at, zone)
            lines.append((row.job.name, str(row.job.cadence.describe()), _when(last and last.started_at, zone),
                          next_run, result))
        widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(4)]
        self.stdout.write(f"Times in {zone.key}")
        for line in [header, *lines]:
            self.stdout.write("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line[:4])) + "  " + line[4])
