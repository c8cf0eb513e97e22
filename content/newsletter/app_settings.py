"""The newsletter's settings, each with its default, read from django.conf.settings every time
(so a test's override applies at once). Call sites read `app_settings.NAME`.

NEWSLETTER_UNSUBSCRIBE_EMAIL ("")
    The address of the List-Unsubscribe mailto: header; empty means DEFAULT_FROM_EMAIL's address.
NEWSLETTER_SIGNUP_PER_IP ((5, 60))
    (limit, seconds): sign-ups from one IP address.
NEWSLETTER_SIGNUP_PER_ADDRESS ((3, 3600))
    (limit, seconds): sign-ups for one e-mail address.
"""

from django.conf import settings


class NewsletterSettings:
    @property
    def UNSUBSCRIBE_EMAIL(self):
        return getattr(settings, "NEWSLETTER_UNSUBSCRIBE_EMAIL", "")

    @property
    def SIGNUP_PER_IP(self):
        return tuple(getattr(settings, "NEWSLETTER_SIGNUP_PER_IP", (5, 60)))

    @property
    def SIGNUP_PER_ADDRESS(self):
        return tuple(getattr(settings, "NEWSLETTER_SIGNUP_PER_ADDRESS", (3, 3600)))


app_settings = NewsletterSettings()
