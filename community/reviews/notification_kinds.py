"""The kinds of notification reviews send, registered from ReviewsConfig.ready() (see
community.members.notification_kinds). Reviews use the orders 300-399."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

REVIEW_REQUEST = "review_request"  # the e-mail after an order (review_requests.py)
BRAND_REPLY = "review_reply"
HELPFUL = "review_helpful"
REVIEW_APPROVED = "review_approved"
REVIEW_REJECTED = "review_rejected"


def register():
    group = _("Product reviews")
    notification_kind_register(
        REVIEW_REQUEST, label=_("Requests to review what you bought"), group=group, order=300, email_by_default=True,
        help_text=_("An e-mail a while after an order, with a link to review each product, and one reminder."),
    )
    notification_kind_register(
        BRAND_REPLY, label=_("Replies to your reviews"), group=group, order=310, email_by_default=True,
        help_text=_("The brand answered a review you wrote."),
    )
    notification_kind_register(
        HELPFUL, label=_("Helpful votes"), group=group, order=320,
        help_text=_("Someone found a review you wrote helpful."),
    )
    notification_kind_register(
        REVIEW_APPROVED, label=_("Reviews published"), group=group, order=330,
        help_text=_("A review you wrote that waited for a moderator was published."),
    )
    notification_kind_register(
        REVIEW_REJECTED, label=_("Reviews not published"), group=group, order=340, email_by_default=True,
        help_text=_("A moderator did not publish a review you wrote, and told you why."),
    )
