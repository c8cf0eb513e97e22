"""Write the clicks buffered in Redis into the database (referrals.clicks). Run it from cron every
minute or so; a flush also runs whenever the buffer fills. Safe to run at any time, and twice at
once: the second one finds the lock taken and does nothing."""

from django.core.management.base import BaseCommand

from referrals.clicks import buffered, clicks_flush, clicks_pending


class Command(BaseCommand):
    help = "Write buffered referral clicks into the database."

    def handle(self, *args, **options):
        if not buffered():
            self.stdout.write("Clicks are written as they happen here (no Redis buffer): nothing to do.")
            return
        written = clicks_flush()
        self.stdout.write(f"Wrote {written} clicks; {clicks_pending()} waiting.")
