import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


@deconstructible
class MemberUsernameValidator(RegexValidator):
    """Letters and digits of any script, plus . - _ ; no spaces, no @ (it is not an e-mail)."""

    regex = r"^[\w.-]+\Z"
    message = _("Use only letters, digits, dots, hyphens and underscores.")
    flags = 0


RESERVED_USERNAMES = {
    "admin", "administrator", "staff", "moderator", "support", "help", "me", "root",
    "system", "deleted", "anonymous", "null", "none", "webmaster", "postmaster",
}


def validate_not_reserved(username):
    name = username.casefold()
    if name in RESERVED_USERNAMES or name.startswith("deleted-"):
        raise ValidationError(_("That username is reserved. Please choose another."), code="reserved")


def validate_username_not_retired(username):
    """A deleted account's username stays retired (ReservedUsername): whoever took it would
    inherit old @mentions and links. Worded like a taken name: nobody learns an account was deleted."""
    from .selectors import username_is_reserved  # the models import this module

    if username_is_reserved(username):
        raise ValidationError(_("That username is taken."), code="unique")


_LEADING_SLASHES = re.compile(r"^[/\\]+")


def as_site_path(path):
    """A request path as a path on this site: browsers read "//evil.example/x" or "/\\evil.example"
    as another host, so leading slashes and backslashes become one slash."""
    return _LEADING_SLASHES.sub("/", path)


def is_site_path(url):
    """Whether `url` is a path on this site: it starts with a single "/" and names no other host
    or scheme (so "//evil.example", "/\\evil.example" and "https://..." are not)."""
    return (
        isinstance(url, str) and url.startswith("/") and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )
