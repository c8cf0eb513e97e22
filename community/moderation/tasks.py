"""Telling authors what moderators did to what they wrote, through the site's notifications
(kind "moderation"). Run after the action commits; the log entry's id in the source key makes a
retried task send nothing twice."""

from django.utils.translation import gettext as _
from django_tasks import task

from community.members.notifications import notification_send

from . import registry
from .models import ModerationLog

TITLES = {
    "hide": lambda label, title: _("A moderator hid your %(kind)s “%(title)s”") % {"kind": label, "title": title},
    "restore": lambda label, title: _("A moderator restored your %(kind)s “%(title)s”") % {"kind": label, "title": title},
    "approve": lambda label, title: _("A moderator approved your %(kind)s “%(title)s”: everyone sees it now")
    % {"kind": label, "title": title},
    "delete": lambda label, title: _("A moderator deleted your %(kind)s “%(title)s”") % {"kind": label, "title": title},
}
EXCERPTS = {
    "hide": lambda: _("What members write is hidden when it breaks the community guidelines. "
                      "Write to a moderator if you think it was a mistake."),
    "delete": lambda: _("What members write is deleted when it breaks the community guidelines. "
                        "Write to a moderator if you think it was a mistake."),
}


@task()
def moderation_notify(entry_id):
    entry = ModerationLog.objects.select_related("content_type", "actor").filter(pk=entry_id).first()
    if entry is None or entry.action not in TITLES or entry.content_type is None:
        return 0
    kind = registry.kind_for_model(entry.content_type.model_class())
    item = kind.queryset().filter(pk=entry.object_id).first() if kind else None
    if item is None:
        return 0
    author = kind.author(item)
    if author is None or author.pk == entry.actor_id:
        return 0
    # Sent without an actor: moderators act for the site, not by name.
    sent = notification_send(
        author, "moderation", url=entry.item_url or "/",
        title=TITLES[entry.action](kind.label, entry.item_title),
        excerpt=EXCERPTS[entry.action]() if entry.action in EXCERPTS else entry.detail,
        source_key=f"moderation:log:{entry.pk}",
    )
    return int(sent is not None)
