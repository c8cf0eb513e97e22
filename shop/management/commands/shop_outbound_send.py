from django.core.management.base import BaseCommand

from shop.models import OutboundDelivery
from shop.outbound import outbound_send_due


class Command(BaseCommand):
    help = ("Send the outbound deliveries to the shop that are due (first attempts a stopped worker missed, and "
            "retries after a failure). Run it from cron every minute; safe to run at any time, and concurrently.")

    def handle(self, *args, **options):
        sent = outbound_send_due()
        waiting = OutboundDelivery.objects.filter(state=OutboundDelivery.State.PENDING).count()
        refused = OutboundDelivery.objects.filter(state=OutboundDelivery.State.FAILED).count()
        self.stdout.write(f"sent: {sent}, still waiting: {waiting}, refused or given up: {refused}")
