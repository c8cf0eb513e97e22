"""The per-order facts (insights.facts) follow every change the shop makes to orders, so the
figures read from them equal the figures computed from the orders themselves: after each change
a rebuild finds nothing to correct. Same on SQLite and PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from insights import facts
from insights.models import OrderFact
from shop import payloads
from shop import services as shop_services
from shop.models import Order
from tests.factories import MemberFactory
from tests.insights.fixtures import at, order, retention_orders

pytestmark = pytest.mark.django_db


def _rows():
    return {f.order_id: (f.customer, f.member_id, f.t, round(f.net, 2), f.prev_t, f.next_t, f.first_t)
            for f in OrderFact.objects.all()}


def assert_current():
    """The facts as kept equal the facts computed again from every order."""
    kept = _rows()
    rows, corrected = facts.facts_rebuild()
    assert corrected == 0, f"the facts had drifted: {kept} != {_rows()}"
    assert rows == len(kept) == Order.objects.filter(status__in=facts.QUALIFYING).count()


def ts(value):
    return int(value.timestamp())


def test_each_qualifying_order_has_its_customer_previous_next_and_first():
    members = retention_orders()
    a = members["a"].pk
    by_ref = {o.external_id: o.pk for o in Order.objects.all()}
    rows = _rows()
    a1, a2, a3 = (ts(at(2024, 3, 10, 12)), ts(at(2025, 1, 15, 12)), ts(at(2025, 2, 20, 12)))
    assert rows[by_ref["A1"]] == (f"m:{a}", a, a1, 100.0, None, a2, a1)
    assert rows[by_ref["A2"]] == (f"m:{a}", a, a2, 100.0, a1, a3, a1)
    assert rows[by_ref["A3"]] == (f"m:{a}", a, a3, 50.0, a2, None, a1)  # 80 less the 30 refunded
    assert rows[by_ref["B1"]][:2] == ("e:b@example.net", None)
    # refunded in full, cancelled and pending orders are not facts
    assert not {by_ref["E1"], by_ref["E2"], by_ref["H1"]} & set(rows)
    assert_current()


def test_paid_refunded_and_cancelled_through_the_shop():
    member = MemberFactory()
    earlier = order("W0", member.email, at(2024, 12, 1, 12), "20.00", member=member)
    data = payloads.OrderData(external_id="W1", email=member.email, placed_at=at(2025, 1, 5, 12), currency="EUR",
                              subtotal=Decimal("50.00"), discount_total=Decimal("0"), total=Decimal("50.00"))
    pending = shop_services.order_upsert("test", data)
    assert set(_rows()) == {earlier.pk}
    shop_services.order_mark_paid(Order.objects.get(pk=pending.pk))
    assert _rows()[earlier.pk][5] == ts(at(2025, 1, 5, 12))  # the earlier order now has a next one
    assert_current()
    refund = payloads.RefundData(external_id="R1", order_external_id="W1", amount=Decimal("10.00"),
                                 refunded_at=at(2025, 1, 9))
    shop_services.refund_record("test", refund)
    assert _rows()[pending.pk][3] == 40.0
    assert_current()
    rest = payloads.RefundData(external_id="R2", order_external_id="W1", amount=Decimal("40.00"),
                               refunded_at=at(2025, 1, 10))
    shop_services.refund_record("test", rest)  # refunded in full: no longer a customer's order
    assert set(_rows()) == {earlier.pk} and _rows()[earlier.pk][5] is None
    assert_current()
    shop_services.order_cancel(Order.objects.get(pk=earlier.pk))
    assert _rows() == {}
    assert_current()


def test_guest_orders_attached_by_verifying_the_address_become_the_members():
    member = MemberFactory(email="f.member@example.com")
    guest = order("G1", "f@example.com", at(2024, 6, 1, 12), "90.00")
    own = order("G2", "f@example.com", at(2025, 3, 5, 12), "30.00", member=member)
    assert _rows()[guest.pk][0] == "e:f@example.com" and _rows()[own.pk][4] is None
    EmailAddress.objects.create(user=member, email="f@example.com", verified=True, primary=False)
    assert _rows()[guest.pk][:2] == (f"m:{member.pk}", member.pk)
    assert _rows()[own.pk][4] == ts(at(2024, 6, 1, 12))  # its previous order is the guest one now
    assert_current()


def test_an_order_moved_edited_or_deleted_leaves_no_stale_fact():
    first, second = MemberFactory(), MemberFactory()
    one = order("M1", "x@example.com", at(2025, 1, 1, 12), "10.00", member=first)
    two = order("M2", "x@example.com", at(2025, 2, 1, 12), "20.00", member=first)
    two.member = second  # an editor gives the order to another member
    two.save()
    assert _rows()[one.pk][5] is None and _rows()[two.pk][:2] == (f"m:{second.pk}", second.pk)
    assert_current()
    one.placed_at = at(2025, 3, 1, 12)
    one.save(update_fields=["placed_at"])
    assert_current()
    one.raw = {"note": "nothing the figures read"}
    one.save(update_fields=["raw"])
    two.delete()
    assert set(_rows()) == {one.pk}
    assert_current()


def test_a_deleted_member_leaves_their_orders_as_a_guests():
    member = MemberFactory(email="gone@example.com")
    kept = order("D1", "gone@example.com", at(2025, 1, 1, 12), "10.00", member=member)
    member.delete()
    assert _rows()[kept.pk][:2] == ("e:gone@example.com", None)
    assert_current()


def test_rebuild_corrects_facts_changed_behind_its_back_and_says_so(capsys):
    retention_orders()
    Order.objects.filter(external_id="A2").update(total=Decimal("500.00"))  # no signal: the facts drift
    call_command("insights_facts_rebuild")
    assert "1 corrected" in capsys.readouterr().out
    assert _rows()[Order.objects.get(external_id="A2").pk][3] == 500.0
    call_command("insights_facts_rebuild")
    assert "0 corrected" in capsys.readouterr().out


def test_a_new_pending_order_costs_no_query_and_a_payment_three(django_assert_num_queries):
    member = MemberFactory()
    with django_assert_num_queries(1):  # the INSERT of the order alone
        pending = order("Q1", member.email, at(2025, 1, 5, 12), "50.00", member=member, status="pending")
    pending.status = Order.Status.PAID
    # the UPDATE; the fact's former customer (on PostgreSQL taking the customer's lock in the same
    # query); then the customer's facts deleted and inserted again
    with django_assert_num_queries(4):
        pending.save(update_fields=["status"])


def test_a_days_orders_at_the_same_second_keep_one_previous_each():
    member = MemberFactory()
    when = at(2025, 1, 5, 12)
    one = order("S1", member.email, when, "10.00", member=member)
    two = order("S2", member.email, when, "20.00", member=member)
    assert (_rows()[one.pk][4], _rows()[two.pk][4]) == (None, ts(when))
    assert_current()


def test_moments_are_whole_seconds():
    member = MemberFactory()
    placed = at(2025, 2, 28, 22, 30) + datetime.timedelta(microseconds=600000)
    made = order("T1", member.email, placed, "12.34", member=member)
    assert _rows()[made.pk][2] == ts(at(2025, 2, 28, 22, 30))


def test_the_demos_bulk_loaded_orders_have_their_facts():
    import io

    from insights import demo

    demo.load(io.StringIO())
    assert OrderFact.objects.count() == Order.objects.filter(status__in=facts.QUALIFYING).count() > 100
    assert_current()
