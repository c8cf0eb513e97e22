from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import orders_attach_to_member


@receiver(email_confirmed)
def attach_past_orders(sender, request, email_address, **kwargs):
    orders_attach_to_member(email_address.user, email_address.email)
