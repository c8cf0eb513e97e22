"""Reviews' scheduled job (core.schedule)."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Every
from core.schedule.registry import schedule_register

schedule_register("review_requests_send", Every(60), command=("review_requests_send",),
                  description=_("Sends the review-request e-mails and reminders that are due."))
