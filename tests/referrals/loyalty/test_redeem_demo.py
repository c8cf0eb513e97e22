"""The loyalty demo (referrals.loyalty.demo): members in each tier, redemption options, codes that
are used, ready and expired (points back), an expiring balance whose warning went out, and one
adjustment; through the services, so the ledger reconciles; `load_demo` twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.members.models import Notification
from referrals.ledger import reconcile
from referrals.loyalty import demo
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.redeem_permissions import can_adjust_points, can_see_loyalty_report
from referrals.models import DiscountCode, LedgerEntry, RedemptionOption
from shop.models import OutboundDelivery
from shop.outbound import outbound_send_due

pytestmark = pytest.mark.django_db


def _state():
    return {
        "codes": sorted(DiscountCode.objects.values_list("member__username", "state", "points")),
        "ledger": LedgerEntry.objects.count(), "options": RedemptionOption.objects.count(),
        "outbound": OutboundDelivery.objects.count(),
        "tiers": sorted(LoyaltyAccount.objects.filter(member__username__in=list(demo.EARNED))
                        .values_list("member__username", "tier__name")),
    }


def test_load_demo_twice_gives_tiers_codes_and_an_expiring_balance():
    first = StringIO()
    call_command("load_demo", stdout=first)
    assert "Demo loyalty: 3 redemption options" in first.getvalue()
    after = _state()
    call_command("load_demo", stdout=StringIO())
    assert _state() == after

    tiers = dict(after["tiers"])
    assert tiers["eleni"] == "VIP" and tiers["maya"] == "Insider" and tiers["asne"] == "Member"
    codes = after["codes"]
    assert ("eleni", "used", 1000) in codes and ("eleni", "ready", 500) in codes
    assert ("maya", "ready", 500) in codes and ("asne", "expired", 500) in codes
    assert LedgerEntry.objects.filter(kind="code_refund", member__username="asne").count() == 1
    assert Notification.objects.filter(recipient__username="zoltan", source_key__startswith="loyalty:expiry-warning").exists()
    assert OutboundDelivery.objects.filter(event="discount_code.created").count() >= 4
    # unconfigured (the embedded default): the events wait, and say why
    assert outbound_send_due() == 0
    assert not OutboundDelivery.objects.exclude(state="pending").exists()
    assert not OutboundDelivery.objects.filter(last_error="").exists()
    assert reconcile() == []
    staff = demo.get_user_model().objects.get(username="referrals")
    assert can_see_loyalty_report(staff) and can_adjust_points(staff)
    assert LedgerEntry.objects.filter(kind="adjustment", member__username="jonas").count() == 1
