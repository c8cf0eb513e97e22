"""Settings of review requests (the e-mail after an order), each with its default, read from
django.conf.settings every time (so a test's override applies at once). Call sites read
`request_settings.NAME`. The review policy itself (auto-publish, non-buyers) is reviews-core's.

REVIEW_REQUEST_DAYS (14)
    Days after an order is paid that the e-mail asking for reviews goes.
REVIEW_REQUEST_REMINDER_DAYS (7)
    Days after the first e-mail that one reminder goes, if something is still unreviewed; 0: none.
REVIEW_LINK_DAYS (60)
    How long a review link in the e-mail works, counted from when the e-mail was made.
REVIEW_REQUEST_LATE_DAYS (30)
    An order paid so long ago that its request would be more than this many days late (an import
    of last year's orders) gets none: nobody should be asked about a purchase from long ago.
REVIEW_REQUEST_BATCH (200)
    At most this many requests are sent per run of the task (the next run takes the rest).
"""

import datetime

from django.conf import settings


class ReviewRequestSettings:
    @property
    def DAYS(self):
        return int(getattr(settings, "REVIEW_REQUEST_DAYS", 14))

    @property
    def REMINDER_DAYS(self):
        return int(getattr(settings, "REVIEW_REQUEST_REMINDER_DAYS", 7))

    @property
    def LINK_DAYS(self):
        return int(getattr(settings, "REVIEW_LINK_DAYS", 60))

    @property
    def link_max_age(self):
        return datetime.timedelta(days=self.LINK_DAYS)

    @property
    def LATE_DAYS(self):
        return int(getattr(settings, "REVIEW_REQUEST_LATE_DAYS", 30))

    @property
    def BATCH(self):
        return int(getattr(settings, "REVIEW_REQUEST_BATCH", 200))


request_settings = ReviewRequestSettings()
