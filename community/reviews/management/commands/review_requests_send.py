"""Send the review-request e-mails and reminders that are due; for cron (hourly is plenty).

    manage.py review_requests_send [--now 2026-12-31T12:00:00+00:00]

Safe to run as often as you like, and beside the background task doing the same: each request
is locked while it is sent and marked in the same transaction. --now is for trying the rules out;
it defaults to the current time.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community.reviews.review_requests import review_requests_send_due


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an ISO 8601 date and time to take as now (default: the current time)")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError(f"--now: not an ISO 8601 date and time: {options['now']!r}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now, timezone.get_default_timezone())
        sent = review_requests_send_due(now=now)
        self.stdout.write(f"{sent} review-request e-mails sent.")
