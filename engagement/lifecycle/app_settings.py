"""Lifecycle settings, each with its default, read from django.conf.settings every time.

LIFECYCLE_CARE_TIPS_DAYS (5)      care tips this many days after an order is paid (the shop sends
                                  no delivery date; payment plus a few days stands for it).
LIFECYCLE_WIN_BACK_DAYS (180)     win-back once a member's last paid order is this old.
LIFECYCLE_NPS_DAYS (30)           the NPS question this many days after a paid order ...
LIFECYCLE_NPS_INTERVAL_DAYS (180) ... and at most once in this many days per member.
LIFECYCLE_CSAT_DAYS (10)          the CSAT question about an order this many days after payment.
LIFECYCLE_LATE_DAYS (7)           an event this much overdue (a pass that did not run, an old
                                  import) is skipped rather than sent late.
LIFECYCLE_SURVEY_LINK_DAYS (30)   a survey link works this long after its e-mail.
LIFECYCLE_BATCH (500)             members handled per batch (one set of queries per batch).
LIFECYCLE_SURVEY_POSTS_PER_HOUR (30) survey answers and comments per address and hour.
LIFECYCLE_MARKETING_CONSENT ("soft") the marketing kinds (win-back: offers) go, with "soft", to
                                  customers who have not refused them (EU soft opt-in: the sign-up
                                  form, the preferences and every such e-mail let them refuse);
                                  with "explicit", only to members who also gave the marketing
                                  consent (the newsletter's, ticked in the profile).
"""

from django.conf import settings


class LifecycleSettings:
    def _int(self, name, default):
        return int(getattr(settings, name, default))

    @property
    def CARE_TIPS_DAYS(self):
        return self._int("LIFECYCLE_CARE_TIPS_DAYS", 5)

    @property
    def WIN_BACK_DAYS(self):
        return self._int("LIFECYCLE_WIN_BACK_DAYS", 180)

    @property
    def NPS_DAYS(self):
        return self._int("LIFECYCLE_NPS_DAYS", 30)

    @property
    def NPS_INTERVAL_DAYS(self):
        return self._int("LIFECYCLE_NPS_INTERVAL_DAYS", 180)

    @property
    def CSAT_DAYS(self):
        return self._int("LIFECYCLE_CSAT_DAYS", 10)

    @property
    def LATE_DAYS(self):
        return self._int("LIFECYCLE_LATE_DAYS", 7)

    @property
    def MARKETING_CONSENT(self):
        """"soft" or "explicit"; anything else is taken as "explicit" (the stricter)."""
        value = str(getattr(settings, "LIFECYCLE_MARKETING_CONSENT", "soft")).strip().lower()
        return "soft" if value == "soft" else "explicit"

    @property
    def SURVEY_LINK_DAYS(self):
        return self._int("LIFECYCLE_SURVEY_LINK_DAYS", 30)

    @property
    def BATCH(self):
        return max(1, self._int("LIFECYCLE_BATCH", 500))

    @property
    def SURVEY_POSTS_PER_HOUR(self):
        return self._int("LIFECYCLE_SURVEY_POSTS_PER_HOUR", 30)


app_settings = LifecycleSettings()
