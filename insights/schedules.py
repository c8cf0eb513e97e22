"""Insights' scheduled job (core.schedule): after the day's orders and the night's loyalty run."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Daily
from core.schedule.registry import schedule_register

schedule_register("insights_warm", Daily("04:30"), command=("insights_warm",),
                  description=_("Computes the Insights pages' default figures into the cache."))
