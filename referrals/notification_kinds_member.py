"""The kind of notification the thank-you e-mail after a first paid order belongs to, so members
can switch it off at /me/notifications/preferences/ and by its one-click unsubscribe link.
(ref-engine registers the referral kinds it sends in notification_kinds.py; both live in the
"Referrals" group, orders 400-499.)"""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

REFERRAL_ASK = "referral_ask"


def register():
    notification_kind_register(
        REFERRAL_ASK, label=_("Thank-you e-mails with your link"), group=_("Referrals"), order=480,
        email_by_default=True,
        help_text=_("Once, after your first order: a thank-you with your own link to share with friends."),
    )
