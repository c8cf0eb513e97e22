"""Redemption listens to the shop: a paid order that carries one of our codes marks it used.
Connected in ReferralsConfig.ready (connect); the shop sends after its transaction commits."""

import logging

from shop import signals as shop_signals

from .perks import shipping_codes_mark_used
from .redemption import codes_mark_used

logger = logging.getLogger(__name__)


def order_paid_mark_codes(sender, order, **kwargs):
    try:
        codes_mark_used(order)
    except Exception:  # never break the shop's signal for the other receivers; logged for staff
        logger.exception("marking discount codes of order %s as used failed", order.pk)
    try:
        shipping_codes_mark_used(order)
    except Exception:
        logger.exception("marking free-shipping codes of order %s as used failed", order.pk)


def options_changed(sender, **kwargs):
    from core.versions import version_bump

    from .redeem_selectors import OPTIONS_VERSION

    version_bump(OPTIONS_VERSION)


def connect():
    from django.db.models.signals import post_delete, post_save

    from ..models import RedemptionOption

    post_save.connect(options_changed, sender=RedemptionOption, dispatch_uid="loyalty_options_saved")
    post_delete.connect(options_changed, sender=RedemptionOption, dispatch_uid="loyalty_options_deleted")
    shop_signals.order_paid.connect(order_paid_mark_codes, dispatch_uid="loyalty_codes_mark_used")
