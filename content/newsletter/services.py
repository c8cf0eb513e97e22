"""Writes for the newsletter: sign-up with double opt-in, confirmation, unsubscribe, and the one
way marketing e-mail leaves the site.

Every change of consent adds a ConsentEvent in the same transaction as the change. IP addresses
are never stored: an event keeps an HMAC-SHA256 of the address keyed with the site's secret
(ip_hash), enough to match a later claim against it, not to recover the address.
"""

import email.utils
import enum
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.absolute import absolute_url, email_subject, site_name
from core.email_address import email_normalise_unicode

from .app_settings import app_settings
from .models import ConsentEvent, Subscriber
from .tokens import CONFIRM_MAX_AGE, confirm_token_make, unsubscribe_token_make

CONSENT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "Yes, send me the newsletter: news, stories and offers by e-mail, about once a month. "
    "I can unsubscribe at any time with the link in every e-mail."
)


class SignUp(enum.Enum):
    """What a sign-up did. The visitor is told the same thing in every case."""

    CREATED = "created"
    RESENT = "resent"
    RESUBSCRIBED = "resubscribed"
    ALREADY_CONFIRMED = "already_confirmed"


def email_normalise(address):
    """Trimmed, lower-cased and in Unicode NFC (an address in any script has one spelling)."""
    return email_normalise_unicode(address).lower()


def ip_hash(ip_address):
    if not ip_address:
        return ""
    return salted_hmac("newsletter.ip", ip_address, algorithm="sha256").hexdigest()


def _new_nonce():
    return secrets.token_hex(16)


def _event(subscriber, kind, source, *, at, ip_address=None, cycle=None, consent=False):
    return ConsentEvent.objects.create(
        subscriber=subscriber, event=kind, at=at, source=source,
        language=subscriber.language,
        consent_version=subscriber.consent_version if consent else "",
        consent_text=subscriber.consent_text if consent else "",
        ip_hash=ip_hash(ip_address), cycle=cycle or subscriber.token_nonce,
    )


def subscriber_sign_up(address, *, language, source, consent_text=None, consent_version=CONSENT_VERSION, ip_address=None):
    """Record a sign-up and send the e-mail that goes with it; returns (subscriber, SignUp).

    A new or pending address gets a confirmation link; an unsubscribed one signs up again and gets
    a link; a confirmed one gets an e-mail saying it is already subscribed, and nothing changes.
    The caller rate-limits; this function trusts that it may send.
    """
    address = email_normalise(address)
    consent_text = str(consent_text if consent_text is not None else CONSENT_TEXT)
    now = timezone.now()
    consent = {"language": language, "consent_text": consent_text, "consent_version": consent_version,
               "consent_at": now, "consent_source": source}
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=address, defaults={**consent, "token_nonce": _new_nonce()},
        )
        if created:
            outcome = SignUp.CREATED
            _event(subscriber, ConsentEvent.Kind.SIGNED_UP, source, at=now, ip_address=ip_address, consent=True)
        elif subscriber.status == Subscriber.Status.CONFIRMED:
            outcome = SignUp.ALREADY_CONFIRMED
        else:
            outcome = SignUp.RESENT if subscriber.status == Subscriber.Status.PENDING else SignUp.RESUBSCRIBED
            for field, value in consent.items():
                setattr(subscriber, field, value)
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=[*consent, "status"])
            kind = ConsentEvent.Kind.SIGNED_UP if outcome is SignUp.RESENT else ConsentEvent.Kind.RESUBSCRIBED
            _event(subscriber, kind, source, at=now, ip_address=ip_address, consent=True)
    if outcome is SignUp.ALREADY_CONFIRMED:
        _send_already_subscribed(subscriber, language)
    else:
        _send_confirmation(subscriber)
    return subscriber, outcome


def subscriber_sign_up_verified(address, *, language, source, consent_text=None, consent_version=CONSENT_VERSION,
                                ip_address=None):
    """Record consent for an address its owner has already proved is theirs (a member's verified
    e-mail, ticking the box in their profile): the sign-up and its confirmation are recorded at
    once, and no confirmation e-mail is needed. Returns (subscriber, changed): an address that is
    already confirmed keeps its consent and date, and nothing is written."""
    address = email_normalise(address)
    consent_text = str(consent_text if consent_text is not None else CONSENT_TEXT)
    now = timezone.now()
    consent = {"language": language, "consent_text": consent_text, "consent_version": consent_version,
               "consent_at": now, "consent_source": source}
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=address, defaults={**consent, "token_nonce": _new_nonce()},
        )
        if not created and subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber, False
        if created or subscriber.status == Subscriber.Status.PENDING:
            kind = ConsentEvent.Kind.SIGNED_UP
        else:
            kind = ConsentEvent.Kind.RESUBSCRIBED
        for field, value in consent.items():
            setattr(subscriber, field, value)
        _event(subscriber, kind, source, at=now, ip_address=ip_address, consent=True)
        _event(subscriber, ConsentEvent.Kind.CONFIRMED, "verified-address", at=now, ip_address=ip_address)
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.token_nonce = _new_nonce()  # a confirmation link still in an inbox is used up
        subscriber.save()
    return subscriber, True


def subscribers_language_set(addresses, language):
    """The newsletter to these addresses (normalised, or a subquery of them) is written in `language`
    from now on. Not a change of consent: no consent event. Returns how many subscriptions changed."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    return Subscriber.objects.filter(email__in=addresses).exclude(language=language).update(language=language)


def subscriber_confirm(subscriber, *, nonce, ip_address=None):
    """Confirm a pending sign-up whose link carried `nonce`. Returns True if this call confirmed
    it, False if the link was already used or replaced (a second click, a race, an unsubscribe)."""
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
            if subscriber.status != Subscriber.Status.PENDING or subscriber.token_nonce != nonce:
                return False
            now = timezone.now()
            _event(subscriber, ConsentEvent.Kind.CONFIRMED, "email-link", at=now, ip_address=ip_address, cycle=nonce)
            subscriber.status = Subscriber.Status.CONFIRMED
            subscriber.confirmed_at = now
            subscriber.unsubscribed_at = None
            subscriber.token_nonce = _new_nonce()
            subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "token_nonce"])
    except IntegrityError:  # the same link confirmed at the same moment elsewhere
        return False
    return True


def subscriber_unsubscribe(subscriber, *, source, ip_address=None):
    """Stop all marketing e-mail to the address. Unsubscribing again changes nothing."""
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
            if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
                return subscriber
            now = timezone.now()
            _event(subscriber, ConsentEvent.Kind.UNSUBSCRIBED, source, at=now, ip_address=ip_address)
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = now
            subscriber.token_nonce = _new_nonce()
            subscriber.save(update_fields=["status", "unsubscribed_at", "token_nonce"])
    except IntegrityError:  # two unsubscribe requests at once: the other one wrote it
        pass
    return Subscriber.objects.get(pk=subscriber.pk)


def _unsubscribe_mailto():
    address = app_settings.UNSUBSCRIBE_EMAIL or email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"mailto:{address}?subject=unsubscribe"


def unsubscribe_url(subscriber):
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        return absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token_make(subscriber)]))


def marketing_email_send(subscriber, subject, text, html=None):
    """Send one marketing e-mail to a confirmed subscriber, with RFC 8058 one-click unsubscribe
    headers and an unsubscribe line in the body. Returns 1 if sent, 0 if the address is not
    (or no longer) confirmed. Every marketing e-mail must leave through here."""
    if subscriber.status != Subscriber.Status.CONFIRMED:
        return 0
    url = unsubscribe_url(subscriber)
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        footer = render_to_string("newsletter/email/unsubscribe_footer.txt", {"unsubscribe_url": url})
    message = EmailMultiAlternatives(
        subject=str(subject), body=f"{text.rstrip()}\n\n{footer}", to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{url}>, <{_unsubscribe_mailto()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def _send(subscriber, template, context, language=None):
    with translation.override(language or subscriber.language or settings.LANGUAGE_CODE):
        context = {"site_name": site_name(), "site_url": absolute_url("/"), "subscriber": subscriber, **context}
        subject = render_to_string(f"newsletter/email/{template}_subject.txt", context)
        body = render_to_string(f"newsletter/email/{template}_message.txt", context)
    EmailMultiAlternatives(subject=email_subject(subject, context["site_name"]), body=body, to=[subscriber.email]).send()


def _send_confirmation(subscriber):
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        url = absolute_url(reverse("newsletter:confirm", args=[confirm_token_make(subscriber)]))
    _send(subscriber, "confirm", {"confirm_url": url, "days": CONFIRM_MAX_AGE.days})


def _send_already_subscribed(subscriber, language):
    with translation.override(language or subscriber.language or settings.LANGUAGE_CODE):
        url = absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token_make(subscriber)]))
    _send(subscriber, "already_subscribed", {"unsubscribe_url": url}, language=language)


ERASED_DOMAIN = "erased.invalid"


def erased_address(address):
    """What an erased subscriber's address becomes: a keyed hash of it at a domain that can never
    receive mail. The consent record stays provable (the same address gives the same hash, as
    with ip_hash) without the address being kept."""
    digest = salted_hmac("newsletter.erased-address", email_normalise(address), algorithm="sha256").hexdigest()
    return f"erased-{digest[:40]}@{ERASED_DOMAIN}"


def subscriber_erase(subscriber, *, source="account-deleted"):
    """Stop all marketing e-mail to a subscriber and erase the address (a member deleted their
    account). The row and its consent events stay, as the legal record of what was consented to
    and when; the unsubscribe is one more event."""
    subscriber = subscriber_unsubscribe(subscriber, source=source)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if not subscriber.email.endswith(f"@{ERASED_DOMAIN}"):
            subscriber.email = erased_address(subscriber.email)
            subscriber.token_nonce = _new_nonce()
            subscriber.save(update_fields=["email", "token_nonce"])
    return subscriber
