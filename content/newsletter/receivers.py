"""The newsletter's part in a member's data export and account deletion (community.members.signals;
content sits above community, so it listens, and community never calls it).

A subscription belongs to a member when its address is one the member verified. On deletion it is
unsubscribed and its address erased (services.subscriber_erase); its consent events stay."""

from allauth.account.models import EmailAddress
from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting

from .models import Subscriber
from .services import email_normalise, subscriber_erase


def _iso(value):
    return value.isoformat() if value else None


def _subscribers(emails):
    return Subscriber.objects.filter(email__in=[email_normalise(e) for e in emails]).order_by("pk")


@receiver(member_data_requested, dispatch_uid="newsletter_export")
def export_newsletter(sender, member, **kwargs):
    emails = EmailAddress.objects.filter(user=member, verified=True).values_list("email", flat=True)
    return "newsletter", {
        "subscriptions": [
            {
                "email": s.email, "status": s.status, "language": s.language,
                "consent_version": s.consent_version, "consent_text": s.consent_text,
                "consent_at": _iso(s.consent_at), "consent_source": s.consent_source,
                "confirmed_at": _iso(s.confirmed_at), "unsubscribed_at": _iso(s.unsubscribed_at),
                "consent_events": [
                    {"event": e.event, "at": e.at.isoformat(), "source": e.source, "language": e.language,
                     "consent_version": e.consent_version, "consent_text": e.consent_text,
                     "ip_address_hash": e.ip_hash}
                    for e in s.events.all()
                ],
            }
            for s in _subscribers(list(emails)).prefetch_related("events")
        ],
    }


@receiver(member_deleting, dispatch_uid="newsletter_delete")
def forget_member(sender, member, emails=(), **kwargs):
    for subscriber in _subscribers(emails):
        subscriber_erase(subscriber)
