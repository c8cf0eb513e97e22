"""Signed links in notification e-mails.

An unsubscribe link carries the member and the kinds of notification it stops e-mailing. It is
signed (salted, so no other signed value of the site can stand in for it) and never expires: an
old e-mail's link must keep working, and a second use changes nothing.
"""

from core.tokens import TokenInvalid, TokenPurpose

from .notification_kinds import notification_kind_get, notification_kind_is_registered

UNSUBSCRIBE_SALT = "members.notifications.unsubscribe"

__all__ = ["TokenInvalid", "unsubscribe_token_make", "unsubscribe_token_read"]


def _unsubscribe_payload_ok(data):
    return isinstance(data, dict) and isinstance(data.get("m"), int) and isinstance(data.get("k"), list)


UNSUBSCRIBE = TokenPurpose(UNSUBSCRIBE_SALT, validate=_unsubscribe_payload_ok)


def unsubscribe_token_make(member, kinds):
    """A token for turning off e-mail about `kinds` (one kind or several) for `member`."""
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = sorted({notification_kind_get(kind).code for kind in kinds})
    return UNSUBSCRIBE.make({"m": member.pk, "k": kinds})


def unsubscribe_token_read(token):
    """Return (member id, [kind, ...]) or raise TokenInvalid."""
    data = UNSUBSCRIBE.read(token)
    kinds = data["k"]
    if not kinds or not all(notification_kind_is_registered(kind) for kind in kinds):  # unknown kind: invalid
        raise TokenInvalid
    return data["m"], kinds
