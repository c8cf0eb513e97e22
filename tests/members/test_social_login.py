"""Social log-in (issue 17, item 16): Google, Apple and Facebook through allauth's social accounts,
off until an editor enters a provider's keys under Settings > Social log-in. allauth's wheel ships
no test helpers, so the provider is played the way allauth's own provider tests do it: its token
and profile answers are mocked at the requests session allauth asks its adapter for."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse

from community.members.services import member_delete, member_export_data
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


class FakeResponse:
    def __init__(self, data, status_code=200):
        self._data = data
        self.status_code = status_code
        self.ok = status_code < 400
        self.headers = {"content-type": "application/json"}
        self.text = "{}"
        self.content = b"{}"

    def json(self):
        return self._data

    def raise_for_status(self):
        pass


class FakeSession:
    """The provider: its token endpoint answers `token`, its profile endpoint `profile`."""

    def __init__(self, token, profile=None):
        self.token, self.profile, self.calls = token, profile or {}, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def request(self, method, url, **kwargs):
        self.calls.append((method, url))
        return FakeResponse(self.token if "token" in url else self.profile)

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)


def google_app():
    return SocialApp.objects.create(provider="google", name="Google", client_id="google-client-id", secret="s3cret")


def test_no_provider_is_shown_or_reachable_until_an_editor_sets_one_up(client):
    for name in ("account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert "social-login" not in html and "/accounts/google/login/" not in html
    for provider in ("google", "apple", "facebook"):
        assert client.get(f"/accounts/{provider}/login/").status_code == 404
        assert client.post(f"/accounts/{provider}/login/").status_code == 404
        callback = f"/accounts/{provider}/login/callback/"
        send = client.post if provider == "apple" else client.get  # Apple answers by a form POST
        assert send(callback, {"code": "x", "state": "y"}, follow=True).status_code == 404


def test_a_configured_provider_shows_on_log_in_and_join(client):
    google_app()
    for name in ("account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert 'aria-labelledby="social-login-heading"' in html
        assert 'href="/accounts/google/login/?process=login"' in html and ">Google</a>" in html
        assert "/accounts/facebook/login/" not in html


def test_the_button_opens_a_page_whose_post_leaves_for_the_provider(client):
    google_app()
    page = client.get("/accounts/google/login/?process=login")
    assert page.status_code == 200 and b"<form" in page.content  # no GET writes: a button to press
    response = client.post("/accounts/google/login/?process=login")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "accounts.google.com"
    assert parse_qs(target.query)["client_id"] == ["google-client-id"]


def _google_sign_in(client, email="ada@example.org", sub="108"):
    client.post("/accounts/google/login/?process=login")
    state = client.session["socialaccount_states"]
    state_id = next(iter(state))
    id_token = jwt.encode({
        "iss": "https://accounts.google.com", "aud": "google-client-id", "sub": sub, "email": email,
        "email_verified": True, "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
        "iat": int(time.time()), "exp": int(time.time()) + 600,
    }, "provider-signing-key-for-the-test-only-0123456789", algorithm="HS256")
    session = FakeSession({"access_token": "token", "expires_in": 3600, "id_token": id_token})
    with mock.patch("community.members.adapters.SocialAccountAdapter.get_requests_session", return_value=session):
        return client.get(f"/accounts/google/login/callback/?code=abc&state={state_id}")


def test_a_google_sign_in_makes_a_verified_member_and_logs_them_in(client):
    google_app()
    response = _google_sign_in(client)
    assert response.status_code == 302, response.content[:500]
    member = User.objects.get(email="ada@example.org")
    assert EmailAddress.objects.get(user=member).verified  # Google vouches for the address
    assert SocialAccount.objects.get(user=member).uid == "108"
    assert client.get(reverse("members:dashboard")).status_code == 200


def test_a_social_sign_in_never_takes_over_an_existing_account_by_its_email(client):
    google_app()
    owner = MemberFactory(email="ada@example.org")
    _google_sign_in(client)
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert "_auth_user_id" not in client.session or client.session["_auth_user_id"] != str(owner.pk)


def test_linked_logins_are_in_the_export_and_go_with_the_account(client):
    google_app()
    _google_sign_in(client)
    member = User.objects.get(email="ada@example.org")
    logins = member_export_data(member)["account"]["social_logins"]
    assert [(entry["provider"], entry["uid"]) for entry in logins] == [("google", "108")]
    assert logins[0]["extra_data"]["email"] == "ada@example.org"
    member_delete(member)
    assert not SocialAccount.objects.exists()


def test_an_editor_turns_a_provider_on_in_the_admin(admin_client):
    url = reverse("social_login:add")
    response = admin_client.post(url, {"provider": "apple", "name": "Apple", "client_id": "com.example.web",
                                       "secret": "", "key": "", "certificate_key": ""})
    assert response.status_code == 200 and not SocialApp.objects.exists()  # Apple needs all its keys
    assert "Apple needs this to sign members in." in response.content.decode()
    response = admin_client.post(url, {"provider": "apple", "name": "Apple", "client_id": "com.example.web",
                                       "secret": "KEYID12345", "key": "TEAMID1234",
                                       "certificate_key": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"})
    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.provider, app.key) == ("apple", "TEAMID1234")
    assert app.settings["certificate_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert admin_client.get(reverse("social_login:index")).status_code == 200
