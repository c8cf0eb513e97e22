"""One vocabulary for accounts: the header says "Log in" and "Join", and so do the log-in,
sign-up and log-out pages, in place of allauth's stock "Sign In", "Signup" and "Remember Me:"
(issue 17, item 10). The sign-up form keeps its fields; only its words change."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

STOCK_WORDING = ["Sign In", "Sign in", "Sign Up", "Signup", "sign up", "Sign Out", "Remember Me", "Email:"]


def main(html):
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def words(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_no_stock_wording(html):
    found = [phrase for phrase in STOCK_WORDING if phrase in html]
    assert not found, f"allauth's stock wording on the page: {found}"


def test_login_page_says_log_in_and_join(client):
    html = client.get(reverse("account_login") + "?next=/forum/").content.decode()
    assert "<title>Log in ·" in html
    page = main(html)
    assert_no_stock_wording(page)
    assert "<h1>Log in</h1>" in page
    # the way to join keeps where the visitor was going
    assert '<a href="/accounts/signup/?next=%2Fforum%2F">Join the community</a>' in page
    assert re.search(r'<button class="button" type="submit">\s*Log in\s*</button>', page)
    text = words(page)
    assert "E-mail address:" in text and "Password:" in text and "Keep me logged in" in text
    assert "Keep me logged in:" not in text and "placeholder=" not in page


def test_forgot_password_link_is_under_the_form_not_between_label_and_field(client):
    page = main(client.get(reverse("account_login")).content.decode())
    form = re.search(r"<form.*?</form>", page, re.S).group(0)
    assert "password/reset" not in form and 'id="id_password_helptext"' not in form
    after = page.split("</form>", 1)[1]
    assert f'<a href="{reverse("account_reset_password")}">Forgot your password?</a>' in after


def test_signup_page_says_join_and_log_in(client):
    html = client.get(reverse("account_signup") + "?next=/forum/").content.decode()
    assert "<title>Join the community ·" in html
    page = main(html)
    assert_no_stock_wording(page)
    assert "<h1>Join the community</h1>" in page
    assert '<a href="/accounts/login/?next=%2Fforum%2F">Log in</a>' in page
    assert re.search(r'<button class="button" type="submit">\s*Join\s*</button>', page)
    text = words(page)
    assert "E-mail address:" in text and "Password again:" in text


def test_signup_form_keeps_its_fields():
    from referrals.forms import SignupForm

    assert list(SignupForm().fields) == [
        "email", "username", "password1", "password2", "homepage_url", "no_offers",
        "referral_code", "referrer_name", "referrer_email", "referrer_name_seen",
    ]


def test_logout_page_says_log_out(member_client):
    page = main(member_client.get(reverse("account_logout")).content.decode())
    assert_no_stock_wording(page)
    assert "<h1>Log out</h1>" in page
    assert re.search(r'<button class="button" type="submit">\s*Log out\s*</button>', page)


def test_verification_sent_page_says_joining(client):
    page = main(client.get(reverse("account_email_verification_sent")).content.decode())
    assert_no_stock_wording(page)
    assert "<h1>Check your e-mail</h1>" in page and "finish joining" in page


def test_logging_in_still_works_and_keep_me_logged_in_keeps_the_session(client):
    member = MemberFactory(email="asne@example.com")
    response = client.post(reverse("account_login"), {"login": "asne@example.com", "password": PASSWORD, "remember": "on"})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == member.pk
    assert not client.session.get_expire_at_browser_close()
