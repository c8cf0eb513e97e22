"""Redemption in the member's data: codes in the export's `loyalty` section; on deletion the codes
stay valid (bearer codes, no personal data) and expire without a refund, and staff's written
reasons on the member's adjustments go (ledger note and log), their points stay."""

import pytest
from wagtail.models import ModelLogEntry

from community.members.services import member_delete
from referrals import ledger
from referrals.loyalty import redemption
from referrals.loyalty.privacy import loyalty_export
from referrals.models import DiscountCode, LedgerEntry
from tests.factories import MemberFactory
from tests.referrals.loyalty.redeem_helpers import option_make

pytestmark = pytest.mark.django_db


def test_codes_are_in_the_export(settings):
    settings.SHOP_OUTBOUND_URL = ""
    member = MemberFactory()
    redemption.points_adjust(member, 1000, reason="welcome back", staff=MemberFactory(is_staff=True))
    code, _ = redemption.points_redeem(member, option_make(points=500, value="5.00").pk)
    exported = loyalty_export(member)["discount_codes"]
    assert exported == [{"code": code.code, "value": "5.00", "currency": "EUR", "points": 500, "state": "ready",
                         "created_at": code.created_at.isoformat(), "expires_at": code.expires_at.isoformat(),
                         "used_at": None, "closed_at": None}]


def test_deletion_keeps_codes_valid_and_blanks_staff_reasons(settings):
    settings.SHOP_OUTBOUND_URL = ""
    member = MemberFactory(username="erinq", display_name="Erinys Quillfeather")
    staff = MemberFactory(is_staff=True)
    redemption.points_adjust(member, 1000, reason="Goodwill for Erinys Quillfeather", staff=staff)
    code, _ = redemption.points_redeem(member, option_make(points=500).pk)
    member_delete(member)
    code.refresh_from_db()
    assert code.state == "ready" and DiscountCode.objects.count() == 1
    adjustment = LedgerEntry.objects.get(kind="adjustment")
    assert adjustment.points == 1000 and adjustment.note == ""
    log = ModelLogEntry.objects.get(action=redemption.ADJUST_ACTION)
    assert "Quillfeather" not in str(log.data) and "Quillfeather" not in log.label
    assert redemption.codes_expire(now=code.expires_at + redemption.datetime.timedelta(days=3)) == 1
    assert not LedgerEntry.objects.filter(kind="code_refund").exists()
    assert ledger.reconcile() == []
