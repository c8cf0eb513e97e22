from contextlib import nullcontext

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import Http404
from django.urls import reverse, translate_url
from django.utils import translation

from core.absolute import absolute_url, email_subject, site_name
from core.email_address import email_normalise_unicode

from .i18n import in_language_of
from .validators import validate_not_reserved


def browsing_language():
    """The language the visitor is reading the site in (the URL's prefix), if the site offers it."""
    code = translation.get_language() or ""
    return code if code in dict(settings.LANGUAGES) else ""


def _recipient(email, context_):
    """The member an allauth e-mail goes to: the context's user, else the account holding the address
    (None for an address with no account: that e-mail is written in the language being browsed)."""
    user = context_.get("user")
    if user is not None and getattr(user, "pk", None):
        return user
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    return address.user if address else None


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new member reads the site and their e-mail in the language they signed up in."""
        user = super().save_user(request, user, form, commit=False)
        if not user.language:
            user.language = browsing_language()
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """After logging in, the site goes on in the member's own language (when they chose one)."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", "")
        if language and language != translation.get_language():
            return translate_url(url, language)
        return url

    def clean_email(self, email):
        """One spelling of an address in any script: Unicode NFC (RFC 6532), so `å` typed as `a` and
        a ring is the address already known."""
        return super().clean_email(email_normalise_unicode(email))

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
        recipient = _recipient(email, context_)
        # In the recipient's language (their own, or the one being browsed when they have none yet
        # or no account), whatever language the request that sends it is in.
        with in_language_of(recipient) if recipient is not None and recipient.language else nullcontext():
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

    def save_user(self, request, sociallogin, form=None):
        sociallogin.user.language = sociallogin.user.language or browsing_language()
        return super().save_user(request, sociallogin, form=form)

    def is_open_for_signup(self, request, sociallogin):
        return get_account_adapter().is_open_for_signup(request)
