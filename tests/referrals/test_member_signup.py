"""Sign-up with "Been referred by a friend?": a typed code, or the referrer's name (and e-mail
address when several share it). The form never says who matched; lookups are rate-limited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from referrals.codes import code_for, vanity_set
from referrals.forms import SignupForm
from referrals.models import Referral
from tests.factories import MemberFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signup(client, username="newbie", **fields):
    data = {
        "email": f"{username}@example.org",
        "username": username,
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }
    data.update(fields)
    return client.post(reverse("account_signup"), data)


def joined(username="newbie"):
    return User.objects.filter(username=username).first()


def referral_of(username="newbie"):
    return Referral.objects.filter(friend__username=username).select_related("referrer").first()


def test_the_form_is_the_sites_signup_form(client):
    from django.conf import settings

    assert settings.ACCOUNT_FORMS["signup"] == "referrals.forms.SignupForm"
    html = client.get(reverse("account_signup")).content.decode()
    for name in ("referral_code", "referrer_name", "referrer_email"):
        assert f'name="{name}"' in html
    assert "Been referred by a friend?" in html


def test_without_any_referral_field_sign_up_is_as_before(client):
    response = signup(client)
    assert response.status_code == 302
    assert joined() is not None and referral_of() is None


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "  {code} ", "{vanity}", "{vanity_upper}"])
def test_a_typed_code_attributes_the_friend(client, typed):
    referrer = MemberFactory()
    code = code_for(referrer)
    vanity_set(referrer, "maria-linen")
    value = typed.format(code=code.code, lower=code.code.lower(), vanity="maria-linen", vanity_upper="MARIA-LINEN")
    response = signup(client, referral_code=value)
    assert response.status_code == 302
    referral = referral_of()
    assert referral.referrer == referrer and referral.via == Referral.Via.TYPED


@pytest.mark.parametrize("junk", ["NOSUCHCD", "x" * 64, "<script>", "../../admin", "%00", "🙂🙂🙂🙂"])
def test_an_unknown_code_is_a_clear_error_and_nothing_is_made(client, junk):
    response = signup(client, referral_code=junk)
    assert response.status_code == 200
    assert "We do not know this code" in response.content.decode()
    assert joined() is None


def with_link_cookie(client, code):
    """The client as a click on `code`'s link leaves it: a signed attribution cookie."""
    from django.core import signing

    from referrals import tracking

    value = f"{code.code}:7b0c6c8e-3a6c-4b3e-9a7e-2d3f1f2e4a5b"
    signer = signing.get_cookie_signer(salt=tracking.ATTRIBUTION_COOKIE + tracking.ATTRIBUTION_SALT)
    client.cookies[tracking.ATTRIBUTION_COOKIE] = signer.sign(value)
    return client


def test_a_typed_code_beats_the_link_cookie(client):
    by_link, by_code = MemberFactory(), MemberFactory()
    signup(with_link_cookie(client, code_for(by_link)), username="cookieonly")
    assert referral_of("cookieonly").referrer == by_link  # the cookie alone attributes
    client.cookies.clear()
    signup(with_link_cookie(client, code_for(by_link)), referral_code=code_for(by_code).code)
    assert referral_of().referrer == by_code
    assert referral_of().via == Referral.Via.TYPED


def test_a_name_that_one_member_has_attributes_the_friend(client):
    referrer = MemberFactory(display_name="Μαρία Παπαδοπούλου")
    response = signup(client, referrer_name="μαρια ΠΑΠΑΔΟΠΟΥΛΟΥ")
    assert response.status_code == 302
    referral = referral_of()
    assert referral.referrer == referrer and referral.via == Referral.Via.NAME
    page = client.get(response["Location"]).content.decode()
    assert "we found the friend who invited you" in page


def test_a_shared_name_asks_for_the_email_and_reveals_nobody(client):
    one = MemberFactory(display_name="Anna Kovács", username="annak", email="anna.k@example.com")
    MemberFactory(display_name="Anna Kovacs", username="annak2", email="anna.k2@example.com")
    response = signup(client, referrer_name="Anna Kovacs")
    html = response.content.decode()
    assert response.status_code == 200 and joined() is None
    assert "More than one member has this name" in html
    for secret in ("annak", "anna.k@", "anna.k2@", "Anna Kovács"):  # no usernames, addresses, or stored names
        assert secret not in html
    response = signup(client, referrer_name="Anna Kovacs", referrer_email="ANNA.K@example.com")
    assert response.status_code == 302
    assert referral_of().referrer == one


def test_the_form_never_says_whether_an_address_belongs_to_a_member(client):
    """With a shared name, a right and a wrong e-mail address read the same on an invalid form (no
    "found", no "no such address"): the form cannot test addresses. Joining with the wrong one
    joins without a referral; with the right one, the referral is made."""
    anna = MemberFactory(display_name="Anna Kovács", email="anna.k@example.com")
    MemberFactory(display_name="Anna Kovacs")
    pages = []
    for address in ("someone@example.com", "anna.k@example.com"):
        response = signup(client, referrer_name="Anna Kovacs", referrer_email=address, password2="other-password-1")
        assert response.status_code == 200  # the passwords differ: the form comes back
        html = response.content.decode().replace(address, "ADDRESS")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html))
    assert pages[0] == pages[1]
    assert "found your friend" not in pages[0] and "has that e-mail address" not in pages[0]
    response = signup(client, referrer_name="Anna Kovacs", referrer_email="someone@example.com")
    assert response.status_code == 302 and joined() is not None and referral_of() is None
    client.logout()
    response = signup(client, username="second", referrer_name="Anna Kovacs",
                      referrer_email="anna.k@example.com")
    assert response.status_code == 302
    assert referral_of("second").referrer == anna


def test_an_unknown_name_warns_once_then_lets_the_friend_join(client):
    MemberFactory(display_name="Zoltán Szabó")
    response = signup(client, referrer_name="Zoltan Szabo Jr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "We found no member by that name" in html and "send the form again to join without" in html
    # sent again as it stands (the hidden field carries the name): the friend joins, unreferred
    response = signup(client, referrer_name="Zoltan Szabo Jr", referrer_name_seen="Zoltan Szabo Jr")
    assert response.status_code == 302
    assert joined() is not None and referral_of() is None


def test_a_corrected_name_after_the_warning_is_looked_up_again(client):
    referrer = MemberFactory(display_name="Zoltán Szabó")
    response = signup(client, referrer_name="Zoltan Szabo", referrer_name_seen="Zoltan Szabo Jr")
    assert response.status_code == 302
    assert referral_of().referrer == referrer


def test_name_lookups_are_rate_limited_per_address(client, settings):
    settings.REFERRAL_NAME_LOOKUPS_PER_HOUR = 3
    MemberFactory(display_name="Somebody Real")
    for n in range(3):
        response = signup(client, username=f"prober{n}", password2="mismatch-on-purpose", referrer_name=f"Guess {n}")
        assert "We found no member by that name" in response.content.decode()
    response = signup(client, username="prober9", referrer_name="Somebody Real")
    assert response.status_code == 200
    assert "Too many names were tried" in response.content.decode()
    assert joined("prober9") is None
    # another address is counted on its own
    other = client_from("203.0.113.9")
    response = signup(other, username="honest", referrer_name="Somebody Real")
    assert response.status_code == 302 and referral_of("honest") is not None


def client_from(ip):
    from django.test import Client

    return Client(REMOTE_ADDR=ip)


def test_the_form_hands_the_code_to_the_engine_on_the_request(rf):
    referrer = MemberFactory(display_name="Ödön Kovács")
    form = SignupForm(data={"email": "x@example.org", "username": "xnew", "password1": "a-long-enough-passphrase",
                            "password2": "a-long-enough-passphrase", "referrer_name": "odon kovacs"}, request=rf.post("/"))
    assert form.is_valid(), form.errors
    code, via = form.referral_code_resolved()
    assert code.member == referrer and via == "name"
