"""`/r/<code>` and its landing page: clicks, cookies, the redirect that never leaves the site, the
share card, unknown codes and hostile input (referrals.views.links)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.http import SimpleCookie
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from referrals import tracking
from referrals.codes import code_for, code_memo_clear, vanity_set
from referrals.models import Click, ReferralProgramme
from referrals.views import links
from tests.factories import MemberFactory
from tests.hostile import HOSTILE_TEXT, url_part
from tests.pagecheck import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _write_through(settings):
    """Clicks written at once, on Redis too: the buffer has its own tests (test_links_clicks.py),
    and the race test goes through this view with it."""
    settings.REFERRAL_CLICK_BUFFER = "off"
    code_memo_clear()  # what the click view remembers per process, from other tests
    links._COOKIE_DAYS.clear()


@pytest.fixture
def referrer():
    return MemberFactory(username="ἀλίκη", display_name="Ἀλίκη Π.")


@pytest.fixture
def code(referrer):
    return code_for(referrer)


def go_url(code_text, **query):
    url = reverse("referrals:go", kwargs={"code": code_text})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def landing_path(code):
    return reverse("referrals:landing", kwargs={"code": code.public})


def attribution(client, response):
    """What the attribution cookie set by `response` reads as, through tracking's own reader."""
    request = RequestFactory().get("/")
    request.COOKIES = {k: v.value for k, v in response.cookies.items()}
    return tracking.attribution_read(request, 30)


def test_a_click_counts_sets_both_cookies_and_redirects_to_the_landing_page(client, code):
    response = client.get(go_url(code.code, via="whatsapp"), HTTP_USER_AGENT="Mozilla/5.0 Test")
    assert response.status_code == 302
    assert response["Location"] == landing_path(code)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    click = Click.objects.get()
    assert (click.code, click.channel, click.user_agent) == (code, "whatsapp", "Mozilla/5.0 Test")
    assert len(click.ip_hash) == 64 and len(click.device_hash) == 64
    assert attribution(client, response) == (code.code, click.token)
    cookie = response.cookies[tracking.ATTRIBUTION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 86400
    assert tracking.DEVICE_COOKIE in response.cookies


@pytest.mark.parametrize(("via", "channel"), [
    (None, "link"), ("qr", "qr"), ("EMAIL", "email"), ("x", "x"), ("copy", "copy"), ("myspace", "other"),
    ("", "link"),
])
def test_channels(client, code, via, channel):
    client.get(go_url(code.code, **({} if via is None else {"via": via})))
    assert Click.objects.get().channel == channel


def test_the_cookie_window_comes_from_the_programme(client, code):
    programme = ReferralProgramme.load()
    programme.cookie_days = 7
    programme.save()
    response = client.get(go_url(code.code))
    assert response.cookies[tracking.ATTRIBUTION_COOKIE]["max-age"] == 7 * 86400


def test_vanity_code_in_any_case(client, referrer):
    code = vanity_set(referrer, "Linen-Lover")
    response = client.get(go_url("LINEN-lover"))
    assert response["Location"] == "/r/linen-lover/welcome/"
    assert Click.objects.get().code == code
    assert attribution(client, response)[0] == code.code  # the random code, which never changes


@pytest.mark.parametrize("text", ["NOSUCHCD", "x", "admin", "%00", "..", "a" * 300])
def test_unknown_code_answers_the_friendly_404_without_cookies_or_clicks(client, code, text):
    response = client.get(go_url(text))
    assert response.status_code == 404
    assert "referrals/landing_unknown.html" in [t.name for t in response.templates]
    assert not response.cookies
    assert not Click.objects.exists()
    landing = client.get(reverse("referrals:landing", kwargs={"code": text}))
    assert landing.status_code == 404 and b"invitation link" in landing.content


@pytest.mark.parametrize("change", [{"is_active": False}, {"deleted_at": timezone.now()}])
def test_departed_members_codes_are_unknown(client, referrer, code, change):
    type(referrer).objects.filter(pk=referrer.pk).update(**change)
    assert client.get(go_url(code.code)).status_code == 404
    assert client.get(landing_path(code)).status_code == 404
    assert not Click.objects.exists()


def test_the_click_view_remembers_a_code_for_a_few_seconds(client, referrer, code, settings):
    client.get(go_url(code.code))
    type(referrer).objects.filter(pk=referrer.pk).update(is_active=False)
    assert client.get(go_url(code.code)).status_code == 302  # remembered: still counted ...
    assert client.get(landing_path(code)).status_code == 404  # ... but the landing page knows
    settings.REFERRAL_CODE_MEMO_SECONDS = 0
    assert client.get(go_url(code.code)).status_code == 404


def test_a_signed_in_visitor_is_counted_but_gets_no_attribution_cookie(client, code):
    client.force_login(MemberFactory())
    response = client.get(go_url(code.code))
    assert response.status_code == 302 and Click.objects.count() == 1
    assert tracking.ATTRIBUTION_COOKIE not in response.cookies


def test_the_referrer_opening_their_own_link_is_not_counted(client, referrer, code):
    client.force_login(referrer)
    response = client.get(go_url(code.code))
    assert response.status_code == 302 and not Click.objects.exists()
    page = client.get(response["Location"])
    assert b"This is your own link" in page.content


def test_link_preview_fetchers_see_the_page_but_are_not_counted(client, code):
    response = client.get(go_url(code.code), HTTP_USER_AGENT="facebookexternalhit/1.1", follow=True)
    assert response.status_code == 200 and not Click.objects.exists()
    assert tracking.ATTRIBUTION_COOKIE not in client.cookies


def test_over_the_click_limit_still_redirects_and_attributes_uncounted(client, code, settings):
    settings.REFERRAL_CLICKS_PER_MINUTE = 2
    responses = [client.get(go_url(code.code)) for _ in range(4)]
    assert [r.status_code for r in responses] == [302] * 4
    assert Click.objects.count() == 2
    assert attribution(client, responses[-1])[0] == code.code  # a join still credits the referrer
    # another code from the same address has its own count
    other = code_for(MemberFactory())
    client.get(go_url(other.code))
    assert Click.objects.filter(code=other).count() == 1


def test_the_redirect_follows_the_visitors_language(client, code):
    response = client.get(go_url(code.code), HTTP_ACCEPT_LANGUAGE="el")
    assert response["Location"] == f"/el/r/{code.code}/welcome/"
    assert client.get(f"/hu/r/{code.code}")["Location"] == f"/hu/r/{code.code}/welcome/"


def test_only_get_and_head(client, code):
    assert client.post(go_url(code.code)).status_code == 405
    assert client.head(go_url(code.code)).status_code == 302


@pytest.mark.parametrize("cookie", [
    "garbage", "", "x" * 5000, "\x00", "BCDFGHJK:not-a-uuid", "a:b:c", "caf\xe9",
])
def test_a_malformed_or_tampered_cookie_is_ignored(client, code, cookie):
    client.cookies = SimpleCookie({tracking.ATTRIBUTION_COOKIE: cookie, tracking.DEVICE_COOKIE: cookie})
    response = client.get(go_url(code.code))
    assert response.status_code == 302
    assert attribution(client, response)[0] == code.code  # replaced by a good one
    assert client.get(landing_path(code)).status_code == 200
    request = RequestFactory().get("/")
    request.COOKIES = {tracking.ATTRIBUTION_COOKIE: cookie}
    assert tracking.attribution_read(request, 30) is None


def test_a_cookie_signed_for_another_code_is_not_forged_by_editing(client, code):
    response = client.get(go_url(code.code))
    value = response.cookies[tracking.ATTRIBUTION_COOKIE].value
    forged = value.replace(code.code, "ZZZZZZZZ", 1)
    request = RequestFactory().get("/")
    request.COOKIES = {tracking.ATTRIBUTION_COOKIE: forged}
    assert tracking.attribution_read(request, 30) is None


# --- no open redirect ----------------------------------------------------------------------------

OFF_SITE = [
    "//evil.example", "/\\evil.example", "https:evil.example", "https://evil.example", "HTTPS://EVIL.EXAMPLE",
    "%2F%2Fevil.example", "%2f%5cevil.example", "/%2F/evil.example", "\\\\evil.example", "https%3A%2F%2Fevil.example",
    "//%65vil.example", "ht%09tps://evil.example", "javascript:alert(1)", "//evil.example%2F@community.example.com",
]
PARAMETERS = ["next", "url", "redirect", "redirect_to", "return", "to", "via", "r", "continue", "target"]


@pytest.mark.parametrize("value", OFF_SITE)
def test_no_parameter_sends_the_visitor_off_the_site(client, code, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    for path in (f"{go_url(code.code)}?{query}", f"{go_url(code.code)}/?{query}"):
        response = client.get(path, follow=False)
        if response.status_code in (301, 302):
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), location
            assert urlsplit(location).netloc == "" and "evil" not in location, location
    landing = client.get(f"{landing_path(code)}?{query}")
    assert landing.status_code == 200
    for url in re.findall(r'(?:href|content|action)="([^"]*)"', landing.content.decode()):
        assert urlsplit(url).netloc in ("", "testserver"), url


@pytest.mark.parametrize("value", OFF_SITE)
def test_an_off_site_code_is_an_unknown_code(client, code, value):
    response = client.get(f"/r/{value}")
    assert response.status_code in (404, 301, 302), response.status_code
    if response.status_code != 404:
        assert urlsplit(response["Location"]).netloc == ""


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_input_in_every_part_is_never_a_server_error(client, code, text):
    part = url_part(text)
    for path in (f"/r/{part}", f"/r/{part}/welcome/", f"/r/{code.code}?via={part}&{part}={part}",
                 f"/r/{code.code}/welcome/?via={part}"):
        response = client.get(path, HTTP_USER_AGENT=text.encode("utf-8", "surrogatepass").decode("latin-1"))
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code in (301, 302):
            assert urlsplit(response["Location"]).netloc == ""


# --- the landing page ----------------------------------------------------------------------------

def test_landing_page_shows_the_referrer_and_the_offer_and_is_not_indexed(client, code):
    programme = ReferralProgramme.load()
    programme.headline = "Give 10 €, get 500 points"
    programme.friend_offer = "10 € off your first order"
    programme.terms = "<p>Only for <b>new</b> members.</p>"
    programme.save()
    response = client.get(landing_path(code))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ἀλίκη Π." in html and "Give 10 €, get 500 points" in html and "10 € off your first order" in html
    assert "<b>new</b>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'href="{reverse("account_signup")}"' in html and f'href="{reverse("account_login")}"' in html
    assert '<meta property="og:title" content="Ἀλίκη Π. invites you: Give 10 €, get 500 points">' in html
    assert '<meta name="twitter:title" content="Ἀλίκη Π. invites you: Give 10 €, get 500 points">' in html
    assert "og-default.png" in html  # no share image chosen yet


def test_share_card_uses_the_programmes_share_image_rendition(client, code):
    image = get_image_model().objects.create(title="Share", file=ContentFile(png_bytes((1200, 630)), name="s.png"))
    programme = ReferralProgramme.load()
    programme.share_image = image
    programme.save()
    html = client.get(landing_path(code)).content.decode()
    rendition = image.get_rendition("fill-1200x630|format-jpeg")
    assert f'<meta property="og:image" content="http://testserver{rendition.url}">' in html
    assert f'<meta name="twitter:image" content="http://testserver{rendition.url}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_signed_in_visitors_get_a_kind_note_instead_of_the_join_button(client, code):
    client.force_login(MemberFactory())
    html = client.get(landing_path(code)).content.decode()
    assert "You are already a member" in html
    assert f'href="{reverse("account_signup")}"' not in html.split("<main", 1)[1]


def test_landing_page_in_greek(client, code):
    response = client.get(f"/el{landing_path(code)}")
    assert response.status_code == 200 and 'lang="el"' in response.content.decode()


def test_query_counts_do_not_grow_with_clicks(client, code, assert_queries, settings):
    def more_clicks():
        for _ in range(5):
            Click.objects.create(code=code)

    ReferralProgramme.load()  # made by the first visit of all, once
    # the code with its member, the programme; the rest is base.html (site, brand, locale, restrictions)
    assert_queries(6, lambda: client.get(landing_path(code)), grow=more_clicks)
    # the click: the code, the programme (cookie window), the insert ...
    settings.REFERRAL_CODE_MEMO_SECONDS = 0
    assert_queries(3, lambda: client.get(go_url(code.code)), grow=more_clicks)
    # ... and once the process remembers the code and the window, the insert alone (none on Redis)
    settings.REFERRAL_CODE_MEMO_SECONDS = 10
    client.get(go_url(code.code))
    assert_queries(1, lambda: client.get(go_url(code.code)), grow=more_clicks)
