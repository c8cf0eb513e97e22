"""Review requests: made when an order is paid, sent when due, one reminder, and nothing after a
refund, a cancellation, an unsubscribe or a review."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from community.members.notifications import notification_preferences_save
from community.reviews.models import Review, ReviewLinkUse, ReviewRequest, ReviewRequestOptOut
from community.reviews.notification_kinds import REVIEW_REQUEST
from community.reviews.review_requests import email_hash
from shop.models import Order, Refund, RefundLine
from shop.services import order_cancel
from tests.factories import MemberFactory, ProductFactory

from .requests_helpers import links_in, make_request, paid_order, request_mails, send_now

pytestmark = pytest.mark.django_db


def test_a_paid_order_gets_one_request_due_after_the_configured_days(member, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.REVIEW_REQUEST_DAYS = 10
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(member=member)
    rr = ReviewRequest.objects.get(order=order)
    assert rr.email == member.email
    assert rr.due_at == order.paid_at + datetime.timedelta(days=10)
    # a replayed signal changes nothing
    from shop.signals import order_paid
    order_paid.send(sender=Order, order=order)
    assert ReviewRequest.objects.filter(order=order).count() == 1


def test_an_order_paid_long_ago_gets_no_request(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = paid_order(member=member, days_ago=14 + 31)  # an import of old orders
        recent = paid_order(member=member, days_ago=14 + 29)
    assert not ReviewRequest.objects.filter(order=old).exists()
    assert ReviewRequest.objects.filter(order=recent).exists()


def test_nothing_is_sent_before_it_is_due(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(member=member)
    assert send_now() == 0
    assert send_now(days_later=13) == 0
    assert request_mails() == []
    assert send_now(days_later=15) == 1
    assert len(request_mails()) == 1


def test_the_e_mail_lists_each_product_with_its_own_link_and_one_click_unsubscribe(member):
    a, b = ProductFactory(name="Linen shirt"), ProductFactory(name="Wool socks")
    rr = make_request(paid_order(member=member, products=[a, b]))
    assert send_now() == 1
    [message] = request_mails()
    assert message.to == [member.email]
    assert "Linen shirt" in message.body and "Wool socks" in message.body
    links = links_in(message)
    assert len(links) == 2 and f"/products/{a.slug}/review/link/" in links[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and links[0] in html.replace("&amp;", "&")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in unsubscribe
    rr.refresh_from_db()
    assert rr.sent_at is not None and rr.reminded_at is None
    assert send_now() == 0  # sent once


def test_one_reminder_only_when_nothing_was_reviewed(member, settings):
    settings.REVIEW_REQUEST_REMINDER_DAYS = 7
    rr = make_request(paid_order(member=member))
    assert send_now() == 1
    assert send_now(days_later=6) == 0
    assert send_now(days_later=8) == 1
    assert "A reminder" in request_mails()[-1].subject
    assert send_now(days_later=30) == 0
    rr.refresh_from_db()
    assert rr.reminded_at is not None
    assert len(request_mails()) == 2


def test_no_reminder_after_a_review_from_the_link(member):
    product = ProductFactory()
    rr = make_request(paid_order(member=member, products=[product, ProductFactory()]))
    send_now()
    review = Review.objects.create(product=product, author=member, rating=5, title="Good", body="Very good.")
    ReviewLinkUse.objects.create(request=rr, product=product, review=review)
    assert send_now(days_later=8) == 0
    assert len(request_mails()) == 1


def test_products_already_reviewed_are_left_out_and_nothing_goes_when_all_are(member):
    reviewed, other = ProductFactory(name="Reviewed thing"), ProductFactory(name="Other thing")
    Review.objects.create(product=reviewed, author=member, rating=4, title="Fine", body="Fine.")
    make_request(paid_order(member=member, products=[reviewed, other]))
    send_now()
    [message] = request_mails()
    assert "Other thing" in message.body and "Reviewed thing" not in message.body
    only = ProductFactory()
    Review.objects.create(product=only, author=member, rating=4, title="Fine", body="Fine.")
    rr = make_request(paid_order(member=member, products=[only]))
    assert send_now() == 0
    rr.refresh_from_db()
    assert rr.cancelled_at is not None


def test_nothing_for_a_cancelled_or_fully_refunded_order(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = paid_order(member=member)
        order_cancel(Order.objects.get(pk=cancelled.pk))
    assert ReviewRequest.objects.get(order=cancelled).cancelled_at is not None
    refunded = paid_order(member=member)
    rr = make_request(refunded)
    Order.objects.filter(pk=refunded.pk).update(status=Order.Status.REFUNDED)
    assert send_now() == 0
    rr.refresh_from_db()
    assert rr.cancelled_at is not None
    assert request_mails() == []


def test_a_line_refunded_in_full_is_left_out(member):
    kept, returned = ProductFactory(name="Kept thing"), ProductFactory(name="Returned thing")
    order = paid_order(member=member, products=[kept, returned])
    refund = Refund.objects.create(order=order, external_id="r1", amount="49.00", refunded_at=timezone.now())
    RefundLine.objects.create(refund=refund, order_line=order.lines.get(product=returned), quantity=1)
    make_request(order)
    send_now()
    [message] = request_mails()
    assert "Kept thing" in message.body and "Returned thing" not in message.body


def test_a_member_who_switched_the_kind_off_gets_nothing(member):
    notification_preferences_save(member, {REVIEW_REQUEST: (True, False)})
    rr = make_request(paid_order(member=member))
    assert send_now() == 0
    rr.refresh_from_db()
    assert rr.cancelled_at is not None


def test_the_members_one_click_unsubscribe_stops_the_reminder(member):
    make_request(paid_order(member=member))
    send_now()
    url = request_mails()[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert send_now(days_later=8) == 0
    assert len(request_mails()) == 1


def test_a_customer_without_an_account_gets_it_and_can_unsubscribe_by_one_click():
    order = paid_order(email="guest@example.com")
    make_request(order)
    send_now()
    [message] = request_mails()
    assert message.to == ["guest@example.com"]
    assert "Hi there," in message.body
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/reviews/unsubscribe/" in url
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post(url).status_code == 200  # again: nothing changes
    assert ReviewRequestOptOut.objects.filter(email_hash=email_hash("GUEST@example.com ")).count() == 1
    assert not ReviewRequestOptOut.objects.filter(email_hash__contains="guest").exists()  # only the hash is kept
    assert send_now(days_later=8) == 0
    # and a later order of the same address gets nothing
    make_request(paid_order(email="guest@example.com"))
    assert send_now(days_later=9) == 0
    assert len(request_mails()) == 1


def test_a_forged_unsubscribe_link_is_a_400():
    from django.urls import reverse

    response = Client().post(reverse("reviews:request_unsubscribe", args=["forged:abc"]))
    assert response.status_code == 400


def test_an_order_of_an_address_a_member_verified_goes_by_the_members_choice():
    owner = MemberFactory()
    order = paid_order(email=owner.email)  # placed as a guest, the member verified the address
    notification_preferences_save(owner, {REVIEW_REQUEST: (True, False)})
    make_request(order)
    assert send_now() == 0


def test_the_cron_command_and_the_task_send_what_is_due(member):
    make_request(paid_order(member=member))
    call_command("review_requests_send", stdout=__import__("io").StringIO())
    assert len(request_mails()) == 1
    from community.reviews.review_requests import review_requests_send_due_task
    review_requests_send_due_task.enqueue()
    assert len(request_mails()) == 1


def test_user_text_in_the_e_mail_is_escaped_in_html():
    product = ProductFactory(name='<script>alert(1)</script>"><img src=x onerror=alert(1)>')
    member = MemberFactory(display_name="<b>Eve</b>")
    make_request(paid_order(member=member, products=[product]))
    send_now()
    [message] = request_mails()
    html = message.alternatives[0][0]
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>Eve</b>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in message.body  # plain text stays as written


def test_mail_outbox_is_clean():
    assert mail.outbox == []
