from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "content.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community.members.consent import marketing_consent_record_register

        from . import receivers  # noqa: F401  (connects the member_data_requested / member_deleting receivers)
        from .member_consent import NewsletterConsent

        # The newsletter's subscriptions are the one record of a member's marketing consent.
        marketing_consent_record_register(NewsletterConsent())
        # Staff insights show confirmations and unsubscriptions a month (content sits above insights).
        from insights.sources import register_series

        from .insights import confirmed_per_period, unsubscribed_per_period

        register_series("newsletter_confirmed", _("newsletter confirmations"), confirmed_per_period, order=10)
        register_series("newsletter_unsubscribed", _("newsletter unsubscriptions"), unsubscribed_per_period, order=20)
