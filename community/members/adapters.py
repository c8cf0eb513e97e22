from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .selectors import username_is_reserved
from .validators import validate_not_reserved


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        validate_not_reserved(username)
        if username_is_reserved(username):
            # The same words as a taken name: whether an account was deleted is nobody's business.
            raise ValidationError(_("That username is taken."), code="taken")
        return username
