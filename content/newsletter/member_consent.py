"""The newsletter keeps the one record of a member's marketing consent (community.members.consent):
the subscriptions of the addresses the member verified. Registered in NewsletterConfig.ready()."""

from allauth.account.models import EmailAddress
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower

from community.members.consent import ConsentState, MarketingConsent

from .models import Source, Subscriber
from .services import CONSENT_TEXT, subscriber_sign_up_verified, subscriber_unsubscribe, subscribers_language_set

WITHDRAWN_SOURCE = "profile"


def _verified(member):
    return EmailAddress.objects.filter(user=member, verified=True)


def _subscriptions(member):
    """The member's subscriptions still in force or waiting for confirmation, confirmed first and
    the primary address's first among them (one query)."""
    addresses = _verified(member).annotate(address=Lower("email")).values("address")
    primary = _verified(member).filter(primary=True).annotate(address=Lower("email")).values("address")
    return list(
        Subscriber.objects.filter(email__in=addresses).exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .annotate(
            confirmed_first=Case(When(status=Subscriber.Status.CONFIRMED, then=Value(0)), default=Value(1),
                                 output_field=IntegerField()),
            primary_first=Case(When(email__in=primary, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("confirmed_first", "primary_first", "confirmed_at", "pk")
    )


def _primary_address(member):
    row = _verified(member).order_by("-primary", "pk").values_list("email", flat=True).first()
    return row or ""


class NewsletterConsent:
    def consent_text(self):
        return str(CONSENT_TEXT)

    def consent_for(self, member):
        subscriptions = _subscriptions(member)
        if not subscriptions:
            return MarketingConsent(ConsentState.NONE)
        first = subscriptions[0]
        if first.status == Subscriber.Status.CONFIRMED:
            return MarketingConsent(ConsentState.GIVEN, since=first.confirmed_at, address=first.email)
        return MarketingConsent(ConsentState.PENDING, address=first.email)

    def consent_give(self, member, *, language, consent_text):
        current = self.consent_for(member)
        if current.given:
            return current
        address = current.address or _primary_address(member)
        if not address:  # no verified address: nothing to send to, nothing recorded
            return current
        subscriber_sign_up_verified(address, language=language, source=Source.DASHBOARD, consent_text=consent_text)
        return self.consent_for(member)

    def consent_language_set(self, member, language):
        """Every subscription of an address the member verified (whatever its state: signing up
        again asks for the language anew), one UPDATE."""
        return subscribers_language_set(_verified(member).annotate(address=Lower("email")).values("address"), language)

    def consent_withdraw(self, member):
        for subscriber in _subscriptions(member):
            subscriber_unsubscribe(subscriber, source=WITHDRAWN_SOURCE)
        return MarketingConsent(ConsentState.NONE)

    def consent_given_among(self, member_ids):
        confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).values("email")
        return set(EmailAddress.objects.filter(user_id__in=member_ids, verified=True)
                   .annotate(address=Lower("email")).filter(address__in=confirmed).values_list("user_id", flat=True))
