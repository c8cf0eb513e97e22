"""The members app's settings, each with its default, read from django.conf.settings every time
(so a test's override applies at once). Call sites read `app_settings.NAME`.

NOTIFICATION_EMAIL_BATCH_SECONDS (600)
    Notification e-mails: at most one per member in this many seconds, listing what is unread.
AVATAR_MAX_BYTES (5 MiB)
    The largest avatar upload accepted.
AVATAR_MAX_PIXELS (40 000 000)
    Width x height; larger images are refused before decoding.
AVATAR_SIZE (512)
    Avatars are re-encoded to a square of this many pixels.
"""

from django.conf import settings


class MembersSettings:
    @property
    def NOTIFICATION_EMAIL_BATCH_SECONDS(self):
        return int(getattr(settings, "NOTIFICATION_EMAIL_BATCH_SECONDS", 600))

    @property
    def AVATAR_MAX_BYTES(self):
        return int(getattr(settings, "AVATAR_MAX_BYTES", 5 * 1024 * 1024))

    @property
    def AVATAR_MAX_PIXELS(self):
        return int(getattr(settings, "AVATAR_MAX_PIXELS", 40_000_000))

    @property
    def AVATAR_SIZE(self):
        return int(getattr(settings, "AVATAR_SIZE", 512))


app_settings = MembersSettings()
