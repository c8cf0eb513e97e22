"""Attribution on sign-up (referrals.receivers + services.referral_attach): cookie, typed code,
cookie age, tampered cookies, first referrer wins, sightings, and the notifications."""

import uuid

import pytest
from django.core import signing
from django.urls import reverse

from community.members.models import Notification
from referrals import receivers, services, tracking
from referrals.codes import code_for
from referrals.models import Click, FraudFlag, Referral, ReferralCode, Reward, Sighting
from referrals.notification_kinds import FRIEND_JOINED, REWARD_APPROVED
from tests.factories import PASSWORD, MemberFactory
from tests.referrals.engine_helpers import DAY, T0, order_make, referral_make

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "friend@example.com", "username": "friend", "password1": "a-long-enough-passphrase",
          "password2": "a-long-enough-passphrase"}


class Clock:
    """Stands in for the time module inside django.core.signing only: signing and checking a
    cookie's age then see the moments the test sets, not the wall clock."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def signed(name, salt, value, age=0, monkeypatch=None):
    """A cookie value as the site signs it, `age` seconds old (with monkeypatch, the signing clock
    then stays at the moment the test checks it)."""
    signer = signing.get_cookie_signer(salt=name + salt)
    if monkeypatch is None:
        return signer.sign(value)
    clock = Clock(1_800_000_000)
    monkeypatch.setattr(signing, "time", clock)
    value = signer.sign(value)
    clock.now += age
    return value


def attribution_cookie(code_text, token, age=0, monkeypatch=None):
    return signed(tracking.ATTRIBUTION_COOKIE, tracking.ATTRIBUTION_SALT, f"{code_text}:{token}", age, monkeypatch)


def signup(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {**SIGNUP, **data})
    assert response.status_code == 302
    return response


def friend():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="friend")


def test_signup_through_a_link(client, programme, django_capture_on_commit_callbacks):
    referrer = MemberFactory()
    code = code_for(referrer)
    click = Click.objects.create(code=code, channel="whatsapp")
    client.cookies[tracking.ATTRIBUTION_COOKIE] = attribution_cookie(code.code.lower(), click.token)
    signup(client, django_capture_on_commit_callbacks)
    referral = Referral.objects.get()
    assert (referral.referrer, referral.friend, referral.via) == (referrer, friend(), Referral.Via.LINK)
    assert (referral.click, referral.channel, referral.click_token) == (click, "whatsapp", click.token)
    assert referral.review == Referral.Review.CLEAR
    # the referrer is told
    note = Notification.objects.get(recipient=referrer)
    assert note.kind == FRIEND_JOINED and note.actor == friend() and friend().public_name in note.title


def test_a_click_not_yet_in_the_database_still_attributes(client, programme, django_capture_on_commit_callbacks):
    code = code_for(MemberFactory())
    token = uuid.uuid4()  # buffered, not flushed yet
    client.cookies[tracking.ATTRIBUTION_COOKIE] = attribution_cookie(code.code, token)
    signup(client, django_capture_on_commit_callbacks)
    referral = Referral.objects.get()
    assert referral.click is None and referral.click_token == token and referral.channel == "link"


def test_vanity_code_in_the_cookie(client, programme, django_capture_on_commit_callbacks):
    code = code_for(MemberFactory())
    code.vanity = "annas-friends"
    code.save()
    client.cookies[tracking.ATTRIBUTION_COOKIE] = attribution_cookie("Annas-Friends", uuid.uuid4())
    signup(client, django_capture_on_commit_callbacks)
    assert Referral.objects.get().code == code


@pytest.mark.parametrize("age_days, seconds_off, attributed", [
    (30, -1, True),   # a second inside the window (cookie_days = 30)
    (30, 0, True),    # exactly its age limit
    (30, +1, False),  # a second too old
    (1, 0, True),
])
def test_cookie_age(client, programme, monkeypatch, django_capture_on_commit_callbacks, age_days, seconds_off,
                    attributed):
    code = code_for(MemberFactory())
    age = age_days * 86400 + seconds_off
    client.cookies[tracking.ATTRIBUTION_COOKIE] = attribution_cookie(code.code, uuid.uuid4(), age, monkeypatch)
    signup(client, django_capture_on_commit_callbacks)
    assert Referral.objects.exists() is attributed


@pytest.mark.parametrize("value", [
    "garbage",
    "",
    "\x00\xff",
    "ABCDEFGH:not-a-uuid",
    "%%%:::",
    "BCDFGHJK:373d2333-59aa-4a81-8e7b-cb64f052687f:tampered",
])
def test_tampered_or_malformed_cookie_is_ignored(client, programme, django_capture_on_commit_callbacks, value):
    code = code_for(MemberFactory())
    good = attribution_cookie(code.code, uuid.uuid4())
    client.cookies[tracking.ATTRIBUTION_COOKIE] = value or good.replace(code.code, "BCDFGHJK")  # forged code
    signup(client, django_capture_on_commit_callbacks)
    assert not Referral.objects.exists()
    assert friend().is_active  # the sign-up went through


def test_unknown_code_in_a_valid_cookie_is_ignored(client, programme, django_capture_on_commit_callbacks):
    client.cookies[tracking.ATTRIBUTION_COOKIE] = attribution_cookie("ZZZZZZZZ", uuid.uuid4())
    signup(client, django_capture_on_commit_callbacks)
    assert not Referral.objects.exists()


def test_typed_code_wins_over_the_cookie(rf, programme):
    by_cookie, by_typing = code_for(MemberFactory()), code_for(MemberFactory())
    new = MemberFactory()
    request = rf.post("/accounts/signup/")
    request.COOKIES[tracking.ATTRIBUTION_COOKIE] = attribution_cookie(by_cookie.code, uuid.uuid4())
    request.referral_typed = (by_typing, "name")
    receivers.attribute_signup(sender=None, request=request, user=new)
    referral = Referral.objects.get()
    assert (referral.code, referral.via, referral.click_token) == (by_typing, Referral.Via.NAME, None)


def test_a_failure_never_breaks_the_signup(rf, programme, monkeypatch, caplog):
    code = code_for(MemberFactory())
    request = rf.post("/accounts/signup/")
    request.referral_typed = (code, "typed")
    monkeypatch.setattr(services, "referral_attach", lambda *a, **k: 1 / 0)
    receivers.attribute_signup(sender=None, request=request, user=MemberFactory())  # no exception
    assert "referral attribution failed" in caplog.text


def test_first_referrer_keeps_the_friend(programme):
    first, second = MemberFactory(), MemberFactory()
    new = MemberFactory()
    kept = services.referral_attach(new, code=code_for(first), via="typed")
    again = services.referral_attach(new, code=code_for(second), via="link", click_token=uuid.uuid4())
    assert again == kept and again.referrer == first
    assert Referral.objects.get().referrer == first


@pytest.mark.parametrize("case", ["own code", "inactive referrer", "deleted referrer", "no code"])
def test_nothing_to_attach(programme, case):
    referrer, new = MemberFactory(), MemberFactory()
    code = code_for(referrer)
    if case == "own code":
        code = code_for(new)
    elif case == "inactive referrer":
        referrer.is_active = False
        referrer.save()
    elif case == "deleted referrer":
        referrer.deleted_at = T0
        referrer.save()
    elif case == "no code":
        code = None
    assert services.referral_attach(new, code=code, via="typed") is None
    assert not Referral.objects.exists()


def test_unknown_via_is_a_programming_error(programme):
    with pytest.raises(ValueError):
        services.referral_attach(MemberFactory(), code=code_for(MemberFactory()), via="carrier-pigeon")


def test_login_records_a_sighting(client, programme):
    member = MemberFactory(email="seen@example.com")
    client.cookies[tracking.DEVICE_COOKIE] = signed(tracking.DEVICE_COOKIE, tracking.DEVICE_SALT, "abc123")
    client.post("/accounts/login/", {"login": "seen@example.com", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "seen@example.com", "password": PASSWORD})
    sighting = Sighting.objects.get()  # one per place and day
    assert sighting.member == member
    assert sighting.device_hash == tracking.keyed_hash("abc123", "device")
    assert sighting.ip_hash == tracking.keyed_hash("127.0.0.1", "ip")


def test_sightings_are_forgotten_after_90_days(programme):
    member = MemberFactory()
    services.sighting_record(member, ip_hash="i", device_hash="d", now=T0)
    assert services.sightings_prune(now=T0 + 90 * DAY) == 0
    assert services.sightings_prune(now=T0 + 90 * DAY + DAY) == 1


def test_reward_approved_notifications(programme, django_capture_on_commit_callbacks):
    referral = referral_make()
    order = order_make(referral.friend)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_paid_handle(order, now=order.paid_at)
        services.rewards_approve_due(now=T0 + 100 * DAY)
        services.rewards_approve_due(now=T0 + 101 * DAY)
    notes = Notification.objects.filter(kind=REWARD_APPROVED)
    assert sorted(n.recipient_id for n in notes) == sorted([referral.referrer_id, referral.friend_id])
    mine = notes.get(recipient=referral.referrer)
    assert "500" in mine.title and referral.friend.public_name in mine.title
    assert mine.url.endswith("/me/referrals/") or mine.url.startswith("/")
    assert Reward.objects.filter(state="approved").count() == 2


def test_a_friend_signing_up_in_the_referrers_own_browser_is_flagged(client, programme,
                                                                     django_capture_on_commit_callbacks):
    """Through the real pages: the referrer opens /me/referrals/ (the browser gets its device
    cookie) and makes their link (a sighting); they sign out, open their own link in the same
    browser and sign up a second account. The referral is made, and held for review."""
    referrer = MemberFactory()
    client.force_login(referrer)
    client.get(reverse("referrals:dashboard"))
    assert tracking.DEVICE_COOKIE in client.cookies
    client.post(reverse("referrals:dashboard"))
    code = ReferralCode.objects.get(member=referrer)
    client.post(reverse("account_logout"))  # signs out, the browser keeps its cookies (client.logout() would not)
    client.get(reverse("referrals:go", kwargs={"code": code.code}))
    signup(client, django_capture_on_commit_callbacks)
    referral = Referral.objects.get(friend=friend())
    assert referral.referrer == referrer and referral.review == Referral.Review.FLAGGED
    assert set(referral.flags.values_list("rule", flat=True)) >= {FraudFlag.Rule.SAME_DEVICE}
