from django.core.management.base import BaseCommand

from referrals.loyalty.redemption import codes_expire


class Command(BaseCommand):
    help = ("Close the loyalty discount codes that expired unused (after the grace hours) and give their points "
            "back; the shop is told to stop honouring them. Run it hourly or nightly; safe to repeat.")

    def handle(self, *args, **options):
        self.stdout.write(f"codes expired, points given back: {codes_expire()}")
