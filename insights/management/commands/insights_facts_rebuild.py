"""manage.py insights_facts_rebuild: compute the per-order facts the retention figures read
again from the orders, and say how many were corrected (none, when every change to orders went
through the shop's own paths). Run it after loading orders some other way (a raw SQL import, a
fixture); nightly before insights_warm it is a safety net."""

import time

from django.core.management.base import BaseCommand

from insights.facts import facts_rebuild


class Command(BaseCommand):
    help = "Compute the per-order facts of the insights figures again and report what was corrected."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows, corrected = facts_rebuild()
        self.stdout.write(f"{rows} order facts, {corrected} corrected, in {time.perf_counter() - started:.1f} s")
