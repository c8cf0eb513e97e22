"""The kinds of notification badges and challenges send, registered from PlayConfig.ready()
(engagement uses orders 500-599)."""

from django.utils.translation import gettext_lazy as _

from community.members.notification_kinds import notification_kind_register

BADGE = "play_badge"
CHALLENGE_DONE = "play_challenge"


def register():
    group = _("Badges and challenges")
    notification_kind_register(
        BADGE, label=_("New badges"), group=group, order=510, email_by_default=False,
        help_text=_("You earned a badge."),
    )
    notification_kind_register(
        CHALLENGE_DONE, label=_("Completed challenges"), group=group, order=520, email_by_default=True,
        help_text=_("You completed a challenge and its points were added."),
    )
