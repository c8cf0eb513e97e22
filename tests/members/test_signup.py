import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, MemberFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "email": "new@example.com",
        "username": "newbie",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_sends_verification_and_blocks_login_until_verified(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="newbie")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    # not logged in, and logging in sends them back to verification
    assert client.get("/me/").status_code == 302
    response = client.post("/accounts/login/", {"login": "new@example.com", "password": "a-long-enough-passphrase"})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_verification_link_page_does_not_write_on_get_and_confirms_on_post(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 200
    assert not EmailAddress.objects.get(email="new@example.com").verified
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: the member is in, and sees their dashboard
    assert client.get("/me/").status_code == 200


def test_replayed_or_forged_confirmation_link_is_a_clear_answer(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    again = Client().post(link)
    assert again.status_code == 404  # a used key is gone: a clear "not found", nothing changes
    assert EmailAddress.objects.filter(email="new@example.com", verified=True).count() == 1
    response = Client().get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert b"expired or is invalid" in response.content


def test_login_is_by_email(client):
    member = MemberFactory(username="zoltan", email="zoltan@example.com")
    response = client.post("/accounts/login/", {"login": "  ZOLTAN@example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_taken_email_is_refused_and_nothing_is_created(client):
    MemberFactory(email="taken@example.com")
    before = User.objects.count()
    response = signup(client, email="taken@example.com", username="someone")
    # allauth answers a taken address like a new one (no account enumeration) but creates nothing
    # and e-mails the owner instead.
    assert User.objects.count() == before
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["taken@example.com"]]
    assert "already" in mail.outbox[0].body


def test_taken_username_and_bad_password_get_form_errors(client):
    MemberFactory(username="eleni")
    response = signup(client, username="ELENI")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    response = signup(client, password1="short", password2="short")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    response = signup(client, password1="a-long-enough-passphrase", password2="another-passphrase")
    assert response.status_code == 200
    assert User.objects.filter(username="newbie").count() == 0


@pytest.mark.parametrize("username", ["admin", "Me", "deleted-abc", "has space", "at@sign", "ab"])
def test_reserved_or_malformed_usernames_are_refused(client, username):
    response = signup(client, username=username)
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize("username", ["ελένη", "åsne_s", "zoltán.k", "maya-t"])
def test_usernames_in_any_script_are_welcome(client, username):
    response = signup(client, username=username)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.username == username.lower()
    assert client.get(user.get_absolute_url()).status_code == 404  # no public profile before verifying
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert client.get(user.get_absolute_url()).status_code == 200


def test_honeypot_filled_by_a_bot_creates_nothing(client):
    response = signup(client, homepage_url="http://spam.example")
    assert response.status_code == 302  # the bot is told all went well...
    assert not User.objects.filter(username="newbie").exists()  # ...but nothing was made
    assert len(mail.outbox) == 0


def test_failed_logins_are_rate_limited(client):
    MemberFactory(email="target@example.com")
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})
        assert b"Too many failed login attempts" not in response.content
    response = client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})
    assert b"Too many failed login attempts" in response.content
    # even the right password is refused while the address is locked
    response = client.post("/accounts/login/", {"login": "target@example.com", "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_mail_and_does_not_reveal_unknown_addresses(client):
    MemberFactory(email="known@example.com")
    r1 = client.post("/accounts/password/reset/", {"email": "known@example.com"})
    r2 = client.post("/accounts/password/reset/", {"email": "unknown@example.com"})
    assert r1.status_code == r2.status_code == 302
    assert [m.to for m in mail.outbox] == [["known@example.com"], ["unknown@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body  # "no account here" notice


def test_forged_csrf_token_is_refused_with_the_site_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x@example.com", "password": "y", "csrfmiddlewaretoken": "forged"})
    assert response.status_code == 403
    assert b"This form has expired" in response.content


def test_logout_is_post_only(member_client):
    response = member_client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page, not a logout
    assert "_auth_user_id" in member_client.session
    member_client.post("/accounts/logout/")
    assert "_auth_user_id" not in member_client.session
