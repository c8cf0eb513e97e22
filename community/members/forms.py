import datetime

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.email_address import email_field_accept_unicode
from core.images import IMAGE_ACCEPT, image_process, image_use
from core.ratelimit import window_hit

from .app_settings import app_settings
from .consent import ConsentState, marketing_consent_for, marketing_consent_record
from .models import User
from .notification_kinds import notification_kind_get, notification_kind_groups, notification_kinds_marketing
from .notifications import notification_email_off


class ProfileForm(forms.ModelForm):
    avatar_upload = forms.FileField(
        label=_("New avatar"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)
    # The newsletter's consent (community.members.consent): its wording is the label.
    marketing_consent = forms.BooleanField(required=False)

    class Meta:
        model = User
        fields = ["display_name", "bio", "birthday", "language"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "display_name": _("Shown instead of your username. Optional."),
            "bio": _("Up to 500 characters."),
            "birthday": _("Optional. Only used for a birthday greeting; never shown to others."),
            "language": _("The language of the e-mails we send you, and of the site when you log in."),
        }
        labels = {"language": _("Language")}

    PUBLIC_FIELDS = ("display_name", "bio", "avatar_upload", "remove_avatar")

    def __init__(self, *args, public_locked=False, **kwargs):
        """`public_locked`: what others see (name, bio, avatar) stays as it is, as for a suspended
        member; the private settings can still change (consent can always be withdrawn)."""
        super().__init__(*args, **kwargs)
        if public_locked:
            for name in self.PUBLIC_FIELDS:
                self.fields[name].disabled = True
        self.marketing_consent = marketing_consent_for(self.instance)
        record = marketing_consent_record()
        if record is None:
            del self.fields["marketing_consent"]
        else:
            field = self.fields["marketing_consent"]
            field.label = record.consent_text()
            field.initial = self.marketing_consent.given
            if self.marketing_consent.state is ConsentState.PENDING:
                field.help_text = _("You signed up for the newsletter with %(address)s and have not confirmed it yet: "
                                    "tick the box to subscribe now, no link needed.") % {
                                        "address": self.marketing_consent.address}
            else:
                field.help_text = _("The same as subscribing to the newsletter. You can withdraw it at any time, "
                                    "here or with the link in every newsletter.")
        # Each language in its own name (as in the language switcher); empty: the site's default.
        default_name = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        self.fields["language"].choices = [("", _("The site's default (%(language)s)") % {"language": default_name}),
                                           *settings.LANGUAGES]
        megabytes = f"{image_use('avatar').max_bytes / 1048576:g}"
        self.fields["avatar_upload"].help_text = _("JPEG, PNG, WebP, GIF, AVIF or HEIC, up to %(mb)s MB. "
                                                   "It is cropped to a square.") % {"mb": megabytes}

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_birthday(self):
        birthday = self.cleaned_data.get("birthday")
        if birthday:
            today = timezone.localdate()
            if birthday > today:
                raise forms.ValidationError(_("A birthday cannot be in the future."))
            if birthday < datetime.date(today.year - 120, 1, 1):
                raise forms.ValidationError(_("Please check the year."))
        return birthday

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if not upload:
            return None
        # Counted before anything is decoded: decoding is what an attacker would make us repeat.
        if not window_hit(f"members:rl:avatar:{self.instance.pk}", image_use("avatar").uploads_per_hour, 3600):
            raise forms.ValidationError(_("You have changed your avatar many times in the last hour. "
                                          "Please try again later."), code="rate_limited")
        return image_process(upload, "avatar").content


    def clean(self):
        cleaned = super().clean()
        public_change = (
            {"display_name", "bio"} & set(self.changed_data)
            or cleaned.get("avatar_upload") or cleaned.get("remove_avatar")
        )
        if public_change and not self.errors and not window_hit(
                f"members:rl:profile:{self.instance.pk}", app_settings.PROFILE_EDITS_PER_HOUR, 3600):
            raise forms.ValidationError(_("You have changed your public profile many times in the last hour. "
                                          "Please try again later."), code="rate_limited")
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


# The site's words for allauth's fields: "log in" and "join", "e-mail" (as in the header, the
# e-mails and the rest of the site), not allauth's stock "Sign In", "Signup" and "Remember Me".
ACCOUNT_LABELS = {
    "login": _("E-mail address"),
    "email": _("E-mail address"),
    "password": _("Password"),
    "password2": _("Password again"),
    "remember": _("Keep me logged in"),
}


def _relabel(form):
    """The site's labels; and no placeholders that repeat them (a label is always shown). E-mail
    fields take addresses in any script where the mail system can send to them (core.email_address)."""
    for name, label in ACCOUNT_LABELS.items():
        if name in form.fields:
            form.fields[name].label = label
    for name in ("login", "email", "email2"):
        if isinstance(form.fields.get(name), forms.EmailField):
            email_field_accept_unicode(form.fields[name])
    for name in ("login", "email", "username", "password", "password1", "password2"):
        if name in form.fields:
            form.fields[name].widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    """allauth's log-in form in the site's words. The "Forgot your password?" link leaves the
    password field's help text (where it sat between the label and the field) for the template,
    which puts it under the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self)
        if "password" in self.fields:
            self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label_suffix = ""  # a checkbox's label follows it: no colon


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form in the site's words, with its honeypot made valid and invisible to
    people: a label, a real autocomplete token, out of the tab order and hidden from assistive
    technology."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self)
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if honeypot is not None:
            honeypot.label = _("Leave this field empty")
            honeypot.widget.attrs = {"autocomplete": "off", "tabindex": "-1"}
            honeypot.template_name = "members/honeypot_field.html"
        if notification_kinds_marketing():
            # EU soft opt-in: customers may get offers on products like theirs only if they could
            # refuse them when they gave their address, and in every such e-mail.
            self.fields["no_offers"] = forms.BooleanField(
                label=_("Don’t send me offers by e-mail"), required=False, label_suffix="",
                help_text=_("As a customer you may now and then get an e-mail about products like those you bought. "
                            "Tick the box to refuse them. You can change your mind in your e-mail preferences, and "
                            "every such e-mail has a link to stop them."))

    def save(self, request):
        user = super().save(request)
        if self.cleaned_data.get("no_offers"):
            notification_email_off(user, [kind.code for kind in notification_kinds_marketing()])
        return user


class AddEmailForm(AllauthAddEmailForm):
    """allauth's form for changing the e-mail address (on the profile), in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self)


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's "forgot your password" form, in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self)


class NotificationPreferencesForm(forms.Form):
    """Two checkboxes per kind of notification: on the site, and by e-mail."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_only = {code for code in preferences if notification_kind_get(code).email_only}
        for kind, pref in preferences.items():
            if kind not in self.email_only:  # an e-mail-only kind has nothing to show on the site
                self.fields[f"{kind}_in_app"] = forms.BooleanField(label=_("On the site"), required=False,
                                                                  initial=pref.in_app)
            self.fields[f"{kind}_email"] = forms.BooleanField(label=_("By e-mail"), required=False, initial=pref.email)
        self.kinds = list(preferences)

    def groups(self):
        """For the template, the registry's preference groups in order, each (group label, rows), a
        row being (kind label, help text, on-the-site field, by-e-mail field) per kind."""
        shown = set(self.kinds)
        groups = []
        for group in notification_kind_groups():
            rows = [
                (kind.label, kind.help_text, None if kind.code in self.email_only else self[f"{kind.code}_in_app"],
                 self[f"{kind.code}_email"])
                for kind in group.kinds if kind.code in shown
            ]
            if rows:
                groups.append((group.label, rows))
        return groups

    def choices(self):
        """{kind: (in_app, email)} from the cleaned data."""
        return {kind: (kind not in self.email_only and self.cleaned_data[f"{kind}_in_app"], self.cleaned_data[f"{kind}_email"])
                for kind in self.kinds}
