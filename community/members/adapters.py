from allauth.account.adapter import DefaultAccountAdapter

from .validators import validate_not_reserved


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        validate_not_reserved(username)
        return username
