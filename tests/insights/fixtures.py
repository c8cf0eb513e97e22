"""Orders for the hand-computed figures of test_figures.py (Athens time, a 365-day window).

Range: January to March 2025 by month. Boundaries are local midnights: b0 = 2024-12-31 22:00 UTC,
b1 = 2025-01-31 22:00, b2 = 2025-02-28 22:00, b3 = 2025-03-31 21:00 (summer time from 30 March).
"""

import datetime
from decimal import Decimal

from shop.models import Order
from tests.factories import MemberFactory

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def order(ref, email, placed_at, total, *, member=None, status="paid", refunded="0.00"):
    return Order.objects.create(
        source="test", external_id=ref, email=email, member=member, status=status, currency="EUR",
        subtotal=Decimal(total), total=Decimal(total), refunded_total=Decimal(refunded), placed_at=placed_at,
    )


def retention_orders():
    """A: member, 3 orders (one partly refunded: 80 − 30 = 50). B: guest, one order in February
    2024 that leaves the window on 14 February 2025. C: guest, 23:30 on 28 February in Athens
    (February). D: guest, 00:30 on 1 March in Athens (still February in UTC: March here). E:
    member, one fully refunded order and one cancelled: never a customer. F: a guest order in June
    2024 by f@example.com and a member order in March 2025 by member f (two customers until the
    guest order is attached). G: member, January 2024 then February 2025, a gap over the window:
    lost in January, back in February. H: a pending order: not counted."""
    a, e, f, g = (MemberFactory(username=name, email=f"{name}@example.com") for name in ("a", "e", "f", "g"))
    order("A1", "a@example.com", at(2024, 3, 10, 12), "100.00", member=a)
    order("A2", "a@example.com", at(2025, 1, 15, 12), "100.00", member=a)
    order("A3", "a@example.com", at(2025, 2, 20, 12), "80.00", member=a, status="partially_refunded", refunded="30.00")
    order("B1", "b@example.net", at(2024, 2, 15, 12), "40.00")
    order("C1", "c@example.net", at(2025, 2, 28, 21, 30), "70.00")
    order("D1", "d@example.net", at(2025, 2, 28, 22, 30), "60.00")
    order("E1", "e@example.com", at(2025, 1, 10, 12), "55.00", member=e, status="refunded", refunded="55.00")
    order("E2", "e@example.com", at(2025, 1, 12, 12), "65.00", member=e, status="cancelled")
    order("F1", "f@example.com", at(2024, 6, 1, 12), "90.00")
    order("F2", "f@example.com", at(2025, 3, 5, 12), "30.00", member=f)
    order("G1", "g@example.com", at(2024, 1, 20, 10), "20.00", member=g)
    order("G2", "g@example.com", at(2025, 2, 10, 10), "25.00", member=g)
    order("H1", "h@example.net", at(2025, 1, 5, 12), "99.00", status="pending")
    return {"a": a, "e": e, "f": f, "g": g}
