"""The thank-you e-mail after a member's first paid order, carrying their own link: once per
member, respecting their e-mail choices, with a one-click unsubscribe that works."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.members.notifications import notification_preferences_save
from referrals.codes import code_for
from referrals.models import ReferralAskSent, ReferralProgramme
from referrals.notification_kinds_member import REFERRAL_ASK
from referrals.thank_you import thank_you_send
from shop.models import Order
from shop.services import order_mark_paid
from shop.signals import order_paid
from tests.factories import MemberFactory, OrderFactory
from tests.race import race

pytestmark = pytest.mark.django_db


def paid_order(member, *, days_ago=0, via_service=True, **extra):
    """A paid order of `member`: marked paid through the shop's service (so order_paid fires as
    a webhook makes it fire), or stored paid without the signal."""
    order = OrderFactory(member=member, email=member.email, status="pending", **extra)
    paid_at = timezone.now() - datetime.timedelta(days=days_ago)
    if via_service:
        from django.db import transaction

        with transaction.atomic():
            order_mark_paid(Order.objects.select_for_update().get(pk=order.pk), paid_at=paid_at)
    else:
        Order.objects.filter(pk=order.pk).update(status="paid", paid_at=paid_at)
    order.refresh_from_db()
    return order


def thank_yous(member=None):
    return [m for m in mail.outbox if "Thank you for your first order" in m.subject
            and (member is None or m.to == [member.email])]


def test_the_first_paid_order_sends_one_thank_you_with_the_members_link(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(member)
    sent = thank_yous(member)
    assert len(sent) == 1
    message = sent[0]
    link = f"/r/{code_for(member).code}"
    assert link in message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html" and link in html and "<a href=" in html
    assert ReferralProgramme.load().friend_offer in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ReferralAskSent.objects.get(member=member).order == order


def test_replays_and_later_orders_never_send_again(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = paid_order(member)
        for _ in range(3):  # the webhook delivered again
            order_paid.send(sender=Order, order=first)
        paid_order(member)  # a second order
    assert len(thank_yous(member)) == 1
    assert not thank_you_send(member.pk, first.pk)


def test_not_the_first_paid_order_sends_nothing(member, django_capture_on_commit_callbacks):
    paid_order(member, days_ago=100, via_service=False)  # bought before (imported from the shop's history)
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(member)
    assert thank_yous() == []
    assert not ReferralAskSent.objects.exists()


@pytest.mark.parametrize("obstacle", ["email_off", "unverified", "inactive", "programme_off", "no_member"])
def test_nothing_is_sent_when_something_stands_against_it(member, obstacle, django_capture_on_commit_callbacks):
    if obstacle == "email_off":
        notification_preferences_save(member, {REFERRAL_ASK: (True, False)})
    elif obstacle == "unverified":
        EmailAddress.objects.filter(user=member).update(verified=False)
    elif obstacle == "inactive":
        member.is_active = False
        member.save()
    elif obstacle == "programme_off":
        programme = ReferralProgramme.load()
        programme.enabled = False
        programme.save()
    with django_capture_on_commit_callbacks(execute=True):
        if obstacle == "no_member":
            order = OrderFactory(member=None, status="pending", email="guest@example.com")
            from django.db import transaction

            with transaction.atomic():
                order_mark_paid(Order.objects.select_for_update().get(pk=order.pk))
        else:
            paid_order(member)
    assert thank_yous() == []
    assert not ReferralAskSent.objects.exists()


def test_a_failed_send_leaves_no_marker_so_a_later_delivery_retries(member, monkeypatch):
    order = paid_order(member, via_service=False)

    def broken(self, *args, **kwargs):
        raise OSError("SMTP down")

    from django.core.mail import EmailMultiAlternatives

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError):
        thank_you_send(member.pk, order.pk)
    assert not ReferralAskSent.objects.exists()
    monkeypatch.undo()
    assert thank_you_send(member.pk, order.pk)
    assert len(thank_yous(member)) == 1


def test_the_unsubscribe_link_in_it_works_with_one_click(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(member)
    message = thank_yous(member)[0]
    url = re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    path = re.sub(r"^https?://[^/]+", "", url)
    assert path in message.body
    response = Client().post(path)  # RFC 8058: the mail provider posts, without cookies
    assert response.status_code == 200
    from community.members.selectors import notification_preference_for_member

    assert notification_preference_for_member(member, REFERRAL_ASK).email is False


def test_the_kind_is_on_the_preferences_page(member_client):
    html = member_client.get("/me/notifications/preferences/").content.decode()
    assert "Thank-you e-mails with your link" in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_send_once(on_postgres):
    member = MemberFactory()
    order = paid_order(member, via_service=False)
    results = race(8, lambda i: thank_you_send(member.pk, order.pk))
    assert results.count(True) == 1
    assert len(thank_yous(member)) == 1
    assert ReferralAskSent.objects.filter(member=member).count() == 1
