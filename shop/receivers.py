from allauth.account.models import EmailAddress
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import orders_attach_to_member


@receiver(post_save, sender=EmailAddress)
def attach_past_orders(sender, instance, **kwargs):
    """However an address becomes verified (the member's link, an editor in the admin, the demo
    loader), the orders placed with it attach to its member."""
    if instance.verified:
        orders_attach_to_member(instance.user, instance.email)
