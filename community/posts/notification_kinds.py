"""The kinds of notification photo posts send, registered from PostsConfig.ready() (see
community.members.notification_kinds; photo posts use the orders 200-299)."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

COMMENT = "post_comment"
MENTION = "post_mention"
LIKE = "post_like"
FOLLOWED_TAG = "post_followed_tag"
APPROVED = "post_approved"
REJECTED = "post_rejected"
FEATURED = "post_featured"


def register():
    group = _("Photo posts")
    notification_kind_register(
        COMMENT, label=_("Comments on your photo posts"), group=group, order=210, email_by_default=True,
        help_text=_("Someone commented on a photo you posted."),
    )
    notification_kind_register(
        MENTION, label=_("Mentions in comments"), group=group, order=220, email_by_default=True,
        help_text=_("Someone mentioned you with @ and your username in a comment on a photo post."),
    )
    notification_kind_register(
        LIKE, label=_("Likes on your photo posts"), group=group, order=230,
        help_text=_("Someone liked a photo you posted (one notification until you have read it)."),
    )
    notification_kind_register(
        FOLLOWED_TAG, label=_("Hashtags you follow"), group=group, order=240,
        help_text=_("New posts under a hashtag you follow, gathered into one notification."),
    )
    notification_kind_register(
        APPROVED, label=_("Your posts approved"), group=group, order=250, email_by_default=True,
        help_text=_("A moderator approved a post of yours that was waiting: everyone sees it now."),
    )
    notification_kind_register(
        REJECTED, label=_("Your posts not approved"), group=group, order=260, email_by_default=True,
        help_text=_("A moderator did not approve a post of yours, and said why."),
    )
    notification_kind_register(
        FEATURED, label=_("Your posts featured"), group=group, order=270, email_by_default=True,
        help_text=_("The brand featured a photo of yours on its site."),
    )
