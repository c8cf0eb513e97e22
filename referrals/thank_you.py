"""The thank-you e-mail after a member's first paid order, carrying their own referral link: the
moment a customer is happiest with the brand is the best moment to ask them to share it.

Sent once per member: the ReferralAskSent row (one per member, its primary key) is written in the
same transaction as the sending, so a replayed or concurrent `order_paid` finds it and sends
nothing, and a failed send leaves no row behind and can be tried again by the next delivery.
It respects the member's choice for the `referral_ask` kind of notification (on by default, off
with one click from the e-mail itself) and goes only to a confirmed address of an active member,
and only while the programme runs.
"""

import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from community.members.i18n import in_language_of
from community.members.notifications import notification_unsubscribe_url
from community.members.selectors import notification_preference_for_member
from core.absolute import absolute_url, base_url_carried, base_url_use, email_subject, site_name
from shop.models import Order

from .codes import code_for, referral_url
from .models import ReferralAskSent, ReferralProgramme
from .notification_kinds_member import REFERRAL_ASK

logger = logging.getLogger(__name__)


def thank_you_schedule(order):
    """For a paid order of a member: queue the thank-you check (the task decides whether it is
    their first paid order and whether to send). A queue that is down is logged, never raised:
    the order's processing must not fail for an e-mail."""
    if order.member_id is None or order.paid_at is None:
        return
    try:
        thank_you_task.enqueue(order.member_id, order.pk, base_url=base_url_carried())
    except Exception:
        logger.exception("could not queue the referral thank-you e-mail", extra={"order_id": order.pk})


@task()
def thank_you_task(member_id, order_id, base_url=""):
    """`base_url`: the address of the request that queued it (core.absolute), for the e-mail's links."""
    with base_url_use(base_url):
        return thank_you_send(member_id, order_id)


def _first_paid(order):
    """Whether `order` is its member's first paid order (the earliest paid_at, ties by id)."""
    earlier = Order.objects.filter(member_id=order.member_id, paid_at__isnull=False).filter(
        Q(paid_at__lt=order.paid_at) | Q(paid_at=order.paid_at, pk__lt=order.pk))
    return not earlier.exists()


def thank_you_send(member_id, order_id):
    """Send the member the thank-you e-mail for `order_id` if it is their first paid order and
    nothing stands against it; returns whether it was sent. Reads everything afresh."""
    member = get_user_model().objects.active().filter(pk=member_id).first()
    if member is None or not member.email:
        return False
    order = Order.objects.filter(pk=order_id, member_id=member_id, paid_at__isnull=False).first()
    if order is None or not _first_paid(order):
        return False
    if ReferralAskSent.objects.filter(member=member).exists():
        return False  # the cheap answer for a replay; the insert below is what guarantees it
    programme = ReferralProgramme.load()
    if not programme.enabled:
        return False
    if not EmailAddress.objects.filter(user=member, email__iexact=member.email, verified=True).exists():
        return False  # only to an address its owner confirmed
    if not notification_preference_for_member(member, REFERRAL_ASK).email:
        return False
    code = code_for(member)
    try:
        with transaction.atomic():
            ReferralAskSent.objects.create(member=member, order=order)
            _message(member, code, programme).send()  # raising undoes the row: a later delivery retries
    except IntegrityError:  # sent already (a concurrent delivery got here first)
        return False
    logger.info("referral thank-you e-mail sent", extra={"member_id": member.pk, "order_id": order.pk})
    return True


def _message(member, code, programme):
    with in_language_of(member):
        unsubscribe = notification_unsubscribe_url(member, REFERRAL_ASK)
        context = {
            "site_name": site_name(),
            "site_url": absolute_url("/"),
            "member": member,
            "link": referral_url(code),
            "programme": programme,
            "referrals_url": absolute_url(reverse("referrals:dashboard")),
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute_url(reverse("members:notification_preferences")),
        }
        subject = render_to_string("referrals/email/thank_you_subject.txt", context)
        text = render_to_string("referrals/email/thank_you_message.txt", context)
        html = render_to_string("referrals/email/thank_you_message.html", context)
    message = EmailMultiAlternatives(
        subject=email_subject(subject, context["site_name"]),
        body=text,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
