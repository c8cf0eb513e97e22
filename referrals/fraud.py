"""Fraud rules, run when a friend signs up through a member. They FLAG, never refuse: a household
or an office shares a network and sometimes a computer, and those are the false positives members
complain about most. A flagged referral gets one FraudFlag per rule that matched, its `review` set
to flagged, and its rewards are made in the flagged state until staff decide
(services.referral_review).

The rules (FraudFlag.Rule):
- SAME_MAILBOX: the friend's address is the referrer's mailbox (referrals.emails: case everywhere,
  dots and +tags only where the provider ignores them). Any of either member's addresses counts.
- SAME_DEVICE / SAME_NETWORK: the friend signed up with a device id or IP address (keyed hashes)
  the referrer was seen with in the last SIGHTING_DAYS days (Sighting rows: sign-ins, sharing), or
  the click that brought the friend came from one of those.
- DISPOSABLE: the friend's address is at a disposable domain (package disposable_email_domains).
- BURST: more than REFERRAL_BURST_SIGNUPS sign-ups on one code within REFERRAL_BURST_MINUTES: the
  sign-ups past the limit are flagged.
The same member as friend and referrer cannot be a Referral at all (a database constraint), so
services.referral_attach refuses that one outright.
"""

import datetime

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from .app_settings import app_settings
from .emails import email_disposable, email_mailbox
from .models import FraudFlag, Referral, Sighting

SIGHTING_DAYS = 90


def _addresses(member):
    addresses = {member.email} if member.email else set()
    addresses |= set(EmailAddress.objects.filter(user=member).values_list("email", flat=True))
    return {a for a in addresses if a}


def _mailbox_rule(referral):
    friend = {email_mailbox(a) for a in _addresses(referral.friend)} - {""}
    referrer = {email_mailbox(a) for a in _addresses(referral.referrer)} - {""}
    shared = friend & referrer
    return sorted(shared)[0] if shared else None


def _seen_rules(referral, ip_hash, device_hash, now):
    since = now - datetime.timedelta(days=SIGHTING_DAYS)
    seen = Sighting.objects.filter(member=referral.referrer_id, at__gte=since)
    devices = {device_hash} if device_hash else set()
    ips = {ip_hash} if ip_hash else set()
    click = referral.click
    if click is not None:  # the click that brought the friend, if it came from the referrer's own place
        devices |= {click.device_hash} - {""}
        ips |= {click.ip_hash} - {""}
    found = []
    if devices and seen.filter(device_hash__in=devices).exists():
        found.append((FraudFlag.Rule.SAME_DEVICE, "the referrer's browser"))
    if ips and seen.filter(ip_hash__in=ips).exists():
        found.append((FraudFlag.Rule.SAME_NETWORK, "the referrer's network"))
    return found


def _burst_rule(referral, now):
    if referral.code_id is None:
        return None
    limit, minutes = app_settings.BURST_SIGNUPS, app_settings.BURST_MINUTES
    since = now - datetime.timedelta(minutes=minutes)
    count = Referral.objects.filter(code=referral.code_id, created_at__gte=since, created_at__lte=now).count()
    if count > limit:
        return f"{count} sign-ups on this code within {minutes} minutes (limit {limit})"
    return None


def referral_rules(referral, *, ip_hash="", device_hash="", now):
    """The rules that match this referral: [(FraudFlag.Rule, detail)]. Reads only."""
    found = []
    mailbox = _mailbox_rule(referral)
    if mailbox:
        found.append((FraudFlag.Rule.SAME_MAILBOX, "same mailbox after normalising"))
    found += _seen_rules(referral, ip_hash, device_hash, now)
    if email_disposable(referral.friend.email):
        found.append((FraudFlag.Rule.DISPOSABLE, f"disposable domain {referral.friend.email.rpartition('@')[2]}"))
    burst = _burst_rule(referral, now)
    if burst:
        found.append((FraudFlag.Rule.BURST, burst))
    return found


def referral_screen(referral, *, ip_hash="", device_hash="", now):
    """Run the rules; record a FraudFlag for each that matched (once per rule) and mark the referral
    flagged. Returns the rules that matched."""
    found = referral_rules(referral, ip_hash=ip_hash, device_hash=device_hash, now=now)
    for rule, detail in found:
        try:
            with transaction.atomic():
                FraudFlag.objects.create(referral=referral, rule=rule, detail=detail[:300], created_at=now)
        except IntegrityError:  # this rule already flagged it
            pass
    if found and referral.review == Referral.Review.CLEAR:
        Referral.objects.filter(pk=referral.pk, review=Referral.Review.CLEAR).update(review=Referral.Review.FLAGGED)
        referral.review = Referral.Review.FLAGGED
    return [rule for rule, _detail in found]
