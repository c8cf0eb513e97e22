from django import forms
from django.utils.translation import gettext_lazy as _

from core.email_address import EmailAddressField

from .models import Source
from .services import CONSENT_TEXT, email_normalise


class SubscribeForm(forms.Form):
    email = EmailAddressField(label=_("Your e-mail address"), max_length=254)
    consent = forms.BooleanField(
        label=CONSENT_TEXT, required=True,
        error_messages={"required": _("Please tick the box to say you want the newsletter.")},
    )
    # where the form is shown; an unknown value (a tampered post) counts as the newsletter page
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def __init__(self, *args, source=Source.PAGE, **kwargs):
        kwargs.setdefault("auto_id", f"newsletter-{source}-%s")
        super().__init__(*args, **kwargs)
        self.fields["source"].initial = source
        self.placement = source

    def clean_email(self):
        return email_normalise(self.cleaned_data["email"])

    def clean_source(self):
        source = self.cleaned_data.get("source")
        return source if source in Source.values else Source.PAGE

    def focus_first_error(self):
        """Put the focus on the first field with an error: after htmx swaps the form in, the
        button that sent it is gone, and the visitor (and a screen reader) land on the problem."""
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return
