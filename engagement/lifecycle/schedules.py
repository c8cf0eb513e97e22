"""Lifecycle e-mails' scheduled jobs (core.schedule): in the morning, the site's time, so a
birthday greeting does not arrive at midnight."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Daily, Weekly
from core.schedule.registry import schedule_register

schedule_register("lifecycle_nightly", Daily("09:00"), command=("lifecycle_run",),
                  description=_("Sends the day's lifecycle e-mails: birthdays, win-back, care tips and surveys."))
schedule_register("lifecycle_weekly", Weekly(4, "16:00"), command=("lifecycle_run", "--weekly"),
                  description=_("Sends the weekly forum digest to the members who asked for it."))
