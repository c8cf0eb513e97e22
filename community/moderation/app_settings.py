"""Moderation's settings, each with its default, read from django.conf.settings every time (so a
test's override applies at once). Call sites read `app_settings.NAME`.

MODERATION_REPORTS_PER_DAY (30)
    How many reports one member may file in a day, over every kind of item.
"""

from django.conf import settings


class ModerationSettings:
    @property
    def REPORTS_PER_DAY(self):
        return int(getattr(settings, "MODERATION_REPORTS_PER_DAY", 30))


app_settings = ModerationSettings()
