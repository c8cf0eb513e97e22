"""Each member's language: taken from the language they signed up in, changeable on their profile,
and every e-mail to them written in it, whatever language the request (or task) sending it is in.

Each e-mail's templates are recorded with the language active while they render (Django's test
template_rendered signal), so these tests hold before the catalogues are translated; where the
Hungarian catalogue already has the subject's translation, the subject must be it."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.test.signals import template_rendered
from django.utils import translation

from community.members.i18n import in_language_of, member_language
from community.members.notifications import notification_send
from community.members.welcome import welcome_email_send
from content.newsletter.models import Subscriber
from referrals.thank_you import thank_you_send
from tests.factories import MemberFactory
from tests.reviews.requests_helpers import make_request, paid_order, send_now

pytestmark = pytest.mark.django_db
HU_PO = Path(settings.BASE_DIR) / "locale" / "hu" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def rendered():
    """(template name, language active while it rendered) for each e-mail template rendered."""
    seen = []

    def record(sender, template, context, **kwargs):
        name = getattr(template, "name", "") or ""
        if "email/" in name:
            seen.append((name, translation.get_language()))

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def hungarian(msgid):
    """The Hungarian catalogue's translation of msgid, or None while it is untranslated."""
    if not HU_PO.exists():
        return None
    entry = polib.pofile(str(HU_PO)).find(msgid)
    return entry.msgstr if entry and entry.msgstr and not entry.fuzzy else None


def assert_all_in(rendered, language, *, expect):
    names = {name for name, _ in rendered}
    for fragment in expect:
        assert any(fragment in name for name in names), (fragment, names)
    wrong = [(name, code) for name, code in rendered if code != language]
    assert not wrong, wrong
    rendered.clear()


def signup_in_hungarian(client):
    response = client.post("/hu/accounts/signup/", {
        "email": "zsofi@example.com", "username": "zsofi",
        "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
    })
    assert response.status_code == 302, response.content[:500]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zsofi")


def test_a_member_who_signs_up_under_hu_gets_every_email_in_hungarian(rendered, django_capture_on_commit_callbacks):
    client = Client()
    member = signup_in_hungarian(client)
    assert member.language == "hu"
    assert member_language(member) == "hu"

    # 1. The verification e-mail (allauth, through our account adapter).
    assert len(mail.outbox) == 1
    assert_all_in(rendered, "hu", expect=["account/email/email_confirmation_signup_subject"])
    link = re.search(r"https?://[^/\s]+(/(?:hu/)?accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)

    # 2. Confirming, from an English page: the welcome e-mail is still Hungarian.
    english = Client()
    english_link = re.sub(r"^/hu/", "/", link)
    with django_capture_on_commit_callbacks(execute=True):
        assert english.post(english_link).status_code == 302
    assert_all_in(rendered, "hu", expect=["members/email/welcome_subject"])
    welcome = mail.outbox[-1]
    expected = hungarian("Welcome to %(site_name)s")
    if expected:
        assert expected % {"site_name": settings.WAGTAIL_SITE_NAME} in welcome.subject

    # 3. A password reset asked for on an English page.
    mail.outbox.clear()
    assert Client().post("/accounts/password/reset/", {"email": "zsofi@example.com"}).status_code == 302
    assert len(mail.outbox) == 1
    assert_all_in(rendered, "hu", expect=["account/email/password_reset_key_subject"])
    expected = hungarian("Choose a new password")
    if expected:
        assert expected in mail.outbox[0].subject

    # 4. Notifications, sent while English is active (as a reply written on an English page).
    mail.outbox.clear()
    actor = MemberFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notification_send(member, "reply", actor=actor, url="/forum/t/1/#p1", title="Válasz", source_key="t:1")
        notification_send(member, "reply", actor=actor, url="/forum/t/1/#p2", title="Válasz", source_key="t:2")
    assert mail.outbox
    assert_all_in(rendered, "hu", expect=["members/email/notifications_subject"])

    # 5. The newsletter: a member who subscribes while browsing in English is written to in theirs.
    client.force_login(member)
    mail.outbox.clear()
    response = client.post("/newsletter/subscribe/", {"email": "zsofi@example.com", "consent": "on", "source": "home"})
    assert response.status_code == 302
    assert Subscriber.objects.get(email="zsofi@example.com").language == "hu"
    assert_all_in(rendered, "hu", expect=["newsletter/email/confirm_subject"])
    expected = hungarian("Confirm your newsletter subscription")
    if expected:
        assert expected in mail.outbox[-1].subject

    # 6. The review request after an order.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(member=member, days_ago=20)
    make_request(order)
    with translation.override("en"):
        send_now()
    assert mail.outbox
    assert_all_in(rendered, "hu", expect=["reviews/email/review_request_subject"])
    expected = hungarian("How are you getting on with your order?")
    if expected:
        assert expected in mail.outbox[-1].subject

    # 7. The referral programme's thank-you after the first paid order (the one above).
    mail.outbox.clear()
    from referrals.models import ReferralAskSent, ReferralProgramme

    programme = ReferralProgramme.load()
    programme.enabled = True
    programme.save()
    ReferralAskSent.objects.filter(member=member).delete()  # in case paying the order sent it already
    with translation.override("en"):
        assert thank_you_send(member.pk, order.pk)
    assert_all_in(rendered, "hu", expect=["referrals/email/thank_you_subject"])


def test_a_member_with_no_language_gets_the_sites_default():
    member = MemberFactory(language="")
    with translation.override("el"), in_language_of(member):
        assert translation.get_language() == settings.LANGUAGE_CODE


def test_the_welcome_email_follows_the_members_language_not_the_active_one(rendered):
    member = MemberFactory(language="nb")
    with translation.override("el"):
        assert welcome_email_send(member)
    assert_all_in(rendered, "nb", expect=["members/email/welcome_message"])


def test_the_language_is_changed_on_the_profile_and_the_site_follows(member_client):
    member = member_client.member
    page = member_client.get("/me/profile/").content.decode()
    assert 'name="language"' in page and "Magyar" in page and "Ελληνικά" in page
    response = member_client.post("/me/profile/", {
        "display_name": member.display_name, "bio": "", "birthday": "", "language": "el"})
    assert response.status_code == 302
    assert response["Location"].startswith("/el/")  # goes on in the language just chosen
    member.refresh_from_db()
    assert member.language == "el"
    # An unknown code is a form error, not a 500, and changes nothing.
    response = member_client.post("/me/profile/", {
        "display_name": member.display_name, "bio": "", "birthday": "", "language": "xx"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.language == "el"
    # Back to the site's default.
    member_client.post("/el/me/profile/", {"display_name": member.display_name, "bio": "", "birthday": "", "language": ""})
    member.refresh_from_db()
    assert member.language == ""


def test_logging_in_goes_on_in_the_members_language(client):
    from tests.factories import PASSWORD

    member = MemberFactory(language="nb")
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/nb/")
