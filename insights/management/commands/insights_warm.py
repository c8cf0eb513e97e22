import time

from django.core.management.base import BaseCommand

from insights.warm import figures_warm


class Command(BaseCommand):
    help = "Compute the Insights pages' default figures into the cache (run nightly, after the day's orders)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        scopes = figures_warm()
        self.stdout.write(f"Insights: {', '.join(scopes)} computed in {time.perf_counter() - started:.1f} s")
