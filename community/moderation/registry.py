"""What the moderation queue knows of the things members write: each app registers its kinds
(forum posts now; photo posts, comments and reviews later) from its AppConfig.ready(), and the
queue, the report flow and the log work through them without knowing any app.

A kind is a code ("forum_post"), a label, its model and callables into its own app: the
queryset the queue fetches items from, the items waiting for approval, a preview of one item,
who may see it, and its hide / restore / approve actions (that app's services, which keep its
counters, close the item's open reports and write the moderation log)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass
class Preview:
    """What the queue shows of one item."""

    title: str
    excerpt: str
    author: Any  # a member, or None
    url: str  # its public address
    created_at: datetime
    hidden: bool = False
    deleted: bool = False
    waiting: bool = False  # waiting for a moderator's approval
    note: str = ""  # a word for moderators, e.g. what hiding it also does


@dataclass(frozen=True)
class ModerationKind:
    code: str
    label: str
    model: type
    # () -> QuerySet of the model, joined with what preview() reads (the queue fetches in bulk)
    queryset: Callable
    # () -> QuerySet of the items waiting for approval (not hidden, not deleted), oldest first
    waiting: Callable
    # (item) -> Preview
    preview: Callable
    # (user, item) -> bool: whether the user may see the item at all (404 otherwise)
    can_view: Callable
    # (actor, item, reason) -> None; (actor, item, reason) -> None; (actor, item) -> None
    hide: Callable
    restore: Callable
    approve: Callable
    # (item) -> member; the default reads item.author
    author: Callable = field(default=lambda item: item.author)
    # the field of the model the queue's age filter reads
    age_field: str = "created_at"

    def url(self, item):
        return self.preview(item).url


class AlreadyRegistered(Exception):
    pass


_kinds: dict[str, ModerationKind] = {}

# Readable labels of the log's action codes. The queue's own actions are here; apps add theirs
# (the forum: pin, lock, move, merge, ...) with register_action().
_actions: dict[str, Any] = {
    "hide": _("hid an item"),
    "restore": _("restored an item"),
    "approve": _("approved an item"),
    "delete": _("deleted an item"),
    "dismiss_report": _("dismissed a report"),
    "suspend": _("suspended a member"),
    "unsuspend": _("lifted a suspension"),
}


def register(kind):
    if kind.code in _kinds and _kinds[kind.code] is not kind:
        raise AlreadyRegistered(kind.code)
    _kinds[kind.code] = kind
    return kind


def unregister(code):
    _kinds.pop(code, None)


def kinds():
    """Every registered kind, in the order they were registered."""
    return list(_kinds.values())


def get(code):
    """The kind of that code, or None."""
    return _kinds.get(code)


def kind_for_model(model):
    for kind in _kinds.values():
        if kind.model is model or kind.model._meta.concrete_model is model._meta.concrete_model:
            return kind
    return None


def register_action(code, label):
    _actions[code] = label


def action_label(code):
    return _actions.get(code, code)


def action_choices():
    return sorted(((code, str(label)) for code, label in _actions.items()), key=lambda pair: pair[1])
