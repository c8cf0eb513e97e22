"""Every link in every e-mail uses the address the visitor used (issue 17, item 1): a site served
at http://localhost:8811 (`PORT=8811 make run`) sends links to http://localhost:8811/..., from a
request, from a task the request queued, and falls back to SITE_URL without either. E-mails name
the brand, never a host and port, and allauth's e-mails are the site's own."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Site

from community.members.services import notification_send
from content.newsletter.models import Subscriber
from content.newsletter.services import marketing_email_send
from core.absolute import base_url_use
from referrals.thank_you import thank_you_schedule
from tests.factories import PASSWORD, MemberFactory, OrderFactory

pytestmark = pytest.mark.django_db

PORT_HOST = "localhost:8811"
BASE = f"http://{PORT_HOST}"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
SIGN_UP = {"email": "r@example.com", "consent": "on", "source": "footer"}
URL = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture(autouse=True)
def dev_like_hosts(settings):
    """As dev.py: the hosts a developer's browser uses, and a SITE_URL that is not the one used."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    Site.objects.filter(is_default_site=True).update(site_name="Linen & Loom")


def links(message):
    """Every absolute URL in the message: its text, its HTML and its headers."""
    parts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    parts += [str(v) for v in message.extra_headers.values()]
    return [u.rstrip(">.,)") for part in parts for u in URL.findall(part)]


def assert_all_links_on(message, base):
    found = [u for u in links(message) if not u.startswith("mailto:")]
    assert found, "the e-mail has links"
    assert all(u.startswith(base + "/") for u in found), found


def assert_branded(message):
    assert message.subject.startswith("[Linen & Loom] "), message.subject
    assert "8811" not in message.subject and "localhost" not in message.subject
    assert "Hello from" not in message.body and "Thank you for using" not in message.body


def run_enqueued():
    results = list(default_task_backend.results)
    default_task_backend.clear()
    for result in results:
        with base_url_use(""):  # a worker: no request around it
            result.task.call(*result.args, **result.kwargs)
    return results


def test_newsletter_confirmation_links_to_the_host_the_visitor_used():
    response = Client(HTTP_HOST=PORT_HOST).post("/newsletter/subscribe/", SIGN_UP)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_all_links_on(message, BASE)
    assert_branded(message)
    assert "Linen & Loom newsletter" in message.body
    path = re.search(rf"{BASE}(/newsletter/confirm/\S+/)", message.body).group(1)
    assert Client(HTTP_HOST=PORT_HOST).get(path).status_code == 200  # and the link is alive


def test_a_host_outside_allowed_hosts_gets_a_400_and_no_mail():
    response = Client(HTTP_HOST="evil.example:8811").post("/newsletter/subscribe/", SIGN_UP)
    assert response.status_code == 400
    assert mail.outbox == []


def test_marketing_mail_one_click_unsubscribe_without_a_request_uses_site_url(settings):
    subscriber = Subscriber.objects.create(email="c@example.com", status=Subscriber.Status.CONFIRMED, token_nonce="n",
                                           consent_at=timezone.now())
    assert marketing_email_send(subscriber, "News", "Hello") == 1
    assert_all_links_on(mail.outbox[0], "http://127.0.0.1:8000")
    with base_url_use(BASE):
        marketing_email_send(subscriber, "News", "Hello")
    message = mail.outbox[1]
    assert_all_links_on(message, BASE)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{BASE}/newsletter/unsubscribe/")


def test_sign_up_verification_is_the_sites_own_branded_email_on_the_visitors_host():
    client = Client(HTTP_HOST=PORT_HOST)
    response = client.post("/accounts/signup/", {"email": "new@example.com", "username": "newbie",
                                                 "password1": "a-long-enough-passphrase",
                                                 "password2": "a-long-enough-passphrase"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_branded(message)
    assert message.subject == "[Linen & Loom] Welcome to Linen & Loom: one click to finish joining"
    assert "Thank you for joining Linen & Loom!" in message.body
    assert "The Linen & Loom team" in message.body
    assert_all_links_on(message, BASE)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Linen &amp; Loom" in html and f'<a href="{BASE}/accounts/confirm-email/' in html
    path = re.search(rf"{BASE}(/accounts/confirm-email/\S+/)", message.body).group(1)
    assert client.post(path).status_code == 302  # the link works on that host


def test_password_reset_link_and_security_notice_use_the_visitors_host():
    member = MemberFactory(username="ruth", display_name="Ruth")
    client = Client(HTTP_HOST=PORT_HOST)
    client.post("/accounts/password/reset/", {"email": member.email})
    (message,) = mail.outbox
    assert_branded(message)
    assert message.body.startswith("Hi Ruth,")
    assert_all_links_on(message, BASE)
    client.force_login(member)
    client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "another-long-passphrase",
                                               "password2": "another-long-passphrase"})
    notice = mail.outbox[1]
    assert_branded(notice)
    assert "Your password has been changed." in notice.body
    assert_all_links_on(notice, BASE)


def test_notification_digest_from_a_worker_links_to_the_host_that_caused_it(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    member, actor = MemberFactory(), MemberFactory()
    with base_url_use(BASE), django_capture_on_commit_callbacks(execute=True):  # as during a request
        notification_send(member, "reply", actor=actor, url="/forum/t/1/#p1", title="A reply", source_key="k1")
    (result,) = run_enqueued()
    assert result.kwargs == {"base_url": BASE}
    (message,) = mail.outbox
    assert_branded(message)
    assert_all_links_on(message, BASE)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{BASE}/notifications/unsubscribe/")
    path = re.search(rf"<{BASE}(/\S+/)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert Client(HTTP_HOST=PORT_HOST).post(path, {"List-Unsubscribe": "One-Click"}).status_code in (200, 302)


def test_notification_digest_without_a_request_uses_site_url(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    member, actor = MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):  # a management command, a task
        notification_send(member, "reply", actor=actor, url="/forum/t/1/#p1", title="A reply", source_key="k1")
    run_enqueued()
    assert_all_links_on(mail.outbox[0], "http://127.0.0.1:8000")


def test_referral_thank_you_from_a_worker_links_to_the_host_that_caused_it(settings):
    settings.TASKS = DUMMY_TASKS
    member = MemberFactory()
    order = OrderFactory(member=member, email=member.email, status="paid", paid_at=timezone.now())
    with base_url_use(BASE):  # the paid-order webhook's request
        thank_you_schedule(order)
    (result,) = [r for r in run_enqueued() if r.task.name == "thank_you_task"]
    assert result.kwargs == {"base_url": BASE}
    (message,) = mail.outbox
    assert_branded(message)
    assert_all_links_on(message, BASE)
    assert "Thank you for your first order with Linen & Loom." in message.body


ACCOUNT_EMAILS = sorted(
    p.name.removesuffix("_subject.txt")
    for p in (Path(django_settings.BASE_DIR) / "website" / "templates" / "account" / "email").glob("*_subject.txt")
)


def test_every_allauth_email_is_overridden():
    import allauth

    stock = Path(allauth.__file__).parent / "templates" / "account" / "email"
    assert {p.name.removesuffix("_subject.txt") for p in stock.glob("*_subject.txt")} <= set(ACCOUNT_EMAILS)


@pytest.mark.parametrize("name", ACCOUNT_EMAILS)
def test_each_account_email_speaks_in_the_brands_voice_in_text_and_html(name):
    member = MemberFactory(display_name="Ruth & Co")
    context = {
        "user": member, "email": member.email, "site_name": "Linen & Loom", "site_url": f"{BASE}/",
        "security_url": f"{BASE}/accounts/password/reset/", "activate_url": f"{BASE}/accounts/confirm-email/k/",
        "password_reset_url": f"{BASE}/accounts/password/reset/key/x/", "signup_url": f"{BASE}/accounts/signup/",
        "code": "", "username": "ruth", "ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": timezone.now(),
        "from_email": "a@example.com", "to_email": "b@example.com", "deleted_email": "c@example.com",
    }
    subject = render_to_string(f"account/email/{name}_subject.txt", context).strip()
    text = render_to_string(f"account/email/{name}_message.txt", context)
    html = render_to_string(f"account/email/{name}_message.html", context)
    assert subject and "\n" not in subject
    assert text.startswith("Hi Ruth & Co,") and "The Linen & Loom team" in text and "Hello from" not in text
    assert "&amp;" not in text  # plain text: nothing escaped
    assert html.startswith("<!doctype html>") and "Hi Ruth &amp; Co," in html and "Linen &amp; Loom" in html
    assert "Hello from" not in html and "{%" not in html and "{{" not in html
