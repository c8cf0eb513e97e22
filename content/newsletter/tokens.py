"""Signed links in newsletter e-mails.

A confirmation link carries the subscriber and their current nonce, signed with a timestamp: it
expires after CONFIRM_MAX_AGE and stops working once the address is confirmed or unsubscribed
(the nonce changes). An unsubscribe link carries only the subscriber and never expires.
"""

import datetime

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)


class TokenInvalid(Exception):
    """Forged, truncated or for another purpose."""


class TokenExpired(TokenInvalid):
    """Genuine but older than CONFIRM_MAX_AGE."""


def confirm_token_make(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"s": subscriber.pk, "n": subscriber.token_nonce})


def confirm_token_read(token, max_age=CONFIRM_MAX_AGE):
    """Return (subscriber id, nonce) or raise TokenExpired / TokenInvalid."""
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise TokenInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        raise TokenInvalid
    return data["s"], data["n"]


def unsubscribe_token_make(subscriber):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"s": subscriber.pk})


def unsubscribe_token_read(token):
    """Return the subscriber id or raise TokenInvalid."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise TokenInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise TokenInvalid
    return data["s"]
