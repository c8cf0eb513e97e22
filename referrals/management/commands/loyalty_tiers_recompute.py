"""Bring every member's loyalty tier up to date (also part of `manage.py loyalty_daily`).

    manage.py loyalty_tiers_recompute [--now 2026-12-31T03:00:00+00:00]

Moves up at once; announces a move down a month ahead, and makes it when due (see
referrals.loyalty.tiers). Prints how many of each.
"""

from django.core.management.base import BaseCommand

from referrals.loyalty.tiers import tiers_recompute

from .referral_rewards_approve import Command as _WithNow


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an ISO 8601 date and time to take as now (default: the current time)")

    def handle(self, *args, **options):
        done = tiers_recompute(now=_WithNow.parse_now(options["now"]))
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(done.items())) or "No changes.")
