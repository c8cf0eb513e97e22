"""The registry of notification kinds: each app registers its own, and a kind registered by an app
alone (here a pretend wishlists app) shows on the preferences page, in the e-mail digest and in
unsubscribe links, with nothing in members edited."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.members.models import Notification, NotificationPreference
from community.members.notification_kinds import (
    UnknownNotificationKind,
    notification_kind_get,
    notification_kind_groups,
    notification_kind_is_registered,
    notification_kind_register,
    notification_kinds,
    notification_kinds_isolated,
)
from community.members.selectors import notification_preferences_for_member
from community.members.services import notification_send
from community.members.tokens import TokenInvalid, unsubscribe_token_make, unsubscribe_token_read
from tests.factories import MemberFactory

PREFERENCES = reverse("members:notification_preferences")


def register_review_kind(**changes):
    """What a wishlists app would do in its AppConfig.ready()."""
    data = {"label": _("Wishlist saves"), "group": _("Wishlists"), "order": 350, "email_by_default": True,
            "help_text": _("Someone saved your look to their wishlist.")}
    data.update(changes)
    return notification_kind_register("wish_saved", **data)


@pytest.fixture
def review_kind():
    with notification_kinds_isolated():
        yield register_review_kind()


def send(member, kind="wish_saved", key="wishlists:1:saved"):
    return notification_send(member, kind, url="/products/linen-shirt/#review-1", title="Ελένη saved your look",
                             source_key=key)


def unsubscribe_path(token):
    return reverse("members:notification_unsubscribe", args=[token])


# --- The registry -------------------------------------------------------------------------------

def test_the_apps_register_todays_kinds_in_todays_order():
    kinds = notification_kinds()
    referrals = ["ref_friend_joined", "ref_reward_approved", "referral_ask"]
    reviews = ["review_request", "review_reply", "review_helpful", "review_approved", "review_rejected"]
    photos = ["post_comment", "post_mention", "post_like", "post_followed_tag", "post_approved", "post_rejected",
              "post_featured"]
    loyalty = ["loy_tier_up", "loy_tier_down", "loy_expiry_warning"]
    lifecycle = ["lifecycle_care_tips", "lifecycle_birthday", "lifecycle_win_back", "lifecycle_digest", "lifecycle_surveys"]
    play = ["play_badge", "play_challenge"]
    # referral_ask (order 470) is listed after loyalty's kinds, and under its group, Referrals
    assert [k.code for k in kinds] == ["reply", "mention", "quote", "solved", "like", *photos, *reviews, *referrals[:2],
                                       *loyalty, "referral_ask", *play, *lifecycle, "moderation", "system"]
    assert {k.code for k in kinds if k.email_by_default} == {
        "reply", "mention", "solved", "post_comment", "post_mention", "post_approved", "post_rejected", "post_featured",
        "review_request", "review_reply", "review_rejected", *referrals, *loyalty, "play_challenge", "moderation",
        *(code for code in lifecycle if code != "lifecycle_digest")}  # the weekly digest is opt-in
    assert [(str(g.label), [k.code for k in g.kinds]) for g in notification_kind_groups()] == [
        ("Forum", ["reply", "mention", "quote", "solved", "like"]),
        ("Photo posts", photos),
        ("Product reviews", reviews),
        ("Referrals", referrals),
        ("Points and tiers", loyalty),
        ("Badges and challenges", play),
        ("E-mails from us", lifecycle),
        ("Account and site", ["moderation", "system"]),
    ]
    assert str(notification_kind_get("solved").label) == "Solutions"


@pytest.mark.parametrize("code, ok", [
    ("wish_saved", True), ("x", True), ("a1_b2", True), ("x" * 20, True),
    ("", False), ("x" * 21, False), ("Review", False), ("1st", False), ("_x", False), ("review-helpful", False),
    ("review helpful", False), ("κριτική", False), ("reply\n", False), (None, False), (7, False),
])
def test_kind_codes(code, ok):
    with notification_kinds_isolated():
        if ok:
            assert notification_kind_register(code, label="L", group="G", order=1).code == code
        else:
            with pytest.raises(ImproperlyConfigured):
                notification_kind_register(code, label="L", group="G", order=1)


def test_registering_the_same_kind_again_changes_nothing(review_kind):
    assert register_review_kind() == review_kind
    assert [k.code for k in notification_kinds()].count("wish_saved") == 1


@pytest.mark.parametrize("changes", [
    {"label": _("Likes")}, {"group": _("Forum")}, {"order": 311}, {"email_by_default": False}, {"help_text": ""},
])
def test_registering_a_code_twice_with_other_data_is_refused(review_kind, changes):
    with pytest.raises(ImproperlyConfigured, match="wish_saved"):
        register_review_kind(**changes)
    assert notification_kind_get("wish_saved") == review_kind


def test_an_app_cannot_take_over_another_apps_kind():
    with notification_kinds_isolated(), pytest.raises(ImproperlyConfigured, match="'reply'"):
        notification_kind_register("reply", label=_("Wishlist replies"), group=_("Wishlists"), order=320)
    assert str(notification_kind_get("reply").group) == "Forum"


def test_an_unknown_kind_is_a_clear_key_error_and_value_error():
    for code in ("poke", "", None, ["reply"]):
        with pytest.raises(UnknownNotificationKind) as caught:
            notification_kind_get(code)
        assert isinstance(caught.value, KeyError) and isinstance(caught.value, ValueError)
        assert not notification_kind_is_registered(code)
    assert str(UnknownNotificationKind("poke")) == "no notification kind 'poke' is registered"


def test_isolated_forgets_what_was_registered_inside():
    before = notification_kinds()
    with notification_kinds_isolated():
        register_review_kind()
        assert notification_kind_is_registered("wish_saved")
    assert notification_kinds() == before and not notification_kind_is_registered("wish_saved")


def test_the_order_decides_where_a_kind_and_its_group_are_listed():
    with notification_kinds_isolated():
        register_review_kind()
        notification_kind_register("loyalty_tier", label="Tiers", group="Rewards", order=50)
        notification_kind_register("wish_shared", label="Shares", group=_("Wishlists"), order=345)
        codes = [k.code for k in notification_kinds()]
        assert codes[:2] == ["loyalty_tier", "reply"]
        assert codes[-15:] == ["ref_friend_joined", "ref_reward_approved", "loy_tier_up", "loy_tier_down",
                               "loy_expiry_warning", "referral_ask", "play_badge", "play_challenge",
                               "lifecycle_care_tips", "lifecycle_birthday", "lifecycle_win_back", "lifecycle_digest",
                               "lifecycle_surveys", "moderation", "system"]
        assert codes[-17:-15] == ["wish_shared", "wish_saved"]
        assert [str(g.label) for g in notification_kind_groups()] == [
            "Rewards", "Forum", "Photo posts", "Product reviews", "Wishlists", "Referrals", "Points and tiers",
            "Badges and challenges", "E-mails from us", "Account and site"]


# --- Unknown kinds are refused everywhere -------------------------------------------------------

def test_unknown_kinds_are_refused_by_the_services_and_the_tokens(member):
    with pytest.raises(UnknownNotificationKind):
        send(member, kind="poke")
    with pytest.raises(UnknownNotificationKind):
        unsubscribe_token_make(member, ["reply", "poke"])
    from community.members.notifications import notification_preferences_save

    with pytest.raises(UnknownNotificationKind):
        notification_preferences_save(member, {"poke": (True, True)})
    assert not Notification.objects.exists() and not NotificationPreference.objects.exists()


def test_a_token_for_a_kind_no_longer_registered_is_invalid(member):
    with notification_kinds_isolated():
        register_review_kind()
        token = unsubscribe_token_make(member, ["reply", "wish_saved"])
        assert unsubscribe_token_read(token) == (member.pk, ["reply", "wish_saved"])
    with pytest.raises(TokenInvalid):
        unsubscribe_token_read(token)
    response = Client().post(unsubscribe_path(token))
    assert response.status_code == 400 and "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_what_a_removed_kind_left_behind_breaks_nothing(member_client):
    member = member_client.member
    with notification_kinds_isolated():
        register_review_kind()
        send(member)
        member_client.post(PREFERENCES, {"wish_saved_in_app": "on", "reply_in_app": "on"})
    # the reviews app is gone: its notification still lists, its preference is ignored
    response = member_client.get(reverse("members:notifications"))
    assert response.status_code == 200 and "Ελένη saved your look" in response.content.decode()
    assert "wish_saved" not in notification_preferences_for_member(member)
    response = member_client.get(PREFERENCES)
    assert response.status_code == 200 and "wish_saved" not in response.content.decode()
    assert member_client.get(reverse("members:data_export")).status_code == 200


# --- A kind from its own app alone --------------------------------------------------------------

def test_a_new_kind_shows_on_the_preferences_page_under_its_group(member_client, review_kind):
    html = member_client.get(PREFERENCES).content.decode()
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings == ["Forum", "Photo posts", "Product reviews", "Wishlists", "Referrals", "Points and tiers",
                        "Badges and challenges", "E-mails from us", "Account and site"]
    wishlists = html[html.index("<h2>Wishlists</h2>"):html.index("<h2>Referrals</h2>")]
    assert "<legend>Wishlist saves</legend>" in wishlists and "Someone saved your look to their wishlist." in wishlists
    assert re.search(r'name="wish_saved_email"[^>]*checked', wishlists)  # e-mail on by default, as registered
    # the kinds are listed by group, in the registry's order within each
    main = html[html.index("<main"):html.index("</main>")]  # the footer's colour switch has a legend too
    legends = re.findall(r"<legend>([^<]+)</legend>", main)
    assert legends == [str(k.label) for group in notification_kind_groups() for k in group.kinds]

    member_client.post(PREFERENCES, {"wish_saved_in_app": "on"})
    pref = NotificationPreference.objects.get(member=member_client.member, kind="wish_saved")
    assert (pref.in_app, pref.email) == (True, False)


def test_an_email_only_kind_offers_no_on_the_site_choice(member_client):
    """Lifecycle e-mails are only ever e-mails: their rows have the e-mail checkbox alone."""
    html = member_client.get(PREFERENCES).content.decode()
    assert 'name="lifecycle_birthday_email"' in html and 'name="lifecycle_birthday_in_app"' not in html
    assert 'name="reply_in_app"' in html
    member_client.post(PREFERENCES, {"lifecycle_birthday_email": "on", "lifecycle_birthday_in_app": "on"})
    pref = NotificationPreference.objects.get(member=member_client.member, kind="lifecycle_birthday")
    assert (pref.in_app, pref.email) == (False, True)


def test_a_new_kind_switched_off_sends_nothing(member, review_kind, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(member=member, kind="wish_saved", in_app=False, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member) is None
    assert not Notification.objects.exists() and not mail.outbox


def test_a_new_kind_is_in_the_digest_with_its_label_and_its_own_unsubscribe_link(
    member, review_kind, settings, django_capture_on_commit_callbacks,
):
    settings.NOTIFICATION_EMAIL_BATCH_SECONDS = 0  # each notification is e-mailed at once
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member) is not None
    message = mail.outbox[0]
    link = re.search(r"^Wishlist saves: http://testserver(/notifications/unsubscribe/\S+/)$", message.body, re.M)
    assert link, message.body
    header = re.fullmatch(r"<http://testserver(/notifications/unsubscribe/[^>]+/)>", message.extra_headers["List-Unsubscribe"])

    # the link names the kind and stops its e-mail, and only its e-mail
    path = link.group(1)
    page = Client().get(path).content.decode()
    assert "<li>Wishlist saves</li>" in page
    assert header.group(1) == path  # the only kind in this e-mail
    assert Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    prefs = notification_preferences_for_member(member)
    assert (prefs["wish_saved"].in_app, prefs["wish_saved"].email) == (True, False)
    assert prefs["reply"].email is True
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member, key="wishlists:2:saved") is not None
    assert len(mail.outbox) == 1


def test_a_digest_with_several_apps_kinds_lists_them_in_registry_order(member, review_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(member, "moderation", url="/forum/", title="Hidden", source_key="m")
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        send(member)
    body = mail.outbox[0].body
    lines = re.findall(r"^([^:\n]+): http://testserver/notifications/unsubscribe/", body, re.M)
    assert lines == ["Wishlist saves", "Moderation"]


# --- Query count --------------------------------------------------------------------------------

def test_preferences_page_query_count_does_not_grow_with_kinds(member_client, assert_queries):
    member = member_client.member
    NotificationPreference.objects.create(member=member, kind="like", in_app=False, email=False)
    member_client.get(PREFERENCES)  # warm the site menu

    def more_kinds():
        for n in range(6):
            notification_kind_register(f"extra_{n}", label=f"Extra {n}", group=f"Group {n % 2}", order=500 + n)
            NotificationPreference.objects.create(member=member, kind=f"extra_{n}", in_app=True, email=True)

    with notification_kinds_isolated():
        # the session and member, the preferences
        response = assert_queries(3, lambda: member_client.get(PREFERENCES), grow=more_kinds, keep_cache=True)
    assert "<legend>Extra 5</legend>" in response.content.decode()


def test_the_other_members_choices_do_not_leak(member_client, review_kind):
    other = MemberFactory()
    NotificationPreference.objects.create(member=other, kind="wish_saved", in_app=False, email=False)
    html = member_client.get(PREFERENCES).content.decode()
    assert re.search(r'name="wish_saved_in_app"[^>]*checked', html)
