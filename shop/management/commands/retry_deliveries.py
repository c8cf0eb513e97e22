from django.core.management.base import BaseCommand

from shop.models import WebhookDelivery
from shop.services import delivery_retry


class Command(BaseCommand):
    help = "Process failed webhook deliveries again (all of them, or those named by --id)."

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="delivery primary key (repeatable)")
        parser.add_argument("--include-pending", action="store_true", help="also run deliveries still waiting (a stopped worker)")

    def handle(self, *args, ids=None, include_pending=False, **options):
        states = [WebhookDelivery.State.FAILED] + ([WebhookDelivery.State.PENDING] if include_pending else [])
        deliveries = WebhookDelivery.objects.filter(state__in=states).order_by("received_at")
        if ids:
            deliveries = deliveries.filter(pk__in=ids)
        done = failed = 0
        for delivery in deliveries.iterator():
            result = delivery_retry(delivery)
            if result.state == WebhookDelivery.State.PROCESSED:
                done += 1
            else:
                failed += 1
                self.stderr.write(f"delivery {result.pk} ({result.topic} {result.delivery_id}) failed again: {result.error}")
        self.stdout.write(f"processed: {done}, still failing: {failed}")
