"""Insights' scheduled jobs (core.schedule): after the day's orders and the night's loyalty run, the
per-order facts checked (a safety net for orders written behind Django's back), then the figures warmed."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Daily
from core.schedule.registry import schedule_register

schedule_register("insights_warm", Daily("04:30"), command=("insights_warm",),
                  description=_("Computes the Insights pages' default figures into the cache."))
schedule_register("insights_facts_rebuild", Daily("04:00"), command=("insights_facts_rebuild",),
                  description=_("Checks the per-order facts behind the Insights pages against the orders and "
                                "corrects any that differ."))
