import re

import pytest
from django.core import mail
from django.test import Client

from content.newsletter.models import ConsentEvent, Subscriber
from content.newsletter.services import marketing_email_send, subscriber_confirm, subscriber_sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    subscriber, _ = subscriber_sign_up("reader@example.com", language="en", source="footer")
    assert subscriber_confirm(subscriber, nonce=subscriber.token_nonce)
    mail.outbox.clear()
    subscriber.refresh_from_db()
    return subscriber


def unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    return re.match(r"<https?://[^/>]+(/[^>]+)>", header).group(1)


def test_marketing_email_has_one_click_unsubscribe_headers(subscriber):
    assert marketing_email_send(subscriber, "Autumn news", "Hello", html="<p>Hello</p>") == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.com"]
    header = message.extra_headers["List-Unsubscribe"]
    https, mailto = header.split(", ")
    assert re.fullmatch(r"<http://testserver/newsletter/unsubscribe/[^>]+/>", https)
    assert mailto == "<mailto:community@example.com?subject=unsubscribe>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message) in message.body
    assert message.alternatives[0][1] == "text/html"
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_marketing_email_in_the_subscribers_language(subscriber):
    Subscriber.objects.filter(pk=subscriber.pk).update(language="hu")
    subscriber.refresh_from_db()
    marketing_email_send(subscriber, "Hírek", "Szia")
    assert "/hu/newsletter/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_marketing_email_is_not_sent_to_pending_or_unsubscribed(db):
    pending, _ = subscriber_sign_up("p@example.com", language="en", source="footer")
    mail.outbox.clear()
    assert marketing_email_send(pending, "News", "Hello") == 0
    assert not mail.outbox


def test_one_click_post_without_csrf_token_or_cookies(subscriber):
    marketing_email_send(subscriber, "News", "Hello")
    path = unsubscribe_path(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert not response.cookies.get("sessionid") and not client.cookies.get("sessionid")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    event = ConsentEvent.objects.filter(event="unsubscribed").get()
    assert event.source == "one-click"
    # twice is fine: same answer, no second event
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert ConsentEvent.objects.filter(event="unsubscribed").count() == 1
    # and no more marketing e-mail
    assert marketing_email_send(subscriber, "News", "Hello") == 0


def test_get_shows_a_button_and_writes_nothing(subscriber):
    marketing_email_send(subscriber, "News", "Hello")
    path = unsubscribe_path(mail.outbox[0])
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post">' in html and ">Unsubscribe</button>" in html
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    response = Client(enforce_csrf_checks=True).post(path)
    assert response.status_code == 200
    assert ConsentEvent.objects.get(event="unsubscribed").source == "unsubscribe-page"
    assert b"already unsubscribed" in Client().get(path).content


def test_unsubscribe_link_does_not_expire(subscriber, settings):
    import time
    from unittest import mock

    marketing_email_send(subscriber, "News", "Hello")
    path = unsubscribe_path(mail.outbox[0])
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 5 * 365 * 24 * 3600):
        assert Client().post(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_forged_unsubscribe_link(subscriber):
    for token in ("nonsense", "eyJzIjoxfQ:forgedforgedforgedforgedforgedforgedforg"):
        assert Client().post(f"/newsletter/unsubscribe/{token}/").status_code == 400
        assert Client().get(f"/newsletter/unsubscribe/{token}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_consent_events_are_append_only(subscriber):
    event = ConsentEvent.objects.first()
    event.source = "edited"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_confirming_twice_writes_one_event(db):
    subscriber, _ = subscriber_sign_up("twice@example.com", language="en", source="footer")
    nonce = subscriber.token_nonce
    assert subscriber_confirm(subscriber, nonce=nonce) is True
    assert subscriber_confirm(subscriber, nonce=nonce) is False
    assert ConsentEvent.objects.filter(event="confirmed").count() == 1


def test_unsubscribe_page_query_count(client, subscriber, assert_queries):
    marketing_email_send(subscriber, "News", "Hello")
    path = unsubscribe_path(mail.outbox[0])
    client.get(path)  # warm the site menu cache
    assert_queries(1, lambda: client.get(path), keep_cache=True)  # the subscriber
