"""Social log-in (Google, Apple, Facebook through allauth's social accounts), set up by editors.

A provider is off until an editor enters its keys under Settings > Social log-in: each entry is
one of allauth's SocialApp rows. The form names each key the way the provider's console does, and
keeps Apple's private key in the row's settings, where allauth's Apple provider reads it.
"""

from allauth.socialaccount.models import SocialAccount, SocialApp
from django import forms
from django.utils.translation import gettext_lazy as _

# The providers the site offers, in the order their buttons show.
PROVIDERS = (
    ("google", "Google"),
    ("apple", "Apple"),
    ("facebook", "Facebook"),
)


class SocialAppForm(forms.ModelForm):
    provider = forms.ChoiceField(label=_("Provider"), choices=PROVIDERS)
    certificate_key = forms.CharField(
        label=_("Apple private key"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apple only: the contents of the .p8 key file, from -----BEGIN PRIVATE KEY----- on."),
    )

    class Meta:
        model = SocialApp
        fields = ["provider", "name", "client_id", "secret", "key"]
        labels = {
            "name": _("Name on the button"),
            "client_id": _("Client ID (Apple: Services ID; Facebook: App ID)"),
            "secret": _("Client secret (Apple: Key ID; Facebook: App secret)"),
            "key": _("Apple: Team ID (leave empty for Google and Facebook)"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)  # Wagtail's generic views pass the editor
        super().__init__(*args, **kwargs)
        self.fields["secret"].required = False
        if self.instance.pk:
            self.fields["certificate_key"].initial = (self.instance.settings or {}).get("certificate_key", "")

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if provider == "apple":
            for field in ("secret", "key", "certificate_key"):
                if not data.get(field):
                    self.add_error(field, _("Apple needs this to sign members in."))
        elif provider and not data.get("secret"):
            self.add_error("secret", _("This provider needs its client secret."))
        return data

    def save(self, commit=True):
        app = super().save(commit=False)
        app.provider_id = ""
        settings = dict(app.settings or {})
        if app.provider == "apple":
            settings["certificate_key"] = self.cleaned_data["certificate_key"].strip()
        else:
            settings.pop("certificate_key", None)
        app.settings = settings
        if commit:
            app.save()
        return app


def social_logins_export(member):
    """The member's linked social log-ins for their data export: provider, the provider's id for
    them, what the provider sent (`extra_data`), when linked and last used."""
    return [
        {
            "provider": account.provider,
            "uid": account.uid,
            "extra_data": account.extra_data,
            "date_joined": account.date_joined.isoformat() if account.date_joined else None,
            "last_login": account.last_login.isoformat() if account.last_login else None,
        }
        for account in SocialAccount.objects.filter(user=member).order_by("provider", "pk")
    ]


def social_logins_delete(member):
    """Unlink every social log-in of the member (their tokens go with them)."""
    SocialAccount.objects.filter(user=member).delete()
