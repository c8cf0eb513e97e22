"""Referrals' settings from django.conf.settings, each with its default, read every time (so a
test's override applies at once). Call sites read `app_settings.NAME`. The offer itself (points,
windows, minimum order, caps) is edited in the Wagtail admin: models.ReferralProgramme.

REFERRAL_CLICKS_PER_MINUTE (30)
    Clicks recorded per IP address and code in a minute; more still redirect, uncounted.

REFERRAL_BURST_SIGNUPS (5) and REFERRAL_BURST_MINUTES (60)
    More sign-ups than this on one code within that many minutes flags the later ones.

REFERRAL_NAME_LOOKUPS_PER_HOUR (10)
    "Been referred by a friend?" name and e-mail lookups per IP address in an hour.

REFERRAL_VANITY_CHANGES_PER_MONTH (2)
    How often a member may choose a new code.

REFERRAL_CODE_MEMO_SECONDS (10)
    How long each process remembers a code for `/r/<code>` (codes.code_lookup_fast); 0: never.

LOYALTY_LEADERBOARD_CHOICES_PER_HOUR (10)
    How often a member may join or leave the loyalty leaderboard in an hour.

REFERRAL_CLICK_BUFFER ("auto") and REFERRAL_CLICK_FLUSH_SIZE (500)
    Buffer clicks in Redis ("auto": when the cache is django-redis; "redis"; "off": write each
    click at once), and flush when this many wait (referrals.clicks).

LOYALTY_REDEMPTIONS_PER_HOUR (10)
    Discount codes a member may make in an hour (referrals.loyalty.views).

LOYALTY_CODE_REFUND_GRACE_HOURS (48)
    An unused code's points come back this long after it expired, so an order paid just before
    the expiry whose webhook arrives late still finds it (referrals.loyalty.redemption).
"""

from django.conf import settings


class ReferralSettings:
    @property
    def CLICKS_PER_MINUTE(self):
        return int(getattr(settings, "REFERRAL_CLICKS_PER_MINUTE", 30))

    @property
    def BURST_SIGNUPS(self):
        return int(getattr(settings, "REFERRAL_BURST_SIGNUPS", 5))

    @property
    def BURST_MINUTES(self):
        return int(getattr(settings, "REFERRAL_BURST_MINUTES", 60))

    @property
    def NAME_LOOKUPS_PER_HOUR(self):
        return int(getattr(settings, "REFERRAL_NAME_LOOKUPS_PER_HOUR", 10))

    @property
    def VANITY_CHANGES_PER_MONTH(self):
        return int(getattr(settings, "REFERRAL_VANITY_CHANGES_PER_MONTH", 2))

    @property
    def LEADERBOARD_CHOICES_PER_HOUR(self):
        return int(getattr(settings, "LOYALTY_LEADERBOARD_CHOICES_PER_HOUR", 10))

    @property
    def CODE_MEMO_SECONDS(self):
        return float(getattr(settings, "REFERRAL_CODE_MEMO_SECONDS", 10))

    @property
    def REDEMPTIONS_PER_HOUR(self):
        return int(getattr(settings, "LOYALTY_REDEMPTIONS_PER_HOUR", 10))

    @property
    def CODE_REFUND_GRACE_HOURS(self):
        return float(getattr(settings, "LOYALTY_CODE_REFUND_GRACE_HOURS", 48))


app_settings = ReferralSettings()
