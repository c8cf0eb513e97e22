from django import forms
from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Reason
from .selectors import suspension_current


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with it?"), choices=Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(label=_("Anything moderators should know (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


AGES = {"1d": 1, "7d": 7, "30d": 30}


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", _("Any reason")), *Reason.choices])
    age = forms.ChoiceField(label=_("Age"), required=False, choices=[
        ("", _("Any age")), ("1d", _("Older than a day")), ("7d", _("Older than a week")),
        ("30d", _("Older than a month"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind"))] + [(k.code, k.label) for k in registry.kinds()]


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ([("", _("Every kind"))] + [(k.code, k.label) for k in registry.kinds()]
                                       + [("member", _("Members (suspensions)"))])
        self.fields["action"].choices = [("", _("Every action")), *registry.action_choices()]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False, strip=True)


class SuspendForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("The member's username, as in their profile address /members/<username>/."))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7,
                              help_text=_("From 1 to 365. The member can read but not write anywhere until it ends."))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For the moderation log and other moderators."))

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lstrip("@").lower()
        member = get_user_model().objects.filter(username=username).first()
        if member is None or member.deleted_at:
            raise forms.ValidationError(_("No member has the username “%(username)s”."), code="unknown",
                                        params={"username": username})
        if self.actor is not None and member.pk == self.actor.pk:
            raise forms.ValidationError(_("You cannot suspend yourself."), code="self")
        current = suspension_current(member)
        if current is not None:
            raise forms.ValidationError(
                _("%(username)s is already suspended until %(until)s. Lift that suspension first to set another."),
                code="suspended",
                params={"username": username, "until": formats.date_format(timezone.localtime(current.until), "DATETIME_FORMAT")},
            )
        self.member = member
        return username
