"""What reviews do when the shop or allauth says something happened: recompute verified-buyer
badges. The shop sends its signals after its transaction commits; a failure here is logged and
never fails the shop's delivery (`reviews_recount --verify` catches up)."""

import logging

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shop import signals as shop_signals

from . import services

logger = logging.getLogger(__name__)


def _robust(handler, arg):
    try:
        handler(arg)
    except Exception:
        logger.exception("reviews: recomputing verified buyers for %r failed", arg)


@receiver(shop_signals.order_paid)
def order_paid(sender, order, **kwargs):
    _robust(services.reviews_verify_for_order, order)


@receiver(shop_signals.order_refunded)
def order_refunded(sender, order, **kwargs):
    _robust(services.reviews_verify_for_order, order)


@receiver(shop_signals.order_cancelled)
def order_cancelled(sender, order, **kwargs):
    _robust(services.reviews_verify_for_order, order)


def _member_changed(member_id):
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.filter(pk=member_id).first()
    if member is not None:
        _robust(services.reviews_verify_for_member, member)


@receiver(email_confirmed)
def address_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None:
        member_id = email_address.user_id
        transaction.on_commit(lambda: _member_changed(member_id), robust=True)


@receiver(post_save, sender=EmailAddress)
@receiver(post_delete, sender=EmailAddress)
def address_saved(sender, instance, **kwargs):
    """An address verified (or unverified, or removed) outside the confirmation flow: an editor,
    the demo loader. Only members who have reviews are looked at."""
    from .models import Review

    member_id = instance.user_id

    def recheck():
        if Review.objects.filter(author_id=member_id).exists():
            _member_changed(member_id)

    transaction.on_commit(recheck, robust=True)
