"""The scheduler's settings, each with its default, read from django.conf.settings every time.

SCHEDULE_TIME_ZONE ("")     the zone of daily and weekly times; empty: settings.TIME_ZONE.
SCHEDULE_KEEP_DAYS (30)     runs are kept this many days (at least 8, more than a week: the
                            latest slot of a weekly job must keep its run).
SCHEDULE_RECENT_RUNS (50)   runs the admin page lists.
"""

from django.conf import settings


class ScheduleSettings:
    @property
    def KEEP_DAYS(self):
        return max(8, int(getattr(settings, "SCHEDULE_KEEP_DAYS", 30)))

    @property
    def RECENT_RUNS(self):
        return max(1, int(getattr(settings, "SCHEDULE_RECENT_RUNS", 50)))


app_settings = ScheduleSettings()
