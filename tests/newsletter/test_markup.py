"""The newsletter's pages are valid HTML (Nu checker) and have no axe violations, in every state
a visitor can reach: the sign-up page with and without errors, the pages the e-mail links open
(good, used, forged), and what the visitor sees after each step."""

import pytest
from django.test import Client

from content.newsletter.services import subscriber_confirm, subscriber_sign_up
from content.newsletter.tokens import confirm_token_make, unsubscribe_token_make
from tests.pagecheck import vnu_report


def newsletter_pages():  # also used by tests/members/browser and tests/newsletter/browser
    """(label, method, path, data, expected status) for every state worth checking."""
    pending, _ = subscriber_sign_up("pending@example.com", language="en", source="footer")
    confirmed, _ = subscriber_sign_up("confirmed@example.com", language="el", source="home")
    used_link = confirm_token_make(confirmed)
    assert subscriber_confirm(confirmed, nonce=confirmed.token_nonce)
    bad_post = {"email": "nope", "source": "footer"}  # no consent either
    unsubscribe = f"/el/newsletter/unsubscribe/{unsubscribe_token_make(confirmed)}/"
    return [
        ("sign-up page", "get", "/newsletter/subscribe/", None, 200),
        ("sign-up page in Greek", "get", "/el/newsletter/subscribe/", None, 200),
        ("sign-up with a bad address and no consent", "post", "/newsletter/subscribe/", bad_post, 400),
        ("check your inbox", "get", "/newsletter/check-your-inbox/", None, 200),
        ("confirmation page", "get", f"/newsletter/confirm/{confirm_token_make(pending)}/", None, 200),
        ("used confirmation link", "get", f"/el/newsletter/confirm/{used_link}/", None, 400),
        ("forged confirmation link", "get", "/newsletter/confirm/not-a-token/", None, 400),
        ("confirmed", "get", "/newsletter/confirmed/", None, 200),
        ("unsubscribe page", "get", unsubscribe, None, 200),
        ("unsubscribed", "post", unsubscribe, {}, 200),
        ("unsubscribe page, already unsubscribed", "get", unsubscribe, None, 200),
    ]


@pytest.mark.django_db
def test_newsletter_pages_are_valid_html(tmp_path):
    client = Client()
    pages = []
    for label, method, path, data, status in newsletter_pages():
        response = getattr(client, method)(path, data) if data is not None else client.get(path)
        assert response.status_code == status, f"{label}: {response.status_code}"
        pages.append((label, response.content.decode()))
    failures = vnu_report(pages, tmp_path)
    assert not failures, failures
