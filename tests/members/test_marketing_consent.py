"""One marketing consent (issue 17, item 4): the newsletter subscription of a member's verified
address is the record; the profile form and /me/ read and write it, and withdrawing in either place
withdraws both. Also the data migration that carries profile consents over."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from community.members.consent import ConsentState, marketing_consent_for
from community.members.services import member_delete
from content.newsletter.models import ConsentEvent, Subscriber
from content.newsletter.services import (
    CONSENT_TEXT,
    marketing_email_send,
    subscriber_confirm,
    subscriber_sign_up,
    unsubscribe_url,
)
from tests.factories import MemberFactory

from .test_profile import profile_post

pytestmark = pytest.mark.django_db

NONE_TEXT = "You get no marketing e-mails."


def footer_sign_up(client, address):
    client.post(reverse("newsletter:subscribe"), {"email": address, "consent": "on", "source": "footer"})
    path = re.search(r"https?://[^/\s]+(/(?:[a-z]{2}/)?newsletter/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    return path


def consent_box(client):
    html = client.get(reverse("members:profile_edit")).content.decode()
    return re.search(r'<input type="checkbox" name="marketing_consent"[^>]*>', html).group(0), html


def dashboard(client):
    return client.get(reverse("members:dashboard")).content.decode()


def test_confirming_in_the_footer_shows_on_me_and_in_the_profile(member_client):
    member = member_client.member
    assert NONE_TEXT in dashboard(member_client)
    confirm = footer_sign_up(member_client, member.email.upper())
    page = dashboard(member_client)
    assert "waits for you to confirm it" in page and NONE_TEXT not in page
    box, html = consent_box(member_client)
    assert "checked" not in box and "have not confirmed it yet" in html
    member_client.post(confirm)
    page = dashboard(member_client)
    assert NONE_TEXT not in page and f"You get the newsletter at {member.email}" in page
    box, html = consent_box(member_client)
    assert "checked" in box
    assert str(CONSENT_TEXT) in html  # one wording, the newsletter's, in both places


def test_ticking_the_box_subscribes_the_verified_address_at_once(member_client):
    member = member_client.member
    profile_post(member_client, marketing_consent="on")
    subscriber = Subscriber.objects.get(email=member.email)
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.consent_text == str(CONSENT_TEXT)
    assert mail.outbox == []  # the address is verified: no confirmation link needed
    assert list(subscriber.events.values_list("event", "source")) == [("signed_up", "dashboard"),
                                                                      ("confirmed", "verified-address")]
    assert marketing_email_send(subscriber, "News", "Hello") == 1
    assert marketing_consent_for(member).since == subscriber.confirmed_at
    assert "You get the newsletter at" in dashboard(member_client)


def test_saving_the_profile_with_the_box_untouched_changes_no_consent(member_client):
    member = member_client.member
    footer_sign_up(member_client, member.email)
    profile_post(member_client, bio="Only the bio")  # the box stays unticked, as it was shown
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    profile_post(member_client, marketing_consent="on")  # ticking it confirms the pending sign-up
    assert marketing_consent_for(member).given
    events = list(Subscriber.objects.get().events.values_list("event", flat=True))
    assert events == ["signed_up", "signed_up", "confirmed"]
    profile_post(member_client, marketing_consent="on", bio="Again")
    assert Subscriber.objects.get().events.count() == 3  # given again: nothing new recorded


def test_withdrawing_in_the_profile_stops_the_newsletter(member_client):
    member = member_client.member
    footer_sign_up(member_client, member.email)
    subscriber_confirm(Subscriber.objects.get(), nonce=Subscriber.objects.get().token_nonce)
    profile_post(member_client, marketing_consent="")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.events.last().event == ConsentEvent.Kind.UNSUBSCRIBED and subscriber.events.last().source == "profile"
    assert marketing_email_send(subscriber, "News", "Hello") == 0
    assert NONE_TEXT in dashboard(member_client)
    profile_post(member_client, marketing_consent="on")  # and giving it again is a new sign-up
    assert list(Subscriber.objects.get().events.values_list("event", flat=True))[-2:] == ["resubscribed", "confirmed"]


def test_unsubscribing_by_the_link_withdraws_the_profile_consent(member_client, client):
    member = member_client.member
    profile_post(member_client, marketing_consent="on")
    subscriber = Subscriber.objects.get()
    path = re.sub(r"^https?://[^/]+", "", unsubscribe_url(subscriber))
    assert client.post(path).status_code in (200, 302)
    assert marketing_consent_for(member).state is ConsentState.NONE
    assert NONE_TEXT in dashboard(member_client)
    box, _html = consent_box(member_client)
    assert "checked" not in box


def test_only_addresses_the_member_verified_count(member_client):
    member = member_client.member
    EmailAddress.objects.create(user=member, email="second@example.com", verified=False, primary=False)
    for address in ("second@example.com", "someone.else@example.com"):
        subscriber, _ = subscriber_sign_up(address, language="en", source="footer")
        subscriber_confirm(subscriber, nonce=subscriber.token_nonce)
    assert marketing_consent_for(member).state is ConsentState.NONE
    assert NONE_TEXT in dashboard(member_client)
    EmailAddress.objects.filter(email="second@example.com").update(verified=True)
    assert marketing_consent_for(member).address == "second@example.com"
    profile_post(member_client, marketing_consent="")  # withdrawing covers every verified address
    assert Subscriber.objects.get(email="second@example.com").status == Subscriber.Status.UNSUBSCRIBED
    assert Subscriber.objects.get(email="someone.else@example.com").status == Subscriber.Status.CONFIRMED


def test_a_member_without_a_verified_address_records_nothing(client):
    member = MemberFactory(verified=False)
    client.force_login(member)
    profile_post(client, marketing_consent="on")
    assert not Subscriber.objects.exists()


def test_export_and_deletion_follow_the_one_record(member_client):
    member = member_client.member
    profile_post(member_client, marketing_consent="on")
    data = member_client.get(reverse("members:data_export")).json()
    subscription = data["newsletter"]["subscriptions"][0]
    assert data["account"]["marketing_consent_at"] == subscription["confirmed_at"]
    assert [e["event"] for e in subscription["consent_events"]] == ["signed_up", "confirmed"]
    address = member.email
    member_delete(member)
    assert not Subscriber.objects.filter(email=address).exists()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


BEFORE = [("members", "0005_reserved_usernames"), ("newsletter", "0001_subscribers_and_consent_events"),
          ("account", "0009_emailaddress_unique_primary_email")]
AFTER = [("members", "0006_consent_remove_marketing_consent_at")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_profile_consents_become_newsletter_subscriptions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, EmailAddress_ = old.get_model("members", "User"), old.get_model("account", "EmailAddress")
    Subscriber_ = old.get_model("newsletter", "Subscriber")
    given = timezone.now().replace(microsecond=0) - timezone.timedelta(days=30)
    ana = User.objects.create(username="ana", email="Ana@Example.com", marketing_consent_at=given)
    EmailAddress_.objects.create(user=ana, email="Ana@Example.com", verified=True, primary=True)
    ben = User.objects.create(username="ben", email="ben@example.com", marketing_consent_at=given)
    EmailAddress_.objects.create(user=ben, email="ben@example.com", verified=False, primary=True)
    cy = User.objects.create(username="cy", email="cy@example.com", marketing_consent_at=given)
    EmailAddress_.objects.create(user=cy, email="cy@example.com", verified=True, primary=True)
    earlier = given - timezone.timedelta(days=5)
    Subscriber_.objects.create(email="cy@example.com", status="confirmed", language="el", consent_version="v",
                               consent_text="Footer", consent_at=earlier, consent_source="footer",
                               confirmed_at=earlier, token_nonce="n")
    dee = User.objects.create(username="dee", email="dee@example.com")  # never consented
    EmailAddress_.objects.create(user=dee, email="dee@example.com", verified=True, primary=True)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = {s.email: s for s in new.get_model("newsletter", "Subscriber").objects.all()}
    assert set(rows) == {"ana@example.com", "cy@example.com"}  # ben never proved his address
    assert (rows["ana@example.com"].status, rows["ana@example.com"].confirmed_at) == ("confirmed", given)
    events = new.get_model("newsletter", "ConsentEvent").objects.filter(subscriber=rows["ana@example.com"].pk)
    assert list(events.values_list("event", "at")) == [("signed_up", given), ("confirmed", given)]
    assert (rows["cy@example.com"].confirmed_at, rows["cy@example.com"].consent_text) == (earlier, "Footer")  # kept
    assert not hasattr(new.get_model("members", "User")(), "marketing_consent_at")
    executor = MigrationExecutor(connection)  # and back: the dates return to the profiles
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    dates = dict(old.get_model("members", "User").objects.values_list("username", "marketing_consent_at"))
    assert dates == {"ana": given, "ben": None, "cy": earlier, "dee": None}
    executor = MigrationExecutor(connection)  # forward to the latest state for the other tests
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
