import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from content.newsletter.models import ConsentEvent, Subscriber
from content.newsletter.services import subscriber_sign_up
from content.newsletter.tokens import confirm_token_make

pytestmark = pytest.mark.django_db

CHECK_INBOX = "/newsletter/check-your-inbox/"


def sign_up(client, email="Reader@Example.com ", consent="on", source="footer", **extra):
    data = {"email": email, "source": source}
    if consent:
        data["consent"] = consent
    return client.post("/newsletter/subscribe/", data, **extra)


def confirm_path(message):
    return re.search(r"https?://[^/\s]+(/(?:[a-z]{2}/)?newsletter/confirm/[^\s]+/)", message.body).group(1)


def test_double_opt_in_flow(client):
    response = sign_up(client, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert response["Location"] == CHECK_INBOX
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"  # trimmed and lower-cased
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.language == "en"
    assert subscriber.consent_source == "footer"
    assert subscriber.consent_text.startswith("Yes, send me the newsletter")
    assert subscriber.consent_version and subscriber.consent_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert client.get(CHECK_INBOX).status_code == 200

    link = confirm_path(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 200
    assert b"Yes, subscribe me" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # GET writes nothing
    assert list(ConsentEvent.objects.values_list("event", flat=True)) == ["signed_up"]

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/confirmed/"
    assert client.get("/newsletter/confirmed/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    events = list(ConsentEvent.objects.order_by("pk"))
    assert [e.event for e in events] == ["signed_up", "confirmed"]
    assert events[0].source == "footer" and events[0].consent_text == subscriber.consent_text
    assert events[1].source == "email-link"
    assert len(events[0].ip_hash) == 64 and "203.0.113.9" not in events[0].ip_hash

    # the link is spent: a replay says so, and writes nothing
    response = client.post(link)
    assert response.status_code == 400
    assert b"already been used" in response.content
    assert ConsentEvent.objects.count() == 2


def test_greek_sign_up_keeps_the_language_and_links_to_greek_pages(client):
    response = client.post("/el/newsletter/subscribe/", {"email": "a@example.gr", "consent": "on", "source": "home"})
    assert response.status_code == 302
    assert response["Location"] == "/el/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "el" and subscriber.consent_source == "home"
    assert "/el/newsletter/confirm/" in mail.outbox[0].body


def test_same_answer_for_new_pending_and_confirmed_addresses(client):
    first = sign_up(client, email="new@example.com")
    pending = sign_up(client, email="new@example.com")
    confirmed_sub, _ = subscriber_sign_up("old@example.com", language="en", source="home")
    Subscriber.objects.filter(pk=confirmed_sub.pk).update(status=Subscriber.Status.CONFIRMED)
    mail.outbox.clear()
    confirmed = sign_up(client, email="old@example.com")
    assert first.status_code == pending.status_code == confirmed.status_code == 302
    assert first["Location"] == pending["Location"] == confirmed["Location"] == CHECK_INBOX
    # htmx answers are identical too
    answers = {sign_up(client, email=e, HTTP_HX_REQUEST="true", REMOTE_ADDR="198.51.100.1").content
               for e in ("fresh@example.com", "new@example.com", "old@example.com")}
    assert len(answers) == 1
    assert b"Check your inbox" in answers.pop()


def test_pending_address_gets_the_confirmation_again(client):
    sign_up(client, email="again@example.com")
    sign_up(client, email="again@example.com")
    assert len(mail.outbox) == 2
    assert all("/newsletter/confirm/" in m.body for m in mail.outbox)
    assert Subscriber.objects.count() == 1
    # the first link still works, and confirming spends the second one too
    assert client.post(confirm_path(mail.outbox[0])).status_code == 302
    assert client.post(confirm_path(mail.outbox[1])).status_code == 400


def test_confirmed_address_gets_already_subscribed_email_not_a_link(client):
    sign_up(client, email="done@example.com")
    client.post(confirm_path(mail.outbox[0]))
    mail.outbox.clear()
    events = ConsentEvent.objects.count()
    assert sign_up(client, email="done@example.com")["Location"] == CHECK_INBOX
    assert len(mail.outbox) == 1
    assert "already subscribed" in mail.outbox[0].body
    assert "/newsletter/confirm/" not in mail.outbox[0].body
    assert "/newsletter/unsubscribe/" in mail.outbox[0].body
    assert ConsentEvent.objects.count() == events
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_bad_address_gets_a_form_error(client):
    response = sign_up(client, email="not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="newsletter-footer-email_error"' in html
    assert not Subscriber.objects.exists() and not mail.outbox


def test_missing_consent_gets_a_form_error(client):
    response = sign_up(client, email="ok@example.com", consent=None)
    assert response.status_code == 400
    assert "Please tick the box" in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_htmx_form_error_comes_back_as_the_form(client):
    response = sign_up(client, email="nope", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and 'aria-invalid="true"' in html
    assert re.search(r'<input type="text" name="email"[^>]* autofocus', html)  # focus lands on the error
    # with a good address and no consent, the focus goes to the checkbox
    html = sign_up(client, email="a@example.com", consent=None, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'<input type="checkbox" name="consent"[^>]* autofocus', html)
    assert "<html" not in html


def test_unknown_source_falls_back_to_the_page(client):
    sign_up(client, email="src@example.com", source="evil")
    assert Subscriber.objects.get().consent_source == "page"


def test_expired_confirmation_link(client):
    sign_up(client)
    link = confirm_path(mail.outbox[0])
    later = time.time() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(link)
        assert response.status_code == 400
        assert b"expired" in response.content
        assert client.post(link).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize("token", ["garbage", "eyJzIjoxLCJuIjoieCJ9:1vN8Qb:forgedforgedforgedforgedforgedforgedforged"])
def test_forged_confirmation_link(client, token):
    sign_up(client)
    response = client.get(f"/newsletter/confirm/{token}/")
    assert response.status_code == 400
    assert b"does not work" in response.content
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_link_signed_for_another_purpose_is_refused(client):
    subscriber, _ = subscriber_sign_up("x@example.com", language="en", source="footer")
    from content.newsletter.tokens import unsubscribe_token_make

    assert client.get(f"/newsletter/confirm/{unsubscribe_token_make(subscriber)}/").status_code == 400
    assert client.get(f"/newsletter/unsubscribe/{confirm_token_make(subscriber)}/").status_code == 400


def test_old_confirmation_link_cannot_undo_an_unsubscribe(client):
    sign_up(client)
    link = confirm_path(mail.outbox[0])
    subscriber = Subscriber.objects.get()
    from content.newsletter.services import subscriber_unsubscribe

    subscriber_unsubscribe(subscriber, source="unsubscribe-page")
    assert client.post(link).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribed_address_signs_up_again_with_double_opt_in(client):
    sign_up(client)
    client.post(confirm_path(mail.outbox[0]))
    from content.newsletter.services import subscriber_unsubscribe

    subscriber_unsubscribe(Subscriber.objects.get(), source="one-click")
    mail.outbox.clear()
    sign_up(client, source="dashboard")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.consent_source == "dashboard"
    client.post(confirm_path(mail.outbox[0]))
    assert list(ConsentEvent.objects.order_by("pk").values_list("event", flat=True)) == [
        "signed_up", "confirmed", "unsubscribed", "resubscribed", "confirmed",
    ]


def test_rate_limit_per_ip_answers_429(client):
    for i in range(5):
        assert sign_up(client, email=f"r{i}@example.com", REMOTE_ADDR="192.0.2.7").status_code == 302
    response = sign_up(client, email="r9@example.com", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "429.html" in [t.name for t in response.templates]
    assert not Subscriber.objects.filter(email="r9@example.com").exists()
    # another address is not affected
    assert sign_up(client, email="r9@example.com", REMOTE_ADDR="192.0.2.8").status_code == 302


def test_rate_limit_per_address_answers_429(client):
    for i in range(3):
        assert sign_up(client, email="same@example.com", REMOTE_ADDR=f"192.0.2.{i}").status_code == 302
    assert sign_up(client, email="same@example.com", REMOTE_ADDR="192.0.2.50").status_code == 429
    assert len(mail.outbox) == 3
    assert sign_up(client, email="same@example.com", REMOTE_ADDR="192.0.2.51", HTTP_HX_REQUEST="true").status_code == 200


def test_rate_limit_counts_live_in_the_cache(client):
    sign_up(client)
    cache.clear()  # a fresh window
    for _ in range(2):
        assert sign_up(client).status_code == 302


def test_footer_form_on_other_pages_posts_without_a_csrf_token(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert 'id="newsletter-footer-email"' in html
    assert 'action="/newsletter/subscribe/"' in html
    assert "newsletter-footer" not in client.get("/newsletter/check-your-inbox/").content.decode()
    # the form posts without a token
    assert sign_up(Client(enforce_csrf_checks=True)).status_code == 302


def test_signup_page_renders_in_greek(client):
    response = client.get("/el/newsletter/subscribe/")
    assert response.status_code == 200
    assert 'action="/el/newsletter/subscribe/"' in response.content.decode()


def test_query_counts_are_pinned(client, assert_queries):
    client.get("/newsletter/subscribe/")  # warm the site menu cache
    assert_queries(0, lambda: client.get("/newsletter/subscribe/"), keep_cache=True)
    sign_up(client)
    link = confirm_path(mail.outbox[0])
    # the confirmation page: the subscriber
    assert_queries(1, lambda: client.get(link), keep_cache=True)
    # the sign-up post: the transaction (a savepoint in tests), get_or_create (select, and the
    # insert in its own savepoint), the consent event; the brand's name for the e-mail (the
    # default Wagtail Site's)
    response = assert_queries(8, lambda: sign_up(client, email="q@example.com"), keep_cache=True)
    assert response.status_code == 302


@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling subdomain is another site's page too
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_ORIGIN": "null"},  # a sandboxed frame or a data: page
])
def test_a_sign_up_posted_from_another_site_records_nothing(client, headers):
    response = sign_up(client, **headers)
    assert response.status_code == 403
    assert "came from another website" in response.content.decode()
    assert not Subscriber.objects.exists() and not ConsentEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_SITE": "same-origin"},
    {"HTTP_SEC_FETCH_SITE": "none"},  # typed or bookmarked
    {"HTTP_ORIGIN": "http://testserver"},
    {},  # an old browser that sends neither
])
def test_a_sign_up_from_this_site_is_recorded(client, headers):
    assert sign_up(client, **headers).status_code == 302
    assert ConsentEvent.objects.get().ip_hash
