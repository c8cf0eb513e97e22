"""Keep insights.facts current with what the shop does, inside each write's transaction: an
order saved or deleted (post_save / post_delete, whoever saves it: the webhook, the CSV import, an
editor), guest orders attached to a member (shop's orders_attached: a bulk update sends no
post_save), and a member deleted (their orders lose their member by a bulk update too)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from shop import signals as shop_signals
from shop.models import Order

from . import facts


def order_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not raw:
        facts.order_saved(instance, created=created, update_fields=update_fields)


def order_deleted(sender, instance, **kwargs):
    facts.order_deleted(instance.pk)


def orders_attached(sender, member, email, **kwargs):
    facts.customers_refresh({facts.customer_key(member.pk, None), facts.customer_key(None, email)})


def member_deleted(sender, instance, **kwargs):
    facts.member_deleted(instance.pk)


def connect():
    post_save.connect(order_saved, sender=Order, dispatch_uid="insights-fact-order-saved")
    post_delete.connect(order_deleted, sender=Order, dispatch_uid="insights-fact-order-deleted")
    shop_signals.orders_attached.connect(orders_attached, dispatch_uid="insights-fact-orders-attached")
    post_delete.connect(member_deleted, sender=get_user_model(), dispatch_uid="insights-fact-member-deleted")
