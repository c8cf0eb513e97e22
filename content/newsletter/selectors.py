"""Reads for the newsletter."""

from .models import Subscriber
from .tokens import TokenExpired, TokenInvalid, confirm_token_read, unsubscribe_token_read


class ConfirmLink:
    """What a confirmation link points at: `state` is "ok", "used", "expired" or "invalid"."""

    def __init__(self, state, subscriber=None):
        self.state = state
        self.subscriber = subscriber


def confirm_link_resolve(token):
    try:
        pk, nonce = confirm_token_read(token)
    except TokenExpired:
        return ConfirmLink("expired")
    except TokenInvalid:
        return ConfirmLink("invalid")
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        return ConfirmLink("invalid")
    if subscriber.token_nonce != nonce or subscriber.status != Subscriber.Status.PENDING:
        return ConfirmLink("used", subscriber)
    return ConfirmLink("ok", subscriber)


def subscriber_from_unsubscribe_token(token):
    """The subscriber an unsubscribe link names, or None for a forged or stale link."""
    try:
        pk = unsubscribe_token_read(token)
    except TokenInvalid:
        return None
    return Subscriber.objects.filter(pk=pk).first()
