"""Win-back is direct marketing. Under LIFECYCLE_MARKETING_CONSENT "soft" (the EU soft opt-in) it
goes to customers who have not refused it, and every one says why it came and how to refuse;
the sign-up form and the preferences let them refuse; under "explicit" it goes only to members who
gave the marketing consent (the newsletter's). Other kinds do not depend on the setting."""

import pytest
from django.core import mail
from django.urls import reverse

from community.members.models import NotificationPreference
from community.members.notification_kinds import notification_kinds_marketing
from content.newsletter.services import subscriber_sign_up_verified
from engagement.lifecycle import passes
from engagement.lifecycle.kinds import MARKETING, PREFERENCE, Kind
from engagement.lifecycle.models import SendLog
from tests.factories import ProductFactory

from .helpers import NOW, buyer, care_due, care_product, days_ago, paid_order

pytestmark = pytest.mark.django_db
STATEMENT = "You get this offer because you are our customer."


def lapsed(username):
    member = buyer(username=username)
    paid_order(member, [ProductFactory()], paid_at=days_ago(181))
    return member


def run():
    mail.outbox.clear()
    return passes.lifecycle_nightly(NOW)


def test_only_win_back_is_marketing():
    assert MARKETING == {Kind.WIN_BACK}
    assert [kind.code for kind in notification_kinds_marketing()] == [PREFERENCE[Kind.WIN_BACK]]


def test_soft_win_back_goes_to_customers_who_did_not_refuse_and_says_how_to(settings):
    settings.LIFECYCLE_MARKETING_CONSENT = "soft"
    customer, refused = lapsed("customer"), lapsed("refused")
    NotificationPreference.objects.create(member=refused, kind=PREFERENCE[Kind.WIN_BACK], in_app=False, email=False)
    assert run()["win_back"] == 1
    [message] = mail.outbox
    assert message.to == [customer.email]
    assert STATEMENT in message.body and STATEMENT in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body


def test_explicit_win_back_needs_the_marketing_consent(settings):
    settings.LIFECYCLE_MARKETING_CONSENT = "explicit"
    consenting, silent = lapsed("consenting"), lapsed("silent")
    subscriber_sign_up_verified(consenting.email, language="en", source="dashboard")
    assert run()["win_back"] == 1
    assert [m.to for m in mail.outbox] == [[consenting.email]]
    assert SendLog.objects.filter(kind=Kind.WIN_BACK, member=silent).count() == 0
    # a setting that is neither is taken as the stricter "explicit": still nothing for `silent`
    settings.LIFECYCLE_MARKETING_CONSENT = "opt-in please"
    assert run()["win_back"] == 0


def test_other_kinds_do_not_depend_on_the_marketing_rule(settings):
    settings.LIFECYCLE_MARKETING_CONSENT = "explicit"
    paid_order(buyer(), [care_product()], paid_at=care_due())
    assert run()["care_tips"] == 1
    assert STATEMENT not in mail.outbox[0].body


def test_the_sign_up_form_states_it_and_lets_a_new_member_refuse(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Don’t send me offers by e-mail" in html and "products like those you bought" in html
    data = {"password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"}
    client.post(reverse("account_signup"), {**data, "email": "no@example.org", "username": "nooffers", "no_offers": "on"})
    client.post(reverse("account_signup"), {**data, "email": "ok@example.org", "username": "offersok"})
    refused = NotificationPreference.objects.filter(member__username="nooffers", kind=PREFERENCE[Kind.WIN_BACK])
    assert list(refused.values_list("email", flat=True)) == [False]
    assert not NotificationPreference.objects.filter(member__username="offersok").exists()  # the default: not refused


def test_the_preferences_say_it_is_offers_and_how_to_refuse(client):
    member = buyer()
    client.force_login(member)
    html = client.get(reverse("members:notification_preferences")).content.decode()
    assert "We send them because you are a customer; untick to refuse them." in html
