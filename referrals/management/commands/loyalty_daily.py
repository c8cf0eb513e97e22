"""The loyalty programme's daily run; for cron, once a day (after midnight, settings.TIME_ZONE).

    manage.py loyalty_daily [--now 2026-12-31T03:00:00+00:00]

Approves order points whose return window ended, awards paid orders whose signal was lost,
birthdays, brings every member's tier up to date (moves down announced a month ahead, made when
due), sends expiry warnings and expires points. Safe to run twice. --now is for trying the rules
out; it defaults to the current time.
"""

from django.core.management.base import BaseCommand

from referrals.loyalty.services import loyalty_daily

from .referral_rewards_approve import Command as _WithNow


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an ISO 8601 date and time to take as now (default: the current time)")

    def handle(self, *args, **options):
        now = _WithNow.parse_now(options["now"])
        done = loyalty_daily(now=now)
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in done.items()))
