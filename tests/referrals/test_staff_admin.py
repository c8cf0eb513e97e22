"""Referrals in the Wagtail admin (issue 12, items 5 and 6): who may open each view (each actor's
exact answer), read-only lists of referrals, rewards and the ledger, the queue of flagged referrals
with approve / reject, and fixed query counts."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import NoReverseMatch, reverse

from referrals.models import FraudFlag, LedgerEntry, Referral, Reward
from referrals.staff_permissions import STAFF_GROUP, can_report, can_review, staff_grant
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory
from tests.referrals import staff_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return staff_grant(MemberFactory(username="refstaff", display_name="Referral Staff"))


@pytest.fixture
def editor(db):
    """Staff with access to the Wagtail admin, but none of the referral permissions."""
    member = MemberFactory(username="editor", is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return member


@pytest.fixture
def actors(staff, editor):
    return {"staff": staff, "superuser": MemberFactory(username="root", is_staff=True, is_superuser=True),
            "editor": editor, "member": MemberFactory(username="plain"), "visitor": None}


@pytest.fixture
def flagged(db):
    alice = MemberFactory(username="alice", display_name="Alice Referrer", email="alice@example.com")
    friend = MemberFactory(username="alice2", display_name="Second Alice", email="a.lice+2@example.com")
    return staff_data.referral(alice, friend, reward=Reward.State.FLAGGED, flags=[
        (FraudFlag.Rule.SAME_MAILBOX, "alice@example.com and a.lice+2@example.com are one mailbox"),
        (FraudFlag.Rule.SAME_DEVICE, "signed up in the referrer's browser"),
    ])


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _pages(flagged):
    entry = LedgerEntry.objects.first()
    return [
        reverse("referrals_report:index"), reverse("referrals_review:index"),
        reverse("referrals_review:index") + "?review=rejected",
        reverse("referrals_referral:index"), reverse("referrals_referral:inspect", args=[flagged.pk]),
        reverse("referrals_reward:index"), reverse("referrals_ledger:index"),
        reverse("referrals_ledger:inspect", args=[entry.pk]),
    ]


def test_the_group_and_its_permissions_come_from_the_migration():
    group = Group.objects.get(name=STAFF_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"review_referral", "view_referral_report", "view_referral", "view_reward", "view_ledgerentry",
            "access_admin"} <= codenames
    assert not codenames & {"add_ledgerentry", "change_ledgerentry", "delete_ledgerentry"}


@pytest.mark.parametrize("who", ["staff", "superuser", "editor", "member", "visitor"])
def test_pages_by_actor(actors, who, flagged):
    client = _client(actors[who])
    for url in _pages(flagged):
        response = client.get(url)
        if who in ("staff", "superuser"):
            assert response.status_code == 200, url
        elif who == "editor":
            assert_admin_refused(response)
        else:
            assert_sent_to_sign_in(response)
        if who not in ("staff", "superuser"):
            assert b"Second Alice" not in response.content


@pytest.mark.parametrize("who", ["editor", "member", "visitor"])
def test_the_decision_is_refused_to_everyone_else(actors, who, flagged):
    response = _client(actors[who]).post(reverse("referrals_review:decide", args=[flagged.pk]),
                                          {"decision": "reject", "reason": "Same person"})
    if who == "editor":
        assert_admin_refused(response)
    else:
        assert_sent_to_sign_in(response)
    flagged.refresh_from_db()
    assert flagged.review == Referral.Review.FLAGGED and flagged.reviewed_by is None


def test_a_deleted_or_inactive_staff_member_may_not(staff):
    staff.is_active = False
    assert not can_review(staff) and not can_report(staff)
    assert not can_review(None)


def test_the_menu_is_for_referral_staff(actors):
    html = _client(actors["staff"]).get("/admin/").content.decode()
    for name in ("referrals_report:index", "referrals_review:index", "referrals_ledger:index"):
        assert reverse(name) in html
    html = _client(actors["editor"]).get("/admin/").content.decode()
    for name in ("referrals_report:index", "referrals_review:index", "referrals_ledger:index",
                 "referrals_reward:index"):
        assert reverse(name) not in html


def test_the_ledger_is_read_only_for_everyone(actors, flagged):
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"referrals_ledger:{name}", args=[1] if name != "add" else [])
    entry = LedgerEntry.objects.first()
    client = _client(actors["superuser"])
    html = client.get(reverse("referrals_ledger:inspect", args=[entry.pk])).content.decode()
    assert entry.source_key in html
    before = list(LedgerEntry.objects.values_list("pk", "points", "source_key"))
    for url in (reverse("referrals_ledger:index"), reverse("referrals_ledger:inspect", args=[entry.pk]),
                f"/admin/referrals/ledger/edit/{entry.pk}/", f"/admin/referrals/ledger/delete/{entry.pk}/"):
        assert client.post(url, {"points": 999999}).status_code in (404, 405)
    assert list(LedgerEntry.objects.values_list("pk", "points", "source_key")) == before


def test_lists_filter(staff):
    alice = MemberFactory(username="alice")
    staff_data.referral(alice, reward=Reward.State.APPROVED)
    staff_data.referral(alice, reward=Reward.State.PENDING, channel="whatsapp")
    client = _client(staff)
    html = client.get(reverse("referrals_reward:index") + "?state=approved").content.decode()
    assert html.count("WELCOME") == 1
    html = client.get(reverse("referrals_ledger:index") + "?status=approved").content.decode()
    assert html.count("reward:") == 1 and ":approve" in html
    html = client.get(reverse("referrals_referral:index") + "?channel=whatsapp").content.decode()
    assert "WhatsApp" in html


def test_the_queue_shows_flags_people_and_the_order(staff, flagged):
    html = _client(staff).get(reverse("referrals_review:index")).content.decode()
    assert "same mailbox as the referrer" in html
    assert "alice@example.com and a.lice+2@example.com are one mailbox" in html
    assert "signed up from the referrer&#x27;s browser" in html or "signed up from the referrer's browser" in html
    assert "Alice Referrer" in html and "Second Alice" in html and "a.lice+2@example.com" in html
    order = flagged.qualifying_order
    assert reverse("shop_order:inspect", args=[order.pk]) in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="{reverse("referrals_review:decide", args=[flagged.pk])}"' in html


def test_a_decision_is_post_only_and_checked(staff, flagged):
    client = _client(staff)
    url = reverse("referrals_review:decide", args=[flagged.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 302
    assert _messages(response) == ["Say why the referral is rejected: the referrer sees the reason."]
    response = client.post(url, {"decision": "reject", "reason": "x" * 301})
    assert response.status_code == 302 and _messages(response)
    assert client.post(reverse("referrals_review:decide", args=[999999]), {"decision": "approve"}).status_code == 404
    flagged.refresh_from_db()
    assert flagged.review == Referral.Review.FLAGGED


def test_csrf_is_required(staff, flagged):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("referrals_review:decide", args=[flagged.pk]), {"decision": "approve"})
    assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.review == Referral.Review.FLAGGED


def test_the_queue_query_count_does_not_grow(staff, flagged, assert_queries):
    client = _client(staff)
    alice = flagged.referrer

    def more():
        for _ in range(4):
            staff_data.referral(alice, reward=Reward.State.FLAGGED, flags=[(FraudFlag.Rule.SAME_NETWORK, "office"),
                                                                          (FraudFlag.Rule.BURST, "6 in an hour")])

    assert_queries(QUEUE_QUERIES, lambda: client.get(reverse("referrals_review:index")), grow=more)


QUEUE_QUERIES = 15  # + the brand setting and the Loyalty and Reviews menus
LIST_QUERIES = {"referrals_referral:index": 13, "referrals_reward:index": 13, "referrals_ledger:index": 13}


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_the_lists_query_counts_do_not_grow(staff, flagged, assert_queries, name):
    client = _client(staff)

    def more():
        for n in range(4):
            staff_data.referral(flagged.referrer, reward=Reward.State.APPROVED,
                                at=flagged.created_at - datetime.timedelta(days=n + 1))

    assert_queries(LIST_QUERIES[name], lambda: client.get(reverse(name)), grow=more)


def test_rejecting_voids_the_rewards_and_the_referrer_reads_the_reason(staff, flagged):
    response = _client(staff).post(reverse("referrals_review:decide", args=[flagged.pk]),
                                   {"decision": "reject", "reason": "  Both accounts are the same person.  "})
    assert response.status_code == 302 and response["Location"] == reverse("referrals_review:index")
    flagged.refresh_from_db()
    assert (flagged.review, flagged.review_reason, flagged.reviewed_by) == (
        Referral.Review.REJECTED, "Both accounts are the same person.", staff)
    assert set(flagged.rewards.values_list("state", flat=True)) == {Reward.State.REJECTED}
    html = _client(staff).get(reverse("referrals_review:index") + "?review=rejected").content.decode()
    assert "Both accounts are the same person." in html and "Referral Staff" in html
    # decided once: a second decision changes nothing
    response = _client(staff).post(reverse("referrals_review:decide", args=[flagged.pk]), {"decision": "approve"})
    assert _messages(response) == ["That referral was already decided."]
    flagged.refresh_from_db()
    assert flagged.review == Referral.Review.REJECTED


def test_approving_lets_the_rewards_go_on(staff, flagged):
    response = _client(staff).post(reverse("referrals_review:decide", args=[flagged.pk]), {"decision": "approve"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.review == Referral.Review.APPROVED and flagged.reviewed_by == staff
    assert set(flagged.rewards.values_list("state", flat=True)) == {Reward.State.PENDING}
    assert "Nothing is waiting" in _client(staff).get(reverse("referrals_review:index")).content.decode()
