from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import Http404
from django.urls import reverse

from core.absolute import absolute_url, email_subject, site_name

from .validators import validate_not_reserved


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        validate_not_reserved(username)
        return username

    def format_email_subject(self, subject):
        """`[Brand] subject`: the brand's name, never the host (allauth's default without sites)."""
        return email_subject(subject, site_name(context.request))

    def send_mail(self, template_prefix, email, context_):
        """allauth's e-mails in the site's own templates (website/templates/account/email/): they
        get the brand's name and the address the visitor used (core.absolute), as their links do."""
        request = context.request
        super().send_mail(template_prefix, email, {
            "site_name": site_name(request),
            "site_url": absolute_url("/", request),
            "security_url": absolute_url(reverse("account_reset_password"), request),
            **context_,
        })

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth's security notices, greeting the member by name."""
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email=email)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social log-in is off for a provider until an editor enters its keys (a SocialApp row, under
    Settings > Social log-in in the admin): until then its button is not shown and its addresses
    answer 404, never a 500."""

    def get_provider(self, request, provider, client_id=None):
        from allauth.socialaccount.models import SocialApp

        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("This way of logging in is not set up.") from None

    def is_open_for_signup(self, request, sociallogin):
        return get_account_adapter().is_open_for_signup(request)
