"""The shop's scheduled jobs (core.schedule). `retry_deliveries` is not one: a failed webhook
delivery has a reason staff read first (Shop → Webhook deliveries), and a refund that overtook its
order is retried by itself once the order is processed."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Every
from core.schedule.registry import schedule_register

schedule_register("shop_outbound_send", Every(1), command=("shop_outbound_send",),
                  description=_("Sends the shop the events that are due (retries, and first attempts a stopped worker missed)."))
schedule_register("shop_inbox_drain", Every(1), command=("shop_inbox_drain",),
                  description=_("Applies the webhook deliveries still waiting in the inbox (those a stopped worker missed)."))
