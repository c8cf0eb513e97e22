"""The admin's form to give a member a manual badge: saved through badge_award (unique, announced)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Badge, BadgeAward
from .rules import Rule


class BadgeAwardForm(WagtailAdminModelForm):
    class Meta:
        model = BadgeAward
        fields = ["badge", "member", "note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.fields["badge"].queryset = Badge.objects.filter(rule=Rule.MANUAL, active=True)
        self.fields["badge"].help_text = _("Manual badges only: the site awards the rule badges.")

    def clean(self):
        data = super().clean()
        badge, member = data.get("badge"), data.get("member")
        if self.instance.pk is None and badge and member:
            if BadgeAward.objects.filter(badge=badge, member=member).exists():
                raise ValidationError(_("This member already has this badge."))
            if not member.is_active or member.deleted_at is not None:
                raise ValidationError(_("This account is closed."))
        return data

    def save(self, commit=True):
        from .services import badge_award

        if self.instance.pk is not None:
            return super().save(commit=commit)
        data = self.cleaned_data
        award = badge_award(data["badge"], data["member"], by=self.for_user, note=data.get("note", ""))
        if award is None:  # given a moment ago by someone else
            award = BadgeAward.objects.get(badge=data["badge"], member=data["member"])
        self.instance = award
        return award
