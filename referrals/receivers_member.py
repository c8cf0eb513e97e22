"""What referrals does for members when other apps' events happen (the sign-up side and sharing):
keep the names "Been referred by a friend?" matches up to date, and thank a member for their first
paid order with their own link. Connected from ReferralsConfig.ready()."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from shop.signals import order_paid

from .names import referrer_name_refresh
from .thank_you import thank_you_schedule

# A save that touches none of these (the last_login stamp of every sign-in) changes no name key.
NAME_FIELDS = {"display_name", "username", "is_active", "deleted_at"}


def member_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures
        return
    if update_fields is not None and not NAME_FIELDS & set(update_fields):
        return
    referrer_name_refresh(instance)


def order_was_paid(sender, order, **kwargs):
    thank_you_schedule(order)


def connect():
    post_save.connect(member_saved, sender=get_user_model(), dispatch_uid="referrals.member_name_keys")
    order_paid.connect(order_was_paid, dispatch_uid="referrals.thank_you_first_order")
