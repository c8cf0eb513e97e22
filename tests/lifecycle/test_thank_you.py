"""The thank-you after a first paid order is referrals' e-mail: lifecycle gives it the editor's
text in the member's language and logs it, and a paid order sends exactly one."""

import pytest
from django.core import mail
from django.utils import timezone

from engagement.lifecycle.kinds import Kind
from engagement.lifecycle.models import EmailText, SendLog
from referrals.codes import code_for, referral_url
from shop.models import Order
from shop.signals import order_paid
from tests.factories import MemberFactory

from .helpers import paid_order

pytestmark = pytest.mark.django_db


def pay(member, django_capture_on_commit_callbacks):
    order = paid_order(member, paid_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        order_paid.send(sender=Order, order=order)
        order_paid.send(sender=Order, order=order)  # a replayed webhook
    return order


def test_the_editors_text_in_the_members_language_once_and_logged(django_capture_on_commit_callbacks):
    member = MemberFactory(language="nb")
    EmailText.objects.create(kind=Kind.THANK_YOU, language="nb", subject="Takk for din første ordre, {name}",
                             body="Hei {name}!\n\nDel lenken din: {referral_link}")
    mail.outbox.clear()
    pay(member, django_capture_on_commit_callbacks)
    thanks = [m for m in mail.outbox if m.to == [member.email]]
    assert len(thanks) == 1
    [message] = thanks
    assert f"Takk for din første ordre, {member.public_name}" in message.subject
    assert referral_url(code_for(member)) in message.body
    assert SendLog.objects.filter(kind=Kind.THANK_YOU, member=member).count() == 1
    pay(member, django_capture_on_commit_callbacks)  # a second order: nothing more
    assert len([m for m in mail.outbox if m.to == [member.email]]) == 1


def test_without_an_editors_text_referrals_own_e_mail_goes(django_capture_on_commit_callbacks):
    member = MemberFactory()
    mail.outbox.clear()
    pay(member, django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Thank you for your first order" in message.subject
    assert SendLog.objects.filter(kind=Kind.THANK_YOU, member=member).exists()
