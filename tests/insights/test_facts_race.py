"""Races on PostgreSQL: the per-order facts stay right when one customer's orders change at once.
Each refresh takes the customer's advisory lock, so 10 orders of one member paid at the same
moment (and the guest orders of an address attached meanwhile) end with every fact as a rebuild
computes it, and no refresh fails on a fact inserted twice."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from insights import facts
from insights.models import OrderFact
from shop import services as shop_services
from shop.models import Order
from tests.factories import MemberFactory
from tests.insights.fixtures import at, order
from tests.race import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CONCURRENT = 10


def test_orders_of_one_customer_paid_at_once_keep_their_facts_right(on_postgres):
    member = MemberFactory(email="race@example.com")
    order("R0", "race@example.net", at(2024, 12, 1, 12), "15.00")  # a guest order, attached below
    pending = [order(f"R{i + 1}", member.email, at(2025, 1, 1, 12) + datetime.timedelta(days=i), "10.00",
                     member=member, status="pending").pk for i in range(CONCURRENT)]

    def pay(i):
        if i == 0:
            return shop_services.orders_attach_to_member(member, "race@example.net")
        with transaction.atomic():
            return shop_services.order_mark_paid(Order.objects.select_for_update().get(pk=pending[i]))

    race(CONCURRENT, pay)
    kept = {f.order_id: (f.customer, f.prev_t, f.next_t) for f in OrderFact.objects.all()}
    rows, corrected = facts.facts_rebuild()
    assert corrected == 0, kept
    assert rows == CONCURRENT  # nine paid and the guest order, all the member's now
    assert set(OrderFact.objects.values_list("customer", flat=True)) == {f"m:{member.pk}"}
    assert sum(Decimal(str(f.net)) for f in OrderFact.objects.all()) == Decimal("105.00")
