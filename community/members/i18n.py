"""Each member's language: what every e-mail to them, and every page rendered for them off a request,
is written in.

`in_language_of(member)` wraps the rendering of an e-mail (subject, text and HTML) so that a member
who reads the site in Hungarian gets Hungarian mail whichever language the sender was browsing in,
or when a background task sends it with no request at all.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def member_language(member):
    """The member's language code, or the site's default when they have none (or one no longer offered)."""
    code = getattr(member, "language", "") or ""
    if code and code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


@contextmanager
def in_language_of(member):
    with translation.override(member_language(member)):
        yield
