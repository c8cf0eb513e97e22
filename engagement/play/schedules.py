"""Badges' scheduled job (core.schedule)."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Daily
from core.schedule.registry import schedule_register

schedule_register("play_daily", Daily("00:20"), command=("play_daily",),
                  description=_("Awards the badges that time earns (a year a member)."))
