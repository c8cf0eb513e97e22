"""Forms of the interactions with photo posts: a comment, a moderator's reason for rejecting, the
author's rights choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import RIGHTS_WORDING
from .interactions import SocialError, comment_validate
from .models import COMMENT_MAX
from .moderation import REASON_MAX


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX, strip=False,
        help_text=_("Plain text, up to %(max)d characters. @username tells a member; #hashtags link.") % {"max": COMMENT_MAX},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
        error_messages={"required": _("Write something first."),
                        "max_length": _("A comment can be at most %(limit_value)d characters long (it has %(show_value)d).")},
    )

    def clean_body(self):
        try:
            return comment_validate(self.cleaned_data["body"])
        except SocialError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not approved?"), max_length=REASON_MAX,
        help_text=_("The member reads this on their post's page, so say what they could change."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        error_messages={"required": _("Say why, so the member can understand what to change.")},
    )


class RightsForm(forms.Form):
    rights = forms.BooleanField(label=RIGHTS_WORDING, required=False)
