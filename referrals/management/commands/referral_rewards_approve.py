"""Approve the referral rewards whose return window has ended; for cron (every hour is plenty).

    manage.py referral_rewards_approve [--now 2026-12-31T12:00:00+00:00]

Also qualifies referrals whose qualifying order's signal was lost, and forgets sightings older
than 90 days. Safe to run as often as you like, and beside the background task doing the same:
each reward moves once (row lock and unique ledger keys). --now is for trying the rules out
("what would be approved on that day"); it defaults to the current time.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from referrals.services import referrals_qualify_missed, rewards_approve_due, sightings_prune


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an ISO 8601 date and time to take as now (default: the current time)")

    @staticmethod
    def parse_now(text):
        """--now as an aware datetime (the current time when not given); CommandError if unreadable."""
        if not text:
            return timezone.now()
        now = parse_datetime(text)
        if now is None:
            raise CommandError(f"--now: not an ISO 8601 date and time: {text!r}")
        if timezone.is_naive(now):
            now = timezone.make_aware(now, timezone.get_default_timezone())
        return now

    def handle(self, *args, **options):
        now = self.parse_now(options["now"])
        qualified = referrals_qualify_missed(now=now)
        approved = rewards_approve_due(now=now)
        pruned = sightings_prune(now=now)
        self.stdout.write(f"{qualified} referrals qualified late, {approved} rewards approved, "
                          f"{pruned} old sightings forgotten.")
