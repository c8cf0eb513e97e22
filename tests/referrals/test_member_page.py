"""/me/referrals/: the member's link, share intents, QR downloads, a code of their own, and what
came of it, with plain explanations; the entries on the home page and /me/."""

import datetime
import uuid
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import ledger
from referrals.codes import code_for
from referrals.models import Click, FraudFlag, LedgerEntry, Referral, ReferralCode, ReferralProgramme, Reward
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
PAGE = "referrals:dashboard"


def make_referral(referrer, *, qualified=True, name=None, **extra):
    friend = MemberFactory(display_name=name or "")
    return Referral.objects.create(referrer=referrer, friend=friend, code=code_for(referrer), via=Referral.Via.LINK,
                                   qualified_at=timezone.now() if qualified else None, **extra)


def make_reward(referral, state=Reward.State.PENDING, points=500, side=Reward.Side.REFERRER, **extra):
    member = referral.referrer if side == Reward.Side.REFERRER else referral.friend
    reward = Reward.objects.create(member=member, referral=referral, side=side, points=points, state=state,
                                   due_at=timezone.now() + datetime.timedelta(days=30), **extra)
    status = LedgerEntry.Status.APPROVED if state == Reward.State.APPROVED else LedgerEntry.Status.PENDING
    if state in (Reward.State.PENDING, Reward.State.FLAGGED, Reward.State.APPROVED):
        ledger.append(member, points, kind=LedgerEntry.Kind.REFERRAL_REFERRER, status=status,
                      source_key=f"test:{reward.pk}", reward=reward)
    return reward


# --- access ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, method", [(PAGE, "get"), (PAGE, "post"), ("referrals:vanity", "post"),
                                          ("referrals:qr_svg", "get"), ("referrals:qr_png", "get")])
def test_visitors_are_sent_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("name, method", [(PAGE, "put"), ("referrals:vanity", "get"), ("referrals:qr_svg", "post")])
def test_wrong_methods_are_refused(member_client, name, method):
    assert getattr(member_client, method)(reverse(name)).status_code == 405


# --- the link --------------------------------------------------------------------------------

def test_looking_makes_nothing_and_the_button_makes_the_link(member_client):
    member = member_client.member
    response = member_client.get(reverse(PAGE))
    assert response.status_code == 200
    assert "Get my link" in response.content.decode()
    assert not ReferralCode.objects.filter(member=member).exists()  # no GET writes
    assert member_client.get(reverse("referrals:qr_svg")).status_code == 404  # no link, no QR code
    response = member_client.post(reverse(PAGE))
    assert response.status_code == 302 and response["Location"] == reverse(PAGE)
    member_client.post(reverse(PAGE))  # again: still one code
    assert ReferralCode.objects.filter(member=member).count() == 1


def test_the_page_shows_the_link_and_share_intents_with_their_channels(member_client):
    code = code_for(member_client.member)
    html = member_client.get(reverse(PAGE)).content.decode()
    assert f"/r/{code.code}" in html
    assert f'data-copy-value="http://testserver/r/{code.code}?via=copy"' in html
    shares = {
        "mailto:": "email", "https://wa.me/": "whatsapp", "https://x.com/intent/post": "x",
        "https://www.facebook.com/sharer/sharer.php": "facebook", "https://t.me/share/url": "telegram",
    }
    import re

    hrefs = [unquote(h.replace("&amp;", "&")) for h in re.findall(r'href="([^"]+)"', html)]
    for prefix, channel in shares.items():
        href = next(h for h in hrefs if h.startswith(prefix))
        assert f"/r/{code.code}?via={channel}" in href, href
    assert "<script" not in html.split("</head>")[1]  # no third-party (or any inline) script in the page
    assert 'src="/static/js/referrals.js"' in html


def test_the_copy_button_is_hidden_without_javascript(member_client):
    code_for(member_client.member)
    html = member_client.get(reverse(PAGE)).content.decode()
    assert 'data-copy-target="ref-link" hidden' in html
    assert "readonly" in html  # the link can still be selected by hand


@pytest.mark.parametrize("name, content_type, magic", [
    ("referrals:qr_svg", "image/svg+xml", b"<?xml"),
    ("referrals:qr_png", "image/png", b"\x89PNG"),
])
def test_qr_downloads(member_client, name, content_type, magic):
    code_for(member_client.member)
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(magic)


def test_the_qr_code_carries_the_link_with_via_qr(member_client):
    from referrals.sharing import qr_code

    code = code_for(member_client.member)
    qr = qr_code(code)
    assert qr.designator  # made
    from referrals.codes import referral_url

    assert referral_url(code, "qr").endswith(f"/r/{code.code}?via=qr")
    assert b"<path" in member_client.get(reverse("referrals:qr_svg")).content


# --- a code of their own -----------------------------------------------------------------------

def test_choosing_a_vanity_code(member_client):
    code_for(member_client.member)
    response = member_client.post(reverse("referrals:vanity"), {"vanity": "Ágnes-Linen"})
    assert response.status_code == 302
    assert ReferralCode.objects.get(member=member_client.member).vanity == "ágnes-linen"
    html = member_client.get(response["Location"]).content.decode()
    assert "/r/%C3%A1gnes-linen" in html or "/r/ágnes-linen" in html


@pytest.mark.parametrize("bad, message", [
    ("ab", "Use 4 to 24 characters."),
    ("admin", "That code is reserved."),
    ("has space", "Use only letters, digits and hyphens."),
    ("<script>", "Use only letters, digits and hyphens."),
])
def test_a_refused_vanity_code_says_why(member_client, bad, message):
    code_for(member_client.member)
    response = member_client.post(reverse("referrals:vanity"), {"vanity": bad})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferralCode.objects.get(member=member_client.member).vanity is None


def test_a_vanity_code_taken_by_another_member_is_refused(member_client):
    other = MemberFactory()
    from referrals.codes import vanity_set

    vanity_set(other, "linen-lover")
    code_for(member_client.member)
    response = member_client.post(reverse("referrals:vanity"), {"vanity": "LINEN-LOVER"})
    assert response.status_code == 400 and "That code is taken" in response.content.decode()


# --- what came of it -------------------------------------------------------------------------

def test_counts_friends_and_rewards_with_plain_explanations(member_client):
    member = member_client.member
    code = code_for(member)
    Click.objects.bulk_create([Click(code=code, channel=c) for c in ["whatsapp", "whatsapp", "qr", "copy"]])
    make_referral(member, qualified=False, name="Not Yet")
    pending = make_referral(member, name="Zsófia")
    flagged = make_referral(member, name="Ola Nordmann", review=Referral.Review.FLAGGED)
    FraudFlag.objects.create(referral=flagged, rule=FraudFlag.Rule.SAME_NETWORK, detail="ip hash abc")
    void = make_referral(member, name="Returned It")
    rejected = make_referral(member, name="Rejected One", review=Referral.Review.REJECTED,
                             review_reason="The same person signed up twice.")
    make_referral(member, name="Over The Cap", no_reward=Referral.NoReward.CAP)
    make_reward(pending)
    make_reward(flagged, state=Reward.State.FLAGGED)
    make_reward(void, state=Reward.State.VOID)
    make_reward(rejected, state=Reward.State.REJECTED)
    approved = make_referral(member, name="Paid Up")
    make_reward(approved, state=Reward.State.APPROVED, points=300, decided_at=timezone.now())
    html = member_client.get(reverse(PAGE)).content.decode()
    stats = html.split('class="ref-stats"')[1].split("</dl>")[0]
    assert "<dd>4</dd>" in stats  # clicks
    assert "<dd>7</dd>" in stats  # sign-ups
    assert "<dd>6</dd>" in stats  # friends who ordered
    assert "<dd>300</dd>" in stats and "<dd>1000</dd>" in stats  # points approved, pending (pending + flagged)
    assert "1 friend joined and has not placed a first order yet." in html
    for name in ("Zsófia", "Ola Nordmann", "Paid Up", "Over The Cap"):
        assert name in html
    assert "Not Yet" not in html  # friends who have not ordered are counted, not named
    assert "Waiting for the return window to end on" in html
    assert "same internet connection as you, as often happens at home or at work" in html
    assert "ip hash abc" not in html  # staff's detail stays with staff
    assert "refunded or cancelled within the return window" in html
    assert "Reason: The same person signed up twice." in html
    assert "the month&#x27;s limit of rewards was already reached" in html
    assert "Approved on" in html
    assert "@example.com" not in html.split("<main")[1]  # no friend's address anywhere


def test_the_friend_sees_their_welcome_reward(member_client):
    referrer = MemberFactory(display_name="Kind Referrer")
    referral = Referral.objects.create(referrer=referrer, friend=member_client.member, code=code_for(referrer),
                                       via=Referral.Via.NAME, qualified_at=timezone.now())
    make_reward(referral, side=Reward.Side.FRIEND, points=250)
    code_for(member_client.member)
    html = member_client.get(reverse(PAGE)).content.decode()
    assert "250 points welcome reward, from Kind Referrer" in html


def test_a_friend_without_a_link_of_their_own_sees_their_welcome_discount_code(member_client):
    referrer = MemberFactory(display_name="Kind Referrer")
    friend = member_client.member
    referral = Referral.objects.create(referrer=referrer, friend=friend, code=code_for(referrer),
                                       via=Referral.Via.LINK, qualified_at=timezone.now())
    Reward.objects.create(member=friend, referral=referral, side=Reward.Side.FRIEND, points=0,
                          discount_code="FRIEND-WELCOME2345", discount_value=Decimal("10.00"), currency="EUR",
                          state=Reward.State.APPROVED, due_at=timezone.now(), decided_at=timezone.now())
    html = member_client.get(reverse(PAGE)).content.decode()
    assert not ReferralCode.objects.filter(member=friend).exists()  # no link made, none needed
    assert "Get my link" in html  # the offer to make one still shows
    assert "Your rewards" in html and "welcome reward, from Kind Referrer" in html
    assert "<code>FRIEND-WELCOME2345</code>" in html
    assert "Points approved" in html


def test_a_member_without_a_link_or_rewards_sees_no_rewards_section(member_client):
    html = member_client.get(reverse(PAGE)).content.decode()
    assert "Get my link" in html and "Your rewards" not in html


@pytest.mark.parametrize("state, code, text", [
    (Reward.State.VOID, "refunded", "The order was refunded."),
    (Reward.State.VOID, "cancelled", "The order was cancelled."),
    (Reward.State.REVERSED, "partly_refunded", "Part of the order was refunded, and what was kept is under"),
    (Reward.State.VOID, "account_closed", "The account it was for was closed before it was approved."),
])
def test_a_lapsed_reward_says_why_in_words_not_the_stored_code(member_client, state, code, text):
    from referrals.selectors import reward_explain

    member = member_client.member
    reward = make_reward(make_referral(member, name="Returned It"), state=state, reason=code)
    explanation = reward_explain(reward)
    assert text in explanation and not explanation.endswith(f" {code}")
    html = member_client.get(reverse(PAGE)).content.decode()
    assert text in html and f"lapsed. {code}<" not in html and f"taken back. {code}<" not in html


def test_an_unknown_reason_code_shows_nothing_raw(member_client):
    from referrals.selectors import reward_explain

    reward = make_reward(make_referral(member_client.member), state=Reward.State.VOID, reason="mystery_code")
    assert "mystery_code" not in reward_explain(reward)


def test_the_referrers_checks_and_staff_reason_are_not_shown_to_the_friend(member_client):
    """The fraud checks speak to the referrer ("your friend ...") and staff's reason is written to
    the referrer: the friend's own reward reads neutrally."""
    referrer = MemberFactory(display_name="Kind Referrer")
    friend = member_client.member
    held = Referral.objects.create(referrer=referrer, friend=friend, code=code_for(referrer), via=Referral.Via.LINK,
                                   qualified_at=timezone.now(), review=Referral.Review.FLAGGED)
    FraudFlag.objects.create(referral=held, rule=FraudFlag.Rule.SAME_NETWORK)
    make_reward(held, side=Reward.Side.FRIEND, state=Reward.State.FLAGGED, points=250)
    make_reward(held, side=Reward.Side.REFERRER, state=Reward.State.FLAGGED)
    html = member_client.get(reverse(PAGE)).content.decode()
    assert "Our team checks this one by hand." in html
    assert "same internet connection as you" not in html and "Why:" not in html

    held.review, held.review_reason = Referral.Review.REJECTED, "Kind Referrer invited themself."
    held.save()
    Reward.objects.filter(referral=held).update(state=Reward.State.REJECTED, reason="rejected")
    html = member_client.get(reverse(PAGE)).content.decode()
    assert "Our team checked this reward and did not approve it." in html
    assert "invited themself" not in html and "Reason:" not in html

    # the referrer still reads both
    from referrals.selectors import referral_rewards

    line = referral_rewards(referrer)[0]
    assert "Reason: Kind Referrer invited themself." in line.explanation
    Reward.objects.filter(referral=held).update(state=Reward.State.FLAGGED, reason="")
    line = referral_rewards(referrer)[0]
    assert any("same internet connection as you" in why for why in line.checks)
    assert referral_rewards(friend)[0].checks == ()


def test_a_member_sees_only_their_own(member_client):
    other = MemberFactory()
    make_reward(make_referral(other, name="Someone Elses Friend"))
    code_for(member_client.member)
    html = member_client.get(reverse(PAGE)).content.decode()
    assert "Someone Elses Friend" not in html
    assert "Nobody yet." in html and "No rewards yet." in html


def test_the_terms_and_offer_show(member_client):
    programme = ReferralProgramme.load()
    programme.terms = "<p>Be nice to each other.</p>"
    programme.save()
    html = member_client.get(reverse(PAGE)).content.decode()
    assert programme.headline in html and "Be nice to each other." in html
    assert "Rewards stay pending for 30 days after the order" in html


def test_the_query_count_does_not_grow_with_clicks_friends_and_rewards(member_client, assert_queries):
    member = member_client.member
    code = code_for(member)
    make_reward(make_referral(member, name="First Friend"))  # one of each, so every query runs
    member_client.get(reverse(PAGE))  # warm the menu cache

    def grow():
        Click.objects.bulk_create([Click(code=code, channel=c, token=uuid.uuid4()) for c in ["x", "qr", "email"] * 5])
        for n in range(4):
            referral = make_referral(member, name=f"Friend {n}")
            FraudFlag.objects.create(referral=referral, rule=FraudFlag.Rule.SAME_DEVICE)
            make_reward(referral, state=[Reward.State.PENDING, Reward.State.FLAGGED][n % 2])
        make_referral(member, qualified=False)

    # session, member, code, programme, clicks by channel, referral counts, friends, rewards,
    # their flags, the ledger balance
    assert_queries(10, lambda: member_client.get(reverse(PAGE)), grow=grow, keep_cache=True)


# --- entries elsewhere --------------------------------------------------------------------------

def test_the_members_dashboard_links_here(member_client):
    html = member_client.get(reverse("members:dashboard")).content.decode()
    assert f'href="{reverse(PAGE)}"' in html and "Refer a friend" in html


def test_the_home_page_invites_members_and_visitors(client, member):
    html = client.get("/").content.decode()
    assert f'href="{reverse(PAGE)}"' in html and "Log in to get your link" in html
    login = client.get(reverse(PAGE))  # a visitor following it signs in first
    assert login["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    html = client.get("/").content.decode()
    assert f'href="{reverse(PAGE)}"' in html and "Get your link" in html
