from django.core.management.base import BaseCommand

from shop.models import WebhookDelivery
from shop.services import inbox_drain


class Command(BaseCommand):
    help = ("Apply the webhook deliveries waiting in the inbox, oldest first (those whose wake-up a stopped worker "
            "missed). Runs every minute from the schedule; safe to run at any time, and concurrently.")

    def handle(self, *args, **options):
        done = inbox_drain()
        failed = WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).count()
        self.stdout.write(f"applied: {done}, failed and waiting for staff: {failed}")
