"""The kinds of notification referrals sends, registered from ReferralsConfig.ready() (see
community.members.notification_kinds; referrals and loyalty use orders 400-499). Codes are at most
20 characters, so they are shorter than their names."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

FRIEND_JOINED = "ref_friend_joined"
REWARD_APPROVED = "ref_reward_approved"


def register():
    group = _("Referrals")
    notification_kind_register(
        FRIEND_JOINED, label=_("Friends who joined"), group=group, order=410, email_by_default=True,
        help_text=_("A friend you invited joined the community."),
    )
    notification_kind_register(
        REWARD_APPROVED, label=_("Approved rewards"), group=group, order=420, email_by_default=True,
        help_text=_("A referral reward of yours was approved."),
    )
