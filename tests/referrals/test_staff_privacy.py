"""Referral data in a member's export and on deletion (issue 12, item 9): the export's `referrals`
section holds everything kept about the member; deleting the account kills their link and erases
what README.md says goes, keeping the referrals, rewards and ledger entries for the shop's records."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from community.members.services import member_delete
from referrals import services
from referrals.codes import code_for, code_lookup, referral_url
from referrals.models import Click, FraudFlag, LedgerEntry, Referral, ReferralCode, Reward, Sighting
from tests.factories import MemberFactory
from tests.referrals import staff_data

pytestmark = pytest.mark.django_db

NAME, EMAIL, USERNAME = "Erinys Quillfeather", "erin.private@example.org", "erinq"
BROWSER = "Mozilla/5.0 (Erin's very own tablet) zebra-7731"
IP_HASH, DEVICE_HASH = "a" * 64, "d" * 64
REASON = "Erinys Quillfeather and her sister share a flat"


@pytest.fixture
def erin(db):
    """Erin was referred by Rob (through a WhatsApp click from her tablet), refers two friends of
    her own (one rewarded and approved, one flagged and rejected with a reason), and was seen
    signing in."""
    rob = MemberFactory(username="rob", display_name="Rob Referrer")
    erin = MemberFactory(username=USERNAME, email=EMAIL, display_name=NAME)
    staff_data.clicks(rob, 1, channel="whatsapp", ip_hash=IP_HASH, user_agent=BROWSER)
    click = Click.objects.get(user_agent=BROWSER)
    Referral.objects.create(referrer=rob, friend=erin, code=code_for(rob), via="link", channel="whatsapp", click=click)
    staff_data.clicks(erin, 3, channel="qr", ip_hash=IP_HASH, user_agent=BROWSER)
    staff_data.clicks(erin, 1, channel="email")
    fay = MemberFactory(username="fay", display_name="Fay Friend", email="fay.secret@example.org")
    staff_data.referral(erin, fay, channel="qr", reward="approved")
    sis = MemberFactory(username="sis", display_name="Sis")
    flagged = staff_data.referral(erin, sis, reward="flagged", flags=[(FraudFlag.Rule.SAME_NETWORK, f"{NAME}'s flat")])
    services.referral_review(flagged, approve=False, reason=REASON, staff=MemberFactory(is_staff=True))
    Sighting.objects.create(member=erin, ip_hash=IP_HASH, device_hash=DEVICE_HASH)
    return erin


def test_the_export_has_a_referrals_section(erin):
    client = Client()
    client.force_login(erin)
    section = client.get("/me/data.json").json()["referrals"]
    code = ReferralCode.objects.get(member=erin)
    assert section["code"]["code"] == code.code and section["code"]["link"] == referral_url(code)
    assert section["clicks_by_channel"] == {"email": 1, "qr": 3}
    friends = {f["name"]: f for f in section["friends_referred"]}
    assert set(friends) == {"Fay Friend", "Sis"}
    assert "fay.secret@example.org" not in str(section) and "fay" not in [f.get("username") for f in friends.values()]
    assert friends["Sis"]["review"] == "rejected" and friends["Sis"]["review_reason"] == REASON
    assert section["referred_by"]["name"] == "Rob Referrer" and section["referred_by"]["channel"] == "whatsapp"
    assert {(r["for"], r["state"]) for r in section["rewards"]} == {("referrer", "approved"), ("referrer", "rejected")}
    assert sum(e["points"] for e in section["ledger"] if e["status"] == "approved") == 500
    assert len(section["ledger"]) == LedgerEntry.objects.filter(member=erin).count()
    assert section["sightings"] == [{"at": Sighting.objects.get().at.isoformat(), "ip_address_hash": IP_HASH,
                                     "device_hash": DEVICE_HASH}]


def test_referred_by_leaves_out_what_is_the_referrers(erin):
    """Staff's review of Erin's own sign-up, the reason written to Rob and why Rob got no reward are
    Rob's: Erin's export says who referred her and how, not those. Her own referrals keep them."""
    Referral.objects.filter(friend=erin).update(review=Referral.Review.REJECTED, no_reward=Referral.NoReward.REJECTED,
                                                review_reason="Rob and Erin look like one person")
    from referrals.privacy import referrals_export

    section = referrals_export(erin)
    referred_by = section["referred_by"]
    assert referred_by["name"] == "Rob Referrer" and referred_by["how"] == "link"
    assert not {"review", "review_reason", "no_reward"} & set(referred_by)
    assert "look like one person" not in str(section)
    for friend in section["friends_referred"]:
        assert {"review", "review_reason", "no_reward"} <= set(friend)


def test_a_member_without_referrals_has_an_empty_section(member_client):
    section = member_client.get("/me/data.json").json()["referrals"]
    assert section == {"code": None, "clicks_by_channel": {}, "friends_referred": [], "referred_by": None,
                       "rewards": [], "ledger": [], "thank_you_email_sent_at": None, "sightings": []}


def _hits(needles):
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            if not table.startswith("referrals_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and any(n.lower() in value.lower() for n in needles):
                        hits.append((table, column, value[:80]))
    return hits


def test_deletion_kills_the_link_and_keeps_the_shops_records(erin, client):
    code = ReferralCode.objects.get(member=erin)
    rewards = list(Reward.objects.filter(member=erin).values_list("pk", "state", "points"))
    entries = list(LedgerEntry.objects.filter(member=erin).values_list("pk", "points", "source_key"))
    needles = [NAME, EMAIL, USERNAME, BROWSER, IP_HASH, DEVICE_HASH, REASON, code.code]
    assert _hits(needles)
    member_delete(erin)

    assert _hits(needles) == []
    assert code_lookup(code.code) is None
    assert client.get(reverse("referrals:go", kwargs={"code": code.code})).status_code in (302, 404)
    assert not Click.objects.filter(code__member=erin).exists() and not Sighting.objects.filter(member=erin).exists()
    assert Click.objects.filter(channel="whatsapp").count() == 1  # Rob's click stays, without Erin's traces
    # kept: who referred whom, the rewards and the append-only ledger
    assert Referral.objects.filter(referrer=erin).count() == 2 and Referral.objects.filter(friend=erin).exists()
    # rewards not yet approved are voided (nobody is left to receive them), approved ones stay as they were
    assert rewards and [(pk, "void" if state in ("pending", "flagged") else state, points)
                        for pk, state, points in rewards] == list(
        Reward.objects.filter(member=erin).values_list("pk", "state", "points"))
    after = list(LedgerEntry.objects.filter(member=erin).values_list("pk", "points", "source_key"))
    assert set(entries) <= set(after)  # append-only: every entry is still there, voids are new ones
    assert all(":void" in key for _pk, _points, key in set(after) - set(entries))
    assert set(FraudFlag.objects.values_list("rule", flat=True)) == {FraudFlag.Rule.SAME_NETWORK}
    assert Referral.objects.get(friend__username="sis").review == Referral.Review.REJECTED


def test_the_export_query_count_does_not_grow(erin, assert_queries):
    from referrals.privacy import referrals_export

    def more():
        for _ in range(3):
            staff_data.referral(erin, reward="approved")
        staff_data.clicks(erin, 5, channel="x")
        Sighting.objects.create(member=erin, ip_hash="b" * 64)

    assert_queries(9, lambda: referrals_export(erin), grow=more)


def test_codes_a_deleted_member_chose_stay_reserved_for_nobody(settings):
    """Links with a departed member's chosen codes still circulate: they open nothing (unknown
    link), and no other member can choose them and collect the credit."""
    from django.core.exceptions import ValidationError

    from referrals.codes import vanity_set
    from referrals.models import RetiredVanity

    settings.REFERRAL_VANITY_CHANGES_PER_MONTH = 10
    leaving, other = MemberFactory(), MemberFactory()
    vanity_set(leaving, "linen-days")
    vanity_set(leaving, "wool-days")
    member_delete(leaving)
    kept = list(RetiredVanity.objects.values_list("vanity", "code"))
    assert len(kept) == 2 and all(v.startswith("h:") and code is None for v, code in kept)  # hashes, not names
    for chosen in ("linen-days", "wool-days"):
        assert code_lookup(chosen) is None
        with pytest.raises(ValidationError) as error:
            vanity_set(other, chosen)
        assert error.value.code == "taken"
