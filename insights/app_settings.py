"""Insights' settings from django.conf.settings, each with its default, read every time (so a
test's override applies at once). Call sites read `app_settings.NAME`.

INSIGHTS_WINDOW_DAYS (365)
    The trailing window: a "customer" at a moment is someone with a paid, not fully refunded order
    in the WINDOW_DAYS before it. At least 92 days (the longest quarter), so a customer can lapse
    at most once within a period; smaller values are raised to 92.

INSIGHTS_MIN_SAMPLE (30)
    A split group with fewer customers than this shows "too few to tell" instead of its figures.

INSIGHTS_CACHE_SECONDS (21600)
    How long computed figures are kept before they are computed again (staff may refresh sooner).
"""

from django.conf import settings

MIN_WINDOW_DAYS = 92


class InsightsSettings:
    @property
    def WINDOW_DAYS(self):
        return max(int(getattr(settings, "INSIGHTS_WINDOW_DAYS", 365)), MIN_WINDOW_DAYS)

    @property
    def MIN_SAMPLE(self):
        return max(int(getattr(settings, "INSIGHTS_MIN_SAMPLE", 30)), 1)

    @property
    def CACHE_SECONDS(self):
        return int(getattr(settings, "INSIGHTS_CACHE_SECONDS", 6 * 3600))


app_settings = InsightsSettings()
