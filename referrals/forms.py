"""The sign-up form with "Been referred by a friend?", and the form for choosing a vanity code.

A friend who arrives without a link (another device, a code read out, a name mentioned over
coffee) can still be attributed at sign-up, in one of two ways:
- the referrer's code, typed: resolved with codes.code_lookup;
- the referrer's name: selectors.referrer_find. If several members share the name, the form asks
  for the referrer's e-mail address to pick the right one.
The form never says who matched or how many: only "we found them", "please add their e-mail
address" or "nobody by that name: check it, or send the form again to join without"; and once an
e-mail address is given, nothing at all (whether an address is a member's is never shown; the
referral is made on joining if it matched). Every name
lookup counts against REFERRAL_NAME_LOOKUPS_PER_HOUR for the visitor's (hashed) IP address, so the
form cannot be used to find out who is a member. On save, the referrer's code is handed to the
engine as `request.referral_typed = (ReferralCode, "typed" | "name")` (see the user_signed_up
receiver), which then wins over a link's cookie.
"""

from allauth.core import context as allauth_context
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.members.forms import SignupForm as MembersSignupForm
from core.email_address import EmailAddressField
from core.ratelimit import window_hit

from . import tracking
from .app_settings import app_settings
from .codes import code_for, code_lookup
from .models import VANITY_MAX, Referral
from .selectors import NameMatch, referrer_find

REFERRAL_FIELDS = ("referral_code", "referrer_name", "referrer_email", "referrer_name_seen")
TYPED = Referral.Via.TYPED
BY_NAME = Referral.Via.NAME


def _name_lookup_allowed(request):
    """Count one name lookup for the visitor's address; False once over the hourly limit."""
    ip = tracking.ip_hash(request) if request is not None else ""
    return window_hit(f"referrals:rl:name:{ip or 'unknown'}", app_settings.NAME_LOOKUPS_PER_HOUR, 3600)


class SignupForm(MembersSignupForm):
    referral_code = forms.CharField(
        label=_("A friend's referral code"), required=False, max_length=64,
        help_text=_("Optional. If a friend gave you a code, type it here."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    referrer_name = forms.CharField(
        label=_("Been referred by a friend? Their name"), required=False, max_length=120,
        help_text=_("Optional. The name your friend uses here, in any alphabet; accents and capitals do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    referrer_email = EmailAddressField(
        label=_("Your friend's e-mail address"), required=False,
        help_text=_("Only needed if several members share that name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The name the form already reported as not found: sending it again unchanged means "join
    # without a referral". Nothing secret: at worst it skips a warning.
    referrer_name_seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        # "Been referred by a friend?" comes after everything the account needs
        for name in REFERRAL_FIELDS:
            self.fields[name] = self.fields.pop(name)
        self.referral = None  # (ReferralCode or the referrer, via) once clean() resolved one

    def _request(self):
        return self.request if self.request is not None else allauth_context.request

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("referral_code") or "").strip()
        name = " ".join((cleaned.get("referrer_name") or "").split())
        email = cleaned.get("referrer_email") or ""
        if typed:
            code = code_lookup(typed)
            if code is None:
                self.add_error("referral_code", ValidationError(
                    _("We do not know this code. Please check it, or leave the field empty."), code="unknown"))
            else:
                self.referral = (code, TYPED)
                self.fields["referral_code"].help_text = _("Thank you: we found your friend.")
            return cleaned
        if not name:
            return cleaned
        if not _name_lookup_allowed(self._request()):
            self.add_error("referrer_name", ValidationError(
                _("Too many names were tried from your connection in the last hour. Please try again later, "
                  "or leave the field empty to join now."), code="rate_limited"))
            return cleaned
        match = referrer_find(name, email)
        if email and match.status in (NameMatch.FOUND, NameMatch.EMAIL_MISMATCH):
            # Whether an address belongs to a member is never shown (else the form would test
            # addresses for anyone): the referral is made on joining if it matched, and the
            # message after joining is the only answer, at the price of an account.
            if match.status == NameMatch.FOUND:
                self.referral = (match.member, BY_NAME)
        elif match.status == NameMatch.FOUND:
            self.referral = (match.member, BY_NAME)  # the code is made (if need be) only on save
            self.fields["referrer_name"].help_text = _("Thank you: we found your friend.")
        elif match.status == NameMatch.SEVERAL:
            self.add_error("referrer_email", ValidationError(
                _("More than one member has this name. Please add your friend's e-mail address so we find "
                  "the right one, or leave both fields empty."), code="several"))
        elif self._seen(name):  # reported as not found before, sent again: join without a referral
            pass
        else:
            self._not_found("referrer_name", name, _(
                "We found no member by that name. Please check the spelling, or send the form again to join "
                "without a referral."))
        return cleaned

    def _seen(self, name):
        return " ".join((self.cleaned_data.get("referrer_name_seen") or "").split()) == name

    def _not_found(self, field, name, message):
        self.add_error(field, ValidationError(message, code="not_found"))
        data = self.data.copy()
        data[self.add_prefix("referrer_name_seen")] = name
        self.data = data  # the re-rendered form carries it

    def referral_code_resolved(self):
        """The referrer's ReferralCode and how it was given, or None."""
        if self.referral is None:
            return None
        referrer, via = self.referral
        return (referrer if via == TYPED else code_for(referrer)), via

    def save(self, request):
        resolved = self.referral_code_resolved()
        if resolved is not None:
            request.referral_typed = resolved
        user = super().save(request)
        if resolved is not None:
            messages.success(request, _("Thank you: we found the friend who invited you."))
        return user


class VanityForm(forms.Form):
    """A code of the member's own choosing beside their random one (codes.vanity_check's rules);
    empty to go back to the random code."""

    vanity = forms.CharField(
        label=_("Your own code"), required=False, max_length=VANITY_MAX + 8,
        help_text=_("4 to 24 letters, digits or hyphens, in any alphabet. Leave empty to use the code "
                    "we gave you. Links you already shared keep working."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
