"""Signed single-purpose tokens for links in e-mails (confirm, unsubscribe, ...).

A token is Django's signing of a JSON payload, salted with its purpose, so no token made for one
purpose (or any other signed value of the site) passes for another. With `max_age` the token
carries its signing time and expires; without, it never does (an old e-mail's link keeps working).

The format is exactly `signing.Signer(salt=purpose).sign_object(payload)` (or TimestampSigner
with a max age), so tokens signed before this module existed keep working.
"""

from django.core import signing


class TokenInvalid(Exception):
    """Forged, truncated, for another purpose, or carrying a payload of the wrong shape."""


class TokenExpired(TokenInvalid):
    """Genuine, but older than its purpose's max age."""


class TokenPurpose:
    """One purpose: `make(payload)` signs, `read(token)` checks and returns the payload.

    `validate(payload)` (optional) returns True when the payload has the expected shape; a payload
    that fails it raises TokenInvalid, as a forged token would. `max_age` (a timedelta or seconds)
    makes tokens of this purpose expire.
    """

    def __init__(self, salt, *, max_age=None, validate=None):
        self.salt = salt
        self.max_age = max_age
        self.validate = validate

    def _signer(self):
        if self.max_age is None:
            return signing.Signer(salt=self.salt)
        return signing.TimestampSigner(salt=self.salt)

    def make(self, payload):
        return self._signer().sign_object(payload)

    def read(self, token, max_age=None):
        """The payload, or TokenExpired / TokenInvalid. `max_age` overrides the purpose's own."""
        signer = self._signer()
        try:
            if self.max_age is None:
                payload = signer.unsign_object(token)
            else:
                payload = signer.unsign_object(token, max_age=max_age if max_age is not None else self.max_age)
        except signing.SignatureExpired:
            raise TokenExpired from None
        except (signing.BadSignature, ValueError, UnicodeError, TypeError):
            raise TokenInvalid from None
        if self.validate is not None and not self.validate(payload):
            raise TokenInvalid
        return payload
