"""The kinds of notification: a registry each app adds its own kinds to.

A kind says what a notification is about ("reply", "mention", "moderation", ...). Members switch
each kind on or off, on the site and by e-mail, at /me/notifications/preferences/; the e-mail
digest and its one-click unsubscribe links name kinds by their labels. The list of kinds is not
written down here: each app registers the kinds it sends when Django starts, from its
AppConfig.ready(), so a new app (photo posts, reviews, referrals) adds kinds without editing
members or its migrations:

    # community/forum/apps.py
    def ready(self):
        from .notification_kinds import register
        register()

    # community/forum/notification_kinds.py
    REPLY = "reply"

    def register():
        notification_kind_register(
            REPLY, label=_("Replies"), group=_("Forum"), order=110, email_by_default=True,
            help_text=_("Someone replied to you, or in a topic you follow."),
        )

A kind has:
- code: what is stored in Notification.kind and NotificationPreference.kind and carried by
  unsubscribe links, so it never changes once used: lowercase ASCII letters, digits and "_",
  at most 20 characters.
- label: the plural name members read ("Replies"), lazily translated.
- group: the heading it is listed under on the preferences page ("Forum"), lazily translated;
  kinds with equal group labels are listed together.
- order: where it is listed; groups come in the order of their first kind. By convention the
  forum uses 100-199, photo posts 200-299, reviews 300-399, referrals and loyalty 400-499, and
  members' site-wide kinds 900-999.
- email_by_default: whether a member who has not chosen gets it by e-mail.
- help_text: one sentence under the label on the preferences page.

Reads: notification_kind_get(code) (UnknownNotificationKind, a KeyError and a ValueError, for a
code nobody registered), notification_kind_is_registered(code), notification_kinds() in order,
and notification_kind_groups(). Registering a code twice with the same data changes nothing;
with different data it is an ImproperlyConfigured error, so two apps cannot claim one code.
Nothing else edits the registry. Stored rows of a kind that is no longer registered (its app was
removed) stay in the notifications list, but get no preference, no e-mail and no unsubscribe link.

members owns the site-wide kinds MODERATION and SYSTEM (register_site_kinds, from
MembersConfig.ready()); any app may send them.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

CODE_MAX_LENGTH = 20  # the length of Notification.kind and NotificationPreference.kind
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")


class UnknownNotificationKind(KeyError, ValueError):
    """No app registered a kind with this code."""

    def __str__(self):
        return f"no notification kind {self.args[0]!r} is registered"


@dataclass(frozen=True)
class NotificationKindInfo:
    code: str
    label: str
    group: str
    order: int
    email_by_default: bool = False
    help_text: str = ""
    # Sent only by e-mail (a lifecycle e-mail, say): its preference has no "on the site" choice.
    email_only: bool = False
    # Direct marketing (offers): the sign-up form offers to refuse every such kind at once.
    marketing: bool = False


@dataclass(frozen=True)
class NotificationKindGroup:
    label: str
    kinds: tuple


_registry = {}  # code -> NotificationKindInfo
_ordered = ()  # the same, sorted by (order, code)


def _sort():
    global _ordered
    _ordered = tuple(sorted(_registry.values(), key=lambda kind: (kind.order, kind.code)))


def notification_kind_register(code, *, label, group, order, email_by_default=False, help_text="", email_only=False,
                               marketing=False):
    """Add a kind of notification (from the registering app's AppConfig.ready()); returns it."""
    if not isinstance(code, str) or len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.match(code):
        raise ImproperlyConfigured(
            f"notification kind code {code!r} must be lowercase ASCII letters, digits and _, "
            f"starting with a letter, at most {CODE_MAX_LENGTH} characters"
        )
    if not isinstance(order, int) or isinstance(order, bool):
        raise ImproperlyConfigured(f"notification kind {code!r}: order must be an integer")
    kind = NotificationKindInfo(
        code=code, label=label, group=group, order=order, email_by_default=bool(email_by_default), help_text=help_text,
        email_only=bool(email_only), marketing=bool(marketing),
    )
    existing = _registry.get(code)
    if existing is not None:
        if existing == kind:
            return existing
        raise ImproperlyConfigured(f"notification kind {code!r} is already registered, differently: {existing}")
    _registry[code] = kind
    _sort()
    return kind


def notification_kind_get(code):
    """The registered kind with this code; UnknownNotificationKind (a KeyError and a ValueError) if none."""
    try:
        return _registry[code]
    except (KeyError, TypeError):
        raise UnknownNotificationKind(code) from None


def notification_kind_is_registered(code):
    return isinstance(code, str) and code in _registry


def notification_kinds_marketing():
    """The kinds registered as direct marketing."""
    return tuple(kind for kind in _ordered if kind.marketing)


def notification_kinds():
    """Every registered kind, in order (a tuple)."""
    return _ordered


def notification_kind_groups():
    """The kinds by preference group: [NotificationKindGroup(label, (kind, ...)), ...], groups in
    the order of their first kind, kinds in order."""
    groups = []  # [(label, [kind, ...])]
    for kind in _ordered:
        for label, members in groups:
            if label == kind.group:
                members.append(kind)
                break
        else:
            groups.append((kind.group, [kind]))
    return [NotificationKindGroup(label, tuple(members)) for label, members in groups]


@contextmanager
def notification_kinds_isolated():
    """For tests: kinds registered inside the block are forgotten when it ends; the kinds the apps
    registered stay as they are."""
    saved = dict(_registry)
    try:
        yield
    finally:
        _registry.clear()
        _registry.update(saved)
        _sort()


# --- The site-wide kinds members owns -----------------------------------------------------------

MODERATION = "moderation"
SYSTEM = "system"


def register_site_kinds():
    group = _("Account and site")
    notification_kind_register(
        MODERATION, label=_("Moderation"), group=group, order=900, email_by_default=True,
        help_text=_("A moderator changed or removed something you wrote."),
    )
    notification_kind_register(
        SYSTEM, label=_("Messages from the site"), group=group, order=910,
        help_text=_("News about your account and the site."),
    )
