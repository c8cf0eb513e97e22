"""The kinds of notification the forum sends, registered from ForumConfig.ready() (see
community.members.notification_kinds)."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

REPLY = "reply"
MENTION = "mention"
QUOTE = "quote"
SOLVED = "solved"
LIKE = "like"


def register():
    group = _("Forum")
    notification_kind_register(
        REPLY, label=_("Replies"), group=group, order=110, email_by_default=True,
        help_text=_("Someone replied to you, or in a topic you follow."),
    )
    notification_kind_register(
        MENTION, label=_("Mentions"), group=group, order=120, email_by_default=True,
        help_text=_("Someone mentioned you with @ and your username."),
    )
    notification_kind_register(
        QUOTE, label=_("Quotes"), group=group, order=130,
        help_text=_("Someone quoted what you wrote."),
    )
    notification_kind_register(
        SOLVED, label=_("Solutions"), group=group, order=140, email_by_default=True,
        help_text=_("Your answer was marked as the solution, or your question got one."),
    )
    notification_kind_register(
        LIKE, label=_("Likes"), group=group, order=150,
        help_text=_("Someone liked what you wrote."),
    )
