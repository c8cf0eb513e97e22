"""Signed links in newsletter e-mails.

A confirmation link carries the subscriber and their current nonce, signed with a timestamp: it
expires after CONFIRM_MAX_AGE and stops working once the address is confirmed or unsubscribed
(the nonce changes). An unsubscribe link carries only the subscriber and never expires.
"""

import datetime

from core.tokens import TokenExpired, TokenInvalid, TokenPurpose

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)

__all__ = ["CONFIRM_MAX_AGE", "TokenExpired", "TokenInvalid", "confirm_token_make", "confirm_token_read",
           "unsubscribe_token_make", "unsubscribe_token_read"]

CONFIRM = TokenPurpose(
    CONFIRM_SALT, max_age=CONFIRM_MAX_AGE,
    validate=lambda data: isinstance(data, dict) and isinstance(data.get("s"), int) and isinstance(data.get("n"), str),
)
UNSUBSCRIBE = TokenPurpose(UNSUBSCRIBE_SALT, validate=lambda data: isinstance(data, dict) and isinstance(data.get("s"), int))


def confirm_token_make(subscriber):
    return CONFIRM.make({"s": subscriber.pk, "n": subscriber.token_nonce})


def confirm_token_read(token, max_age=CONFIRM_MAX_AGE):
    """Return (subscriber id, nonce) or raise TokenExpired / TokenInvalid."""
    data = CONFIRM.read(token, max_age=max_age)
    return data["s"], data["n"]


def unsubscribe_token_make(subscriber):
    return UNSUBSCRIBE.make({"s": subscriber.pk})


def unsubscribe_token_read(token):
    """Return the subscriber id or raise TokenInvalid."""
    return UNSUBSCRIBE.read(token)["s"]
