"""After sign-up (issue 17, item 17): confirming the address signs the new member in on a welcome
page with what to do first, and sends one welcome e-mail (not for a second address)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.members.test_signup import confirmation_link, signup

pytestmark = pytest.mark.django_db


def test_a_new_member_lands_on_the_welcome_page_and_gets_one_welcome_email(client):
    signup(client, username="Ελένη")
    link = confirmation_link(mail.outbox[0])
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("members:welcome")
    page = client.get(response["Location"]).content.decode()
    assert "Welcome, ελένη!" in page  # usernames are kept in lower case
    steps = re.findall(r'<h2><a href="([^"]+)">([^<]+)</a>', page)
    assert [title for _url, title in steps] == ["Complete your profile", "Introduce yourself in the forum",
                                                 "Subscribe to the newsletter", "Invite a friend"]
    assert steps[0][0] == reverse("members:profile_edit")
    welcome = [m for m in mail.outbox if "What members usually do first" in m.body]
    assert len(welcome) == 1 and welcome[0].to == ["new@example.com"]
    assert "http://testserver/me/profile/" in welcome[0].body
    html = welcome[0].alternatives[0][0]
    assert 'href="http://testserver/me/welcome/"' in html


def test_a_second_address_confirmed_later_sends_no_welcome(client):
    signup(client)
    client.post(confirmation_link(mail.outbox[0]))
    member = EmailAddress.objects.get(email="new@example.com").user
    from allauth.account.signals import email_confirmed

    second = EmailAddress.objects.create(user=member, email="second@example.com", verified=True)
    before = len([m for m in mail.outbox if "What members usually do first" in m.body])
    email_confirmed.send(sender=EmailAddress, request=None, email_address=second)
    assert len([m for m in mail.outbox if "What members usually do first" in m.body]) == before == 1


def test_the_welcome_page_is_for_members(client):
    response = client.get(reverse("members:welcome"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
