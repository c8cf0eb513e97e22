"""The free-shipping benefit of a tier: a code made when a member reaches the tier, one per tier
period whatever runs twice, pushed to the shop by the outbound webhook, withdrawn when the member
leaves the tier, shown on /me/points/, its use noted from the shop's orders, in the export."""

import pytest
from django.urls import reverse

from referrals.loyalty import earning, perks, tiers
from referrals.loyalty.models import LoyaltyAccount, ShippingCode, Tier
from referrals.loyalty.privacy import loyalty_erase, loyalty_export
from shop.models import OutboundDelivery
from tests.referrals.loyalty.helpers import DAY, T0, Kind, earn, paid_order

pytestmark = pytest.mark.django_db
YEAR = 365 * DAY


@pytest.fixture
def free_shipping(loyalty):
    Tier.objects.filter(name__in=["Insider", "VIP"]).update(free_shipping=True)
    return loyalty


def created_events():
    return list(OutboundDelivery.objects.filter(event="discount_code.created").order_by("pk"))


def test_reaching_the_tier_makes_one_code_and_tells_the_shop(free_shipping, member):
    earn(member, 990, "loyalty:review:0", at=T0)
    earning.award(member, Kind.REVIEW, 10, source_key="loyalty:review:1", now=T0)
    code = ShippingCode.objects.get(member=member)
    assert code.code.startswith("SHIP-") and len(code.code) == len("SHIP-") + 19
    assert code.tier.name == "Insider" and code.state == "ready"
    assert code.period_start == LoyaltyAccount.objects.get(member=member).tier_since
    (event,) = created_events()
    assert event.idempotency_key == f"discount_code.created:{code.code}"
    assert event.payload == {"code": code.code, "kind": "free_shipping", "value": None, "currency": None,
                             "usage_limit": None, "expires_at": None, "origin": "loyalty_tier",
                             "customer_email": member.email}


def test_replays_and_the_nightly_run_make_no_second_code(free_shipping, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    for _ in range(3):
        tiers.tier_update(member, now=T0)
        tiers.tiers_recompute(now=T0 + DAY)
        assert perks.shipping_codes_catch_up(now=T0 + DAY) == {"made": 0, "withdrawn": 0}
    assert ShippingCode.objects.filter(member=member).count() == 1
    assert len(created_events()) == 1


def test_a_tier_without_free_shipping_makes_none(loyalty, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    tiers.tier_update(member, now=T0)
    assert not ShippingCode.objects.exists() and not created_events()


def test_moving_up_to_another_free_shipping_tier_is_a_new_period(free_shipping, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    tiers.tier_update(member, now=T0)
    first = ShippingCode.objects.get(member=member)
    earn(member, 2000, "loyalty:review:1", at=T0 + DAY)
    tiers.tier_update(member, now=T0 + DAY)
    first.refresh_from_db()
    assert first.state == "cancelled"  # the Insider one gives way to the VIP one
    new = ShippingCode.objects.get(member=member, state="ready")
    assert new.tier.name == "VIP"
    cancelled = OutboundDelivery.objects.get(event="discount_code.cancelled")
    assert cancelled.payload == {"code": first.code, "reason": "tier_ended"}


def test_moving_down_withdraws_an_unused_code_and_coming_back_makes_a_new_one(free_shipping, member):
    earn(member, 1200, "loyalty:review:1", at=T0)
    tiers.tier_update(member, now=T0)
    code = ShippingCode.objects.get(member=member)
    left = T0 + YEAR
    tiers.tiers_recompute(now=left)  # announced: still Insider, the code holds
    code.refresh_from_db()
    assert code.state == "ready"
    tiers.tiers_recompute(now=left + 30 * DAY)  # moved down
    code.refresh_from_db()
    assert code.state == "cancelled" and code.closed_at == left + 30 * DAY
    earn(member, 1000, "loyalty:review:2", at=left + 40 * DAY)
    tiers.tier_update(member, now=left + 40 * DAY)
    assert ShippingCode.objects.filter(member=member, state="ready").count() == 1
    assert ShippingCode.objects.filter(member=member).count() == 2


def test_catch_up_follows_the_editors_switch(loyalty, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    tiers.tier_update(member, now=T0)
    Tier.objects.filter(name="Insider").update(free_shipping=True)
    assert perks.shipping_codes_catch_up(now=T0 + DAY) == {"made": 1, "withdrawn": 0}
    Tier.objects.filter(name="Insider").update(free_shipping=False)
    assert perks.shipping_codes_catch_up(now=T0 + 2 * DAY) == {"made": 0, "withdrawn": 1}
    assert ShippingCode.objects.get(member=member).state == "cancelled"


def test_the_points_page_shows_the_code(free_shipping, member_client):
    member = member_client.member
    earn(member, 1000, "loyalty:review:0")
    tiers.tier_update(member)
    code = ShippingCode.objects.get(member=member)
    html = member_client.get(reverse("referrals:points")).content.decode()
    assert f'id="free-shipping-code" type="text" value="{code.code}" readonly' in html
    assert 'data-code-copy="free-shipping-code"' in html


def test_an_order_with_the_code_notes_its_use_and_it_stays_good(free_shipping, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    tiers.tier_update(member, now=T0)
    code = ShippingCode.objects.get(member=member)
    order = paid_order(member, discount_codes=[code.code.lower(), "OTHER"])
    assert perks.shipping_codes_mark_used(order, now=T0 + DAY) == 1
    code.refresh_from_db()
    assert code.state == "ready" and code.used_at == T0 + DAY
    assert perks.member_shipping_code(member) == code  # for the next order too


def test_export_and_deletion(free_shipping, member):
    earn(member, 1000, "loyalty:review:0", at=T0)
    tiers.tier_update(member, now=T0)
    code = ShippingCode.objects.get(member=member)
    exported = loyalty_export(member)["free_shipping_codes"]
    assert [row["code"] for row in exported] == [code.code] and exported[0]["tier"] == "Insider"
    loyalty_erase(member)
    code.refresh_from_db()
    assert code.state == "cancelled"
    assert OutboundDelivery.objects.filter(event="discount_code.cancelled").count() == 1
