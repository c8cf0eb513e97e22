"""Redemption (referrals.loyalty.redemption): points into single-use discount codes in one
transaction with their ledger entry and the shop's event; refused without the points or for an
option that is off; codes unguessable and unique; used codes marked from the shop's orders;
unused expired codes give their points back; the friend's welcome code is pushed too."""

import datetime
import math
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from referrals import ledger, services
from referrals.loyalty import redemption
from referrals.loyalty.redemption import RedeemError, points_redeem
from referrals.models import CODE_ALPHABET, DiscountCode, LedgerEntry, ReferralProgramme, Reward
from shop.models import OutboundDelivery
from shop.signals import order_paid
from tests.factories import MemberFactory, OrderFactory
from tests.referrals.loyalty import redeem_helpers
from tests.referrals.loyalty.redeem_helpers import option_make, points_give

pytestmark = pytest.mark.django_db
shop_server = redeem_helpers.shop_server  # the fixture

DAY = datetime.timedelta(days=1)


@pytest.fixture
def rich(db):
    member = MemberFactory()
    points_give(member, 1200)
    return member


def test_redeeming_makes_a_code_takes_the_points_and_queues_the_shop_event(rich, django_capture_on_commit_callbacks,
                                                                          settings):
    settings.SHOP_OUTBOUND_URL = ""  # the event waits, visible
    option = option_make(points=500, value="5.00", valid_days=30)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        code, created = points_redeem(rich, option.pk, now=now)
    assert created and code.state == "ready" and code.points == 500 and code.value == Decimal("5.00")
    assert code.expires_at == now + 30 * DAY
    entry = LedgerEntry.objects.get(source_key=f"redeem:{code.pk}")
    assert (entry.points, entry.kind, entry.status) == (-500, "redemption", "approved")
    assert ledger.balance(rich).approved == 700
    event = OutboundDelivery.objects.get()
    assert event.idempotency_key == f"discount_code.created:{code.code}"
    assert event.payload == {"code": code.code, "kind": "fixed_amount", "value": "5.00", "currency": "EUR",
                             "usage_limit": 1, "expires_at": code.expires_at.isoformat(),
                             "origin": "loyalty_redemption"}
    assert ledger.reconcile() == []


def test_the_shop_gets_the_code_signed(rich, shop_server, django_capture_on_commit_callbacks):
    option = option_make()
    with django_capture_on_commit_callbacks(execute=True):
        code, _ = points_redeem(rich, option.pk)
    assert [data["code"] for data in shop_server.codes.values()] == [code.code]
    assert OutboundDelivery.objects.get().state == "sent"


@pytest.mark.parametrize(("balance", "cost", "ok"), [(499, 500, False), (500, 500, True), (501, 500, True),
                                                     (0, 1, False)])
def test_points_must_cover_the_option(balance, cost, ok):
    member = MemberFactory()
    if balance:
        points_give(member, balance)
    option = option_make(points=cost)
    if ok:
        points_redeem(member, option.pk)
        assert ledger.balance(member).approved == balance - cost
    else:
        with pytest.raises(RedeemError) as refused:
            points_redeem(member, option.pk)
        assert refused.value.code == "insufficient"
        assert DiscountCode.objects.count() == 0 and OutboundDelivery.objects.count() == 0
        assert ledger.balance(member).approved == balance


def test_pending_points_cannot_be_spent():
    member = MemberFactory()
    ledger.append(member, 1000, kind=LedgerEntry.Kind.ADJUSTMENT, status=LedgerEntry.Status.PENDING, source_key="p")
    with pytest.raises(RedeemError):
        points_redeem(member, option_make().pk)


def test_an_option_that_is_off_or_gone_is_refused(rich):
    off = option_make(enabled=False)
    for pk in (off.pk, 999999):
        with pytest.raises(RedeemError) as refused:
            points_redeem(rich, pk)
        assert refused.value.code == "unavailable"
    assert DiscountCode.objects.count() == 0


def test_inactive_or_deleted_members_cannot_redeem(rich):
    option = option_make()
    rich.is_active = False
    with pytest.raises(RedeemError):
        points_redeem(rich, option.pk)


def test_the_same_request_key_makes_one_code(rich):
    option = option_make()
    first, created = points_redeem(rich, option.pk, request_key="k1")
    again, created_again = points_redeem(rich, option.pk, request_key="k1")
    assert created and not created_again and again.pk == first.pk
    assert ledger.balance(rich).approved == 700


def test_codes_are_unguessable_and_unambiguous():
    codes = {redemption.code_new() for _ in range(2000)}
    assert len(codes) == 2000
    pattern = re.compile(rf"^PTS-[{CODE_ALPHABET}]{{4}}(-[{CODE_ALPHABET}]{{4}}){{3}}$")
    assert all(pattern.match(code) for code in codes)
    assert redemption.CODE_GROUPS * redemption.CODE_GROUP * math.log2(len(CODE_ALPHABET)) >= 60
    assert not set("01OIL") & set(CODE_ALPHABET)


def test_a_code_clash_draws_again(rich, monkeypatch):
    option = option_make(points=100)
    taken, _ = points_redeem(rich, option.pk)
    draws = iter([taken.code, "PTS-BBBB-BBBB-BBBB-BBBB"])
    monkeypatch.setattr(redemption, "code_new", lambda: next(draws))
    code, _ = points_redeem(rich, option.pk)
    assert code.code == "PTS-BBBB-BBBB-BBBB-BBBB" and ledger.balance(rich).approved == 1000


# --- used, expired ---------------------------------------------------------------------------------

def test_an_order_with_the_code_marks_it_used_once(rich):
    code, _ = points_redeem(rich, option_make().pk)
    order = OrderFactory(discount_codes=[code.code.lower(), "WELCOME10"])
    order_paid.send(sender=type(order), order=order)
    order_paid.send(sender=type(order), order=order)
    code.refresh_from_db()
    assert code.state == "used" and code.used_order == order and code.used_at is not None
    assert redemption.codes_expire(now=timezone.now() + 400 * DAY) == 0
    assert ledger.balance(rich).approved == 700


def test_an_unused_code_gives_its_points_back_after_expiry_and_grace(rich, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.SHOP_OUTBOUND_URL = ""
    settings.LOYALTY_CODE_REFUND_GRACE_HOURS = 48
    code, _ = points_redeem(rich, option_make(valid_days=10).pk)
    assert ledger.balance(rich).approved == 700
    assert redemption.codes_expire(now=code.expires_at + datetime.timedelta(hours=47)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert redemption.codes_expire(now=code.expires_at + datetime.timedelta(hours=48)) == 1
        assert redemption.codes_expire(now=code.expires_at + 3 * DAY) == 0  # once
    code.refresh_from_db()
    assert code.state == "expired" and code.closed_at is not None
    entry = LedgerEntry.objects.get(source_key=f"code-refund:{code.pk}")
    assert (entry.points, entry.kind, entry.status) == (500, "code_refund", "approved")
    assert ledger.balance(rich).approved == 1200
    cancelled = OutboundDelivery.objects.get(event="discount_code.cancelled")
    assert cancelled.payload == {"code": code.code, "reason": "expired"}
    assert ledger.reconcile() == []


def test_a_code_used_after_its_points_came_back_takes_them_again(rich):
    code, _ = points_redeem(rich, option_make(valid_days=1).pk)
    redemption.codes_expire(now=code.expires_at + 3 * DAY)
    assert ledger.balance(rich).approved == 1200
    order = OrderFactory(discount_codes=[code.code])
    order_paid.send(sender=type(order), order=order)
    order_paid.send(sender=type(order), order=order)
    code.refresh_from_db()
    assert code.state == "used" and ledger.balance(rich).approved == 700


def test_a_deleted_members_code_expires_without_a_refund(rich):
    code, _ = points_redeem(rich, option_make(valid_days=1).pk)
    type(rich).objects.filter(pk=rich.pk).update(deleted_at=timezone.now())
    assert redemption.codes_expire(now=code.expires_at + 3 * DAY) == 1
    assert not LedgerEntry.objects.filter(source_key=f"code-refund:{code.pk}").exists()


def test_expiry_command_runs(rich, capsys):
    from django.core.management import call_command

    code, _ = points_redeem(rich, option_make(valid_days=1).pk)
    DiscountCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - 3 * DAY)
    call_command("loyalty_codes_expire")
    assert "1" in capsys.readouterr().out
    assert ledger.balance(rich).approved == 1200


# --- the referral programme's welcome codes go to the shop too -----------------------------------

def test_a_friends_welcome_code_is_pushed_when_approved_and_withdrawn_when_reversed(django_capture_on_commit_callbacks,
                                                                                 settings):
    from tests.referrals.engine_helpers import T0, order_make, referral_make

    settings.SHOP_OUTBOUND_URL = ""
    prog = ReferralProgramme.load()
    prog.friend_reward, prog.friend_code_value, prog.currency = ReferralProgramme.FriendReward.CODE, Decimal("10"), "EUR"
    prog.minimum_order, prog.qualify_days, prog.return_days, prog.monthly_cap = Decimal("30"), 90, 30, 0
    prog.save()
    referral = referral_make(joined=T0)
    order = order_make(referral.friend)
    services.referral_qualify(referral.friend, now=T0 + DAY)
    reward = Reward.objects.get(referral=referral, side="friend")
    assert reward.discount_code and OutboundDelivery.objects.count() == 0  # pending: not yet
    services.reward_approve(reward.pk, now=reward.due_at)
    services.reward_approve(reward.pk, now=reward.due_at)
    created = OutboundDelivery.objects.get()
    assert created.payload["code"] == reward.discount_code and created.payload["origin"] == "referral_welcome"
    assert created.payload["value"] == "10.00" and created.payload["expires_at"] is None
    order.refunded_total, order.status = order.total, "refunded"
    order.save()
    services.order_changed_handle(order)
    cancelled = OutboundDelivery.objects.get(event="discount_code.cancelled")
    assert cancelled.payload == {"code": reward.discount_code, "reason": "reversed"}


def test_reconcile_checks_codes_against_their_entries(rich):
    code, _ = points_redeem(rich, option_make(points=500, valid_days=1).pk)
    redemption.codes_expire(now=code.expires_at + 3 * DAY)
    assert ledger.reconcile() == []
    # a code whose redemption entry went missing, and a stray redemption entry
    other, _ = points_redeem(rich, option_make(points=100).pk)
    LedgerEntry.objects.filter(source_key=f"redeem:{other.pk}").update(source_key="redeem:999999")
    found = {(d.what, d.source_key) for d in ledger.reconcile()}
    assert ("missing", f"redeem:{other.pk}") in found and ("orphan", "redeem:999999") in found


def test_reconcile_accepts_a_code_used_after_its_refund(rich):
    code, _ = points_redeem(rich, option_make(valid_days=1).pk)
    redemption.codes_expire(now=code.expires_at + 3 * DAY)
    order = OrderFactory(discount_codes=[code.code])
    redemption.codes_mark_used(order)
    assert ledger.reconcile() == []
