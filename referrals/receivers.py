"""What referrals does when allauth or the shop says something happened. Thin: read the request
here (services take none), then call referrals.services.

- allauth `user_signed_up` (password and social sign-up alike): attribute the new member. A code
  typed (or a referrer's name given) in the sign-up form wins: referrals.forms sets
  `request.referral_typed = (ReferralCode, "typed" | "name")`. Otherwise the attribution cookie of
  a click, if valid and younger than ReferralProgramme.cookie_days. A failure here is logged and
  never breaks the sign-up.
- allauth `user_logged_in`: a sighting (keyed hashes of network and browser) for the fraud rules.
- allauth `email_confirmed`, and any save of a verified EmailAddress (an editor or the demo
  loader verifies addresses without the signal): attach the orders placed with it and check
  qualification.
- shop `order_paid`: qualification; `order_refunded`, `order_cancelled`: void what no longer holds.
The shop sends its signals after its transaction commits; each handler here runs in its own.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop import signals as shop_signals

from . import services, tracking
from .codes import code_lookup
from .models import Referral, ReferralCode

logger = logging.getLogger(__name__)


def signup_source(request):
    """(ReferralCode, via, click token, channel) for a sign-up request, or None."""
    typed = getattr(request, "referral_typed", None)
    if typed:
        code, via = typed
        if isinstance(code, ReferralCode) and via in (Referral.Via.TYPED, Referral.Via.NAME):
            return code, via, None, ""
    days = services.programme().cookie_days
    cookie = tracking.attribution_read(request, days)
    if cookie:
        text, token = cookie
        code = code_lookup(text)
        if code is not None:
            return code, Referral.Via.LINK, token, tracking.attribution_channel(request, days)
    return None


@receiver(user_signed_up)
def attribute_signup(sender, request=None, user=None, **kwargs):
    if request is None or user is None:
        return
    try:
        with transaction.atomic():
            source = signup_source(request)
            if source is None:
                return
            code, via, token, channel = source
            services.referral_attach(user, code=code, via=via, click_token=token, channel=channel,
                                     ip_hash=tracking.ip_hash(request), device_hash=tracking.device_hash(request))
    except Exception:  # a referral is never worth a failed sign-up
        logger.exception("referral attribution failed for member %s", user.pk)


@receiver(user_logged_in)
def record_sighting(sender, request=None, user=None, **kwargs):
    if request is None or user is None:
        return
    try:
        with transaction.atomic():
            services.sighting_record(user, ip_hash=tracking.ip_hash(request), device_hash=tracking.device_hash(request))
    except Exception:
        logger.exception("referral sighting failed for member %s", user.pk)


def _address_verified(address):
    member, email = address.user, address.email
    transaction.on_commit(lambda: services.member_address_verified(member, email), robust=True)


@receiver(email_confirmed)
def address_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None and email_address.verified:
        _address_verified(email_address)


@receiver(post_save, sender=EmailAddress)
def address_saved(sender, instance, **kwargs):
    if instance.verified:
        _address_verified(instance)


def _robust(handler, order):
    # The shop sends its signals after committing: a failure here must not fail the shop's
    # delivery. It is logged, and `manage.py referral_rewards_approve` catches up (qualification
    # sweep; approval re-checks the order).
    try:
        handler(order)
    except Exception:
        logger.exception("referrals: handling order %s failed", order.pk)


@receiver(shop_signals.order_paid)
def order_paid(sender, order, **kwargs):
    _robust(services.order_paid_handle, order)


@receiver(shop_signals.order_refunded)
def order_refunded(sender, order, **kwargs):
    _robust(services.order_changed_handle, order)


@receiver(shop_signals.order_cancelled)
def order_cancelled(sender, order, **kwargs):
    _robust(services.order_changed_handle, order)
