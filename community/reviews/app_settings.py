"""The reviews' settings that are not editors' (those are models.ReviewPolicy, in the Wagtail
admin under Settings → Review policy). Call sites read `app_settings.NAME`.

REVIEWS_RATE_LIMITS (RATE_LIMITS_DEFAULT below)
    {action: (limit for new members, limit for others, window in seconds)}.
REVIEWS_PER_PAGE (10)
    Reviews on one page of a product's reviews.
"""

from django.conf import settings

RATE_LIMITS_DEFAULT = {
    "submit": (5, 30, 3600),
    "edit": (10, 30, 3600),
    "vote": (30, 300, 3600),
}


class ReviewSettings:
    @property
    def RATE_LIMITS(self):
        return {**RATE_LIMITS_DEFAULT, **getattr(settings, "REVIEWS_RATE_LIMITS", {})}

    @property
    def PER_PAGE(self):
        return int(getattr(settings, "REVIEWS_PER_PAGE", 10))


app_settings = ReviewSettings()
