"""E-mail addresses in any script, where the mail system can deliver to them.

Django's EmailValidator takes an internationalised domain (`bücher.de`, `例え.jp`: it is sent in its
ASCII form, `xn--bcher-kva.de`) but only ASCII before the @. Addresses such as `åsne@example.no` or
`ελένη@example.gr` (RFC 6530-6532, "SMTPUTF8") reach their owner only through mail servers that
announce SMTPUTF8; settings.EMAIL_SMTPUTF8 says whether ours do:

- on (the embedded default, whose e-mail goes to files and the console; and production when the
  relay announces SMTPUTF8, delivered by website.mail.SMTPBackend): such addresses are accepted;
- off: they get a clear message on the form, never a 500.

Addresses are stored in Unicode normalisation form NFC (RFC 6532), so `å` typed as `a` + ring is
the same address as `å`.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

# RFC 5321: at most 64 octets before the @.
LOCAL_PART_MAX_OCTETS = 64
# A dot-atom's ASCII characters (RFC 5322 atext).
ATEXT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
# Beyond ASCII, letters, combining marks and digits of any script (RFC 6531 allows any non-ASCII
# UTF-8; symbols, spaces, invisible format characters such as bidirectional overrides are refused
# so that an address cannot pass for another).
UNICODE_CATEGORIES = ("L", "M", "N")


def smtputf8_enabled():
    return bool(getattr(settings, "EMAIL_SMTPUTF8", False))


def email_normalise_unicode(address):
    """The address as stored and compared: trimmed, NFC."""
    return unicodedata.normalize("NFC", address.strip())


def local_part_is_valid_utf8(local_part):
    """A dot-atom of ASCII atext and letters, marks and digits of any script (RFC 6531's UTF8-non-ascii)."""
    if not local_part or len(local_part.encode("utf-8")) > LOCAL_PART_MAX_OCTETS:
        return False
    for atom in local_part.split("."):
        if not atom:
            return False
        for char in atom:
            if char in ATEXT:
                continue
            if char.isascii() or not unicodedata.category(char).startswith(UNICODE_CATEGORIES):
                return False
    return True


def needs_smtputf8(address):
    """Whether mail to `address` needs a server that speaks SMTPUTF8 (non-ASCII before the @)."""
    local_part = str(address).rpartition("@")[0]
    return not local_part.isascii()


@deconstructible
class EmailAddressValidator(EmailValidator):
    """Django's validator, plus non-ASCII local parts while settings.EMAIL_SMTPUTF8 is on; and a
    domain must have an ASCII form (IDNA) to be sent to."""

    smtputf8_message = _("We cannot send e-mail to addresses with letters other than a to z before the @ yet. "
                         "Please use another address.")

    def __init__(self, *args, any_script=False, **kwargs):
        """`any_script`: take such addresses whatever settings.EMAIL_SMTPUTF8 says (an address that
        names someone, such as an order's, not one a form will send to)."""
        super().__init__(*args, **kwargs)
        self.any_script = any_script

    def __call__(self, value):
        value = email_normalise_unicode(str(value))
        local_part, at, domain = value.rpartition("@")
        if not at or len(value) > 320:  # RFC 3696's longest address, before any work on it
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if domain not in self.domain_allowlist:
            try:  # the domain is sent in its ASCII form: it must have one
                punycode(domain)
            except UnicodeError:
                raise ValidationError(self.message, code=self.code, params={"value": value}) from None
        if local_part.isascii():
            return super().__call__(value)
        if not local_part_is_valid_utf8(local_part) or (
                domain not in self.domain_allowlist and not self.validate_domain_part(domain)):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if not self.any_script and not smtputf8_enabled():
            raise ValidationError(self.smtputf8_message, code="smtputf8", params={"value": value})

    def __eq__(self, other):
        return super().__eq__(other) and self.any_script == getattr(other, "any_script", False)



validate_email_address = EmailAddressValidator()
validate_email_address_any_script = EmailAddressValidator(any_script=True)


def email_field_accept_unicode(field):
    """Make a form's EmailField (Django's or allauth's) take addresses in any script: our validator
    instead of Django's, and a text input with the e-mail keyboard (a browser checks an
    <input type="email"> itself and refuses a non-ASCII local part before the form is sent)."""
    field.validators = [v for v in field.validators if not isinstance(v, EmailValidator)] + [validate_email_address]
    field.widget.input_type = "text"
    field.widget.attrs.update({"inputmode": "email", "autocomplete": field.widget.attrs.get("autocomplete", "email"),
                               "autocapitalize": "none", "spellcheck": "false"})
    return field


class EmailAddressField(forms.EmailField):
    """A form field for an e-mail address in any script (see the module's docstring)."""

    default_validators = [validate_email_address]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        email_field_accept_unicode(self)

    def to_python(self, value):
        value = super().to_python(value)
        return email_normalise_unicode(value) if value else value
