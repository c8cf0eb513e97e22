"""The signed review links of the request e-mail: expired, reused, tampered, for another product,
with another member signed in, and the signed-out flow through sign-in or sign-up."""

import datetime
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from community.reviews.links import (
    SESSION_KEY,
    LinkState,
    link_check,
    link_consume,
    link_pending,
    link_token_make,
)
from community.reviews.models import Review, ReviewLinkUse
from shop.models import Order
from tests.factories import PASSWORD, MemberFactory, ProductFactory

from .requests_helpers import make_request, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(member):
    product, other = ProductFactory(name="Linen shirt"), ProductFactory(name="Wool socks")
    rr = make_request(paid_order(member=member, products=[product, other]))
    return rr, product, other


def url(product, token):
    return reverse("reviews:link", args=[product.slug, token])


def write_path(product):
    return f"/products/{product.slug}/review/"


def http_request(member, session=None):
    request = RequestFactory().get("/")
    request.user = member
    request.session = session if session is not None else SessionStore()
    return request


def test_the_owner_signed_in_goes_to_the_form_with_the_link_held(client, member, setup):
    rr, product, other = setup
    client.force_login(member)
    token = link_token_make(rr, product)
    response = client.get(url(product, token))
    assert response.status_code == 302 and response["Location"].endswith(write_path(product))
    assert client.session[SESSION_KEY] == {str(product.pk): token}
    assert link_pending(http_request(member, client.session), product) == rr
    assert link_pending(http_request(member, client.session), other) is None  # held for that product only


def test_consume_records_one_use_and_the_link_then_says_used(client, member, setup):
    rr, product, _ = setup
    client.force_login(member)
    token = link_token_make(rr, product)
    client.get(url(product, token))
    session = client.session
    request = http_request(member, session)
    review = Review.objects.create(product=product, author=member, rating=5, title="Good", body="Good.")
    assert link_consume(request, product, review) == rr
    assert link_consume(request, product, review) is None  # a second time changes nothing
    assert ReviewLinkUse.objects.get(request=rr, product=product).review == review
    assert SESSION_KEY not in request.session or str(product.pk) not in request.session[SESSION_KEY]
    response = client.get(url(product, token))
    assert response.status_code == 410
    assert "already used" in response.content.decode()


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature changed
    lambda t: "x" + t,  # the payload changed
    lambda t: t[: len(t) // 2],  # cut short
    lambda t: "",
    lambda t: "%00<script>",
])
def test_a_tampered_link_is_a_400(client, member, setup, mangle):
    rr, product, _ = setup
    client.force_login(member)
    token = mangle(link_token_make(rr, product))
    response = client.get(f"/products/{product.slug}/review/link/{token}/")
    assert response.status_code in (400, 404)
    assert SESSION_KEY not in client.session


def test_a_link_for_another_product_is_a_400(client, member, setup):
    rr, product, other = setup
    client.force_login(member)
    response = client.get(url(other, link_token_make(rr, product)))
    assert response.status_code == 400
    stranger = ProductFactory()  # not in the order at all
    assert client.get(url(stranger, link_token_make(rr, stranger))).status_code == 400


def test_an_expired_link_is_a_410(client, member, setup, settings):
    rr, product, _ = setup
    client.force_login(member)
    token = link_token_make(rr, product)
    settings.REVIEW_LINK_DAYS = 0
    response = client.get(url(product, token))
    assert response.status_code == 410
    assert "too old" in response.content.decode()
    settings.REVIEW_LINK_DAYS = 60
    assert link_check(token, product).state == LinkState.OK


def test_a_link_of_a_refunded_order_is_a_410(client, member, setup):
    rr, product, _ = setup
    Order.objects.filter(pk=rr.order_id).update(status=Order.Status.REFUNDED)
    client.force_login(member)
    assert client.get(url(product, link_token_make(rr, product))).status_code == 410


def test_another_member_signed_in_gets_a_403_and_nothing_is_held_or_used(client, setup):
    rr, product, _ = setup
    other = MemberFactory()
    client.force_login(other)
    response = client.get(url(product, link_token_make(rr, product)))
    assert response.status_code == 403
    body = response.content.decode()
    assert "another account" in body and "Sign out to continue" in body
    assert SESSION_KEY not in client.session
    assert not ReviewLinkUse.objects.exists()
    # and link_pending refuses a link held by someone else's session
    session = SessionStore()
    session[SESSION_KEY] = {str(product.pk): link_token_make(rr, product)}
    assert link_pending(http_request(other, session), product) is None


def test_an_unverified_address_of_the_signed_in_member_is_told_to_confirm_it(client, setup):
    rr, product, _ = setup
    other = MemberFactory()
    EmailAddress.objects.create(user=other, email=rr.email.upper(), verified=False)
    client.force_login(other)
    response = client.get(url(product, link_token_make(rr, product)))
    assert response.status_code == 403 and "not confirmed" in response.content.decode()


def test_signed_out_confirm_page_then_sign_in_then_the_form(member, setup):
    rr, product, _ = setup
    client = Client()
    link = url(product, link_token_make(rr, product))
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "You’re reviewing Linen shirt, bought on" in text
    response = client.post(link, {"action": "login"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [link]
    signed_in = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD, "next": link})
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    final = client.get(link)
    assert final.status_code == 302 and final["Location"].endswith(write_path(product))


def test_signed_out_sign_up_prefills_the_address_and_needs_no_second_e_mail(setup):
    rr, product, _ = setup
    rr.email = "newcomer@example.com"
    rr.save()
    client = Client()
    link = url(product, link_token_make(rr, product))
    response = client.post(link, {"action": "signup"})
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_signup")
    assert parse_qs(location.query)["email"] == ["newcomer@example.com"]
    form = client.get(response["Location"])
    assert 'value="newcomer@example.com"' in form.content.decode()
    created = client.post(reverse("account_signup"), {
        "email": "newcomer@example.com", "username": "newcomer", "password1": PASSWORD, "password2": PASSWORD,
        "next": link,
    })
    assert created.status_code == 302, created.content.decode()[:2000]
    assert EmailAddress.objects.get(email="newcomer@example.com").verified
    final = client.get(link)
    assert final.status_code == 302 and final["Location"].endswith(write_path(product))


def test_a_link_of_an_inactive_product_is_a_404(client, member, setup):
    rr, product, _ = setup
    product.active = False
    product.save()
    client.force_login(member)
    assert client.get(url(product, link_token_make(rr, product))).status_code == 404


def test_a_link_forged_with_the_unsubscribe_purpose_does_not_pass(client, member, setup):
    from core.tokens import TokenPurpose

    rr, product, _ = setup
    forged = TokenPurpose("reviews.request.optout.link").make({"r": rr.pk, "p": product.pk})
    client.force_login(member)
    assert client.get(url(product, forged)).status_code == 400


def test_expiry_counts_from_the_e_mail(member, setup, settings):
    from django.core import signing

    rr, product, _ = setup
    old = signing.TimestampSigner(salt="reviews.request.link")
    assert link_check(link_token_make(rr, product), product).ok
    # a token signed 61 days ago
    with mock.patch.object(time, "time", return_value=time.time() - datetime.timedelta(days=61).total_seconds()):
        old_token = old.sign_object({"r": rr.pk, "p": product.pk})
    assert link_check(old_token, product).state == LinkState.EXPIRED
