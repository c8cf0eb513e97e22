"""The newsletter follows a member's language: changing it on the profile moves every subscription
of an address the member verified (the newsletter is then written in it), and nothing else: a
subscriber who is not a member keeps the language they subscribed in, and an address the member
has not verified is not theirs to move."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from community.members.consent import marketing_language_set
from content.newsletter.models import ConsentEvent, Subscriber
from content.newsletter.services import marketing_email_send, subscriber_sign_up, subscriber_sign_up_verified
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriptions():
    member = MemberFactory(username="zsofi", email="zsofi@example.com", language="")
    EmailAddress.objects.create(user=member, email="zsofi@work.example", verified=True, primary=False)
    EmailAddress.objects.create(user=member, email="zsofi@old.example", verified=False, primary=False)
    mine, _ = subscriber_sign_up_verified("zsofi@example.com", language="en", source="dashboard")
    pending, _ = subscriber_sign_up("Zsofi@Work.example", language="en", source="footer")  # waiting for the link
    unverified, _ = subscriber_sign_up("zsofi@old.example", language="nb", source="footer")
    stranger, _ = subscriber_sign_up("reader@example.com", language="el", source="footer")
    mail.outbox.clear()
    return member, mine, pending, unverified, stranger


def languages(*subscribers):
    return [Subscriber.objects.get(pk=s.pk).language for s in subscribers]


def profile_post(client, member, language):
    # The consent box stays ticked (unticking it would withdraw the consent).
    return client.post("/me/profile/", {"display_name": member.display_name, "bio": "", "birthday": "",
                                        "language": language, "marketing_consent": "on"})


def test_changing_the_language_on_the_profile_moves_the_members_newsletter(subscriptions):
    member, mine, pending, unverified, stranger = subscriptions
    events = ConsentEvent.objects.count()
    client = Client()
    client.force_login(member)
    assert profile_post(client, member, "hu").status_code == 302
    assert languages(mine, pending) == ["hu", "hu"]
    assert languages(unverified, stranger) == ["nb", "el"]  # not proven the member's; not a member's
    assert ConsentEvent.objects.count() == events  # a language is not a change of consent

    # The next newsletter is written in it.
    marketing_email_send(Subscriber.objects.get(pk=mine.pk), "Hírlevél", "Szia!")
    assert mail.outbox[-1].to == ["zsofi@example.com"]
    assert "/hu/newsletter/unsubscribe/" in mail.outbox[-1].body

    # Back to the site's default: the newsletter goes back to it too.
    profile_post(client, member, "")
    assert languages(mine, pending) == ["en", "en"]
    assert languages(unverified, stranger) == ["nb", "el"]


def test_a_save_that_keeps_the_language_changes_nothing(subscriptions):
    member, *_ = subscriptions
    member.language = "el"
    member.save()
    assert marketing_language_set(member, "el") == 2
    assert marketing_language_set(member, "el") == 0  # already so: no row written


def test_a_subscriber_who_is_not_a_member_keeps_the_language_they_subscribed_in(subscriptions):
    *_, stranger = subscriptions
    other = MemberFactory(username="other", email="other@example.com")
    client = Client()
    client.force_login(other)
    profile_post(client, other, "nb")
    assert languages(stranger) == ["el"]


def test_an_unknown_language_is_refused_by_the_service(subscriptions):
    from content.newsletter.services import subscribers_language_set

    with pytest.raises(ValueError):
        subscribers_language_set(["zsofi@example.com"], "xx")
