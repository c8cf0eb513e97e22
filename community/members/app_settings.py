"""The members app's settings, each with its default, read from django.conf.settings every time
(so a test's override applies at once). Call sites read `app_settings.NAME`.

NOTIFICATION_EMAIL_BATCH_SECONDS (600)
    Notification e-mails: at most one per member in this many seconds, listing what is unread.

MEMBERS_DATA_EXPORTS_PER_HOUR (10)
    A member's data downloads (/me/data.json and /me/data.zip together) allowed per hour.

MEMBERS_DATA_EXPORT_SPOOL_BYTES (8 MiB)
    The zip download is built in memory up to this size, then in a temporary file.

PROFILE_EDITS_PER_HOUR (10)
    Saves of the profile that change what others see (display name, bio, avatar) per member and
    hour; changing only private settings (birthday, marketing consent) is never limited.

Avatars, like every uploaded picture, follow core.images: IMAGE_USES["avatar"].
"""

from django.conf import settings


class MembersSettings:
    @property
    def NOTIFICATION_EMAIL_BATCH_SECONDS(self):
        return int(getattr(settings, "NOTIFICATION_EMAIL_BATCH_SECONDS", 600))

    @property
    def DATA_EXPORTS_PER_HOUR(self):
        return int(getattr(settings, "MEMBERS_DATA_EXPORTS_PER_HOUR", 10))

    @property
    def DATA_EXPORT_SPOOL_BYTES(self):
        return int(getattr(settings, "MEMBERS_DATA_EXPORT_SPOOL_BYTES", 8 * 1024 * 1024))

    @property
    def PROFILE_EDITS_PER_HOUR(self):
        return int(getattr(settings, "PROFILE_EDITS_PER_HOUR", 10))


app_settings = MembersSettings()
