"""Marketing consent given in members' profiles (User.marketing_consent_at) becomes the newsletter
subscription of the member's verified address, the one record of consent from now on: confirmed at
the date the member gave it, with its sign-up and confirmation events. An address already subscribed
keeps its own record. Runs before community.members drops the field."""

import secrets

from django.db import migrations

# The profile's wording at the time (community.members.forms), recorded with the consent.
PROFILE_CONSENT_TEXT = "Send me news and offers by e-mail"
PROFILE_CONSENT_VERSION = "profile-before-2026-11"


def forwards(apps, schema_editor):
    User = apps.get_model("members", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Subscriber = apps.get_model("newsletter", "Subscriber")
    ConsentEvent = apps.get_model("newsletter", "ConsentEvent")
    for member in User.objects.filter(marketing_consent_at__isnull=False, deleted_at__isnull=True).iterator():
        address = (EmailAddress.objects.filter(user=member, verified=True).order_by("-primary", "pk")
                   .values_list("email", flat=True).first())
        if not address:
            continue  # no address the member proved: nothing can be sent, nothing to carry over
        address = address.strip().lower()
        at = member.marketing_consent_at
        subscriber = Subscriber.objects.filter(email=address).first()
        if subscriber is not None and subscriber.status == "confirmed":
            continue
        cycle = secrets.token_hex(16)
        consent = {"language": "en", "consent_version": PROFILE_CONSENT_VERSION, "consent_text": PROFILE_CONSENT_TEXT,
                   "consent_at": at, "consent_source": "dashboard"}
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=address, status="confirmed", confirmed_at=at,
                                                   token_nonce=secrets.token_hex(16), **consent)
            kind = "signed_up"
        else:
            kind = "signed_up" if subscriber.status == "pending" else "resubscribed"
            for field, value in consent.items():
                setattr(subscriber, field, value)
            subscriber.status, subscriber.confirmed_at, subscriber.unsubscribed_at = "confirmed", at, None
            subscriber.token_nonce = secrets.token_hex(16)
            subscriber.save()
        common = {"subscriber": subscriber, "at": at, "language": "en", "cycle": cycle}
        ConsentEvent.objects.create(event=kind, source="dashboard", consent_version=PROFILE_CONSENT_VERSION,
                                    consent_text=PROFILE_CONSENT_TEXT, **common)
        ConsentEvent.objects.create(event="confirmed", source="verified-address", **common)


def backwards(apps, schema_editor):
    """Members whose verified address is subscribed get the profile's date back."""
    User = apps.get_model("members", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Subscriber = apps.get_model("newsletter", "Subscriber")
    confirmed = {s.email: s.confirmed_at for s in Subscriber.objects.filter(status="confirmed")}
    for address in EmailAddress.objects.filter(verified=True).select_related("user"):
        at = confirmed.get(address.email.strip().lower())
        if at and address.user.marketing_consent_at is None:
            User.objects.filter(pk=address.user_id).update(marketing_consent_at=at)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_subscribers_and_consent_events"),
        ("members", "0005_reserved_usernames"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]
    run_before = [
        ("members", "0006_consent_remove_marketing_consent_at"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
