"""The kinds of lifecycle e-mail, their notification-preference kinds (so members switch each off at
/me/notifications/preferences/ and by its one-click link), and the placeholders editors may use in
each kind's text.

The thank-you after a first paid order is referrals' (referrals.thank_you, preference kind
`referral_ask`): lifecycle gives it its editor-written text and logs it, it does not send a second one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register


class Kind(models.TextChoices):
    THANK_YOU = "thank_you", _("Thank you after the first paid order")
    CARE_TIPS = "care_tips", _("Care tips after an order")
    BIRTHDAY = "birthday", _("Birthday greeting")
    WIN_BACK = "win_back", _("We miss you (win-back)")
    DIGEST = "digest", _("Weekly forum digest")
    NPS = "nps", _("Recommendation survey (NPS)")
    CSAT = "csat", _("Order satisfaction survey (CSAT)")


# The notification-preference kind each e-mail kind obeys.
PREFERENCE = {
    Kind.THANK_YOU: "referral_ask",
    Kind.CARE_TIPS: "lifecycle_care_tips",
    Kind.BIRTHDAY: "lifecycle_birthday",
    Kind.WIN_BACK: "lifecycle_win_back",
    Kind.DIGEST: "lifecycle_digest",
    Kind.NPS: "lifecycle_surveys",
    Kind.CSAT: "lifecycle_surveys",
}

# Direct marketing (offers on products): sent under LIFECYCLE_MARKETING_CONSENT's rule, with the
# statement and the link to refuse them in every message. Care tips, the birthday greeting (the
# loyalty programme's gift, for members who gave their birthday for it), surveys, the opt-in digest
# and the thank-you are about what the member bought or asked for, not offers.
MARKETING = frozenset({Kind.WIN_BACK})

COMMON = ("name", "site_name", "site_url")
# What each kind's text may contain, {like_this}; anything else in braces is refused on save.
PLACEHOLDERS = {
    Kind.THANK_YOU: (*COMMON, "referral_link", "friend_offer"),
    Kind.CARE_TIPS: (*COMMON, "order", "care_tips"),
    Kind.BIRTHDAY: (*COMMON, "points", "points_url"),
    Kind.WIN_BACK: (*COMMON, "days", "products"),
    Kind.DIGEST: (*COMMON, "topics", "forum_url"),
    Kind.NPS: COMMON,
    Kind.CSAT: (*COMMON, "order"),
}


def register():
    group = _("E-mails from us")
    notification_kind_register(
        PREFERENCE[Kind.CARE_TIPS], label=_("Care tips for what you bought"), group=group, order=610, email_only=True,
        email_by_default=True, help_text=_("A few days after an order: how to look after each product."))
    notification_kind_register(
        PREFERENCE[Kind.BIRTHDAY], label=_("Birthday greeting"), group=group, order=620, email_by_default=True, email_only=True,
        help_text=_("Once a year, with your birthday points (add your birthday to your profile)."))
    notification_kind_register(
        PREFERENCE[Kind.WIN_BACK], label=_("We miss you"), group=group, order=630, email_by_default=True, email_only=True,
        marketing=True, help_text=_("Offers: after a long time without an order, a few things customers like you "
                                    "bought. We send them because you are a customer; untick to refuse them."))
    notification_kind_register(
        PREFERENCE[Kind.DIGEST], label=_("Weekly forum digest"), group=group, order=640, email_by_default=False, email_only=True,
        help_text=_("Once a week, the forum's liveliest topics."))
    notification_kind_register(
        PREFERENCE[Kind.NPS], label=_("Short surveys"), group=group, order=650, email_by_default=True, email_only=True,
        help_text=_("Now and then after an order: one question, answered with one click."))
