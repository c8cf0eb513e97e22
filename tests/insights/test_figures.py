"""Every retention figure against numbers worked out by hand (tests/insights/fixtures.py says
which orders and why); the same numbers on SQLite and PostgreSQL (run with DATABASE_URL)."""

import datetime
from decimal import Decimal

import pytest

from insights import periods, selectors
from shop import services as shop_services
from tests.insights.fixtures import order, retention_orders

pytestmark = pytest.mark.django_db

Q1 = periods.Range(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))


@pytest.fixture(autouse=True)
def athens(settings):
    settings.TIME_ZONE = "Europe/Athens"
    settings.INSIGHTS_WINDOW_DAYS = 365


def _table(rows):
    return [(r.period.code, r.figures.customers_start, r.figures.customers_end, r.figures.new, r.figures.returned,
             r.figures.lost, r.figures.orders, r.figures.revenue, r.figures.orders_window, r.figures.repeat_customers,
             r.figures.customers_ever, r.figures.revenue_ever) for r in rows]


def test_months_by_hand():
    retention_orders()
    rows = selectors.retention(Q1)
    # period, start, end, new, returned, lost, orders, revenue, orders in window, repeat, ever, revenue ever
    assert _table(rows) == [
        ("2025-01", 4, 3, 0, 0, 1, 1, Decimal("100.00"), 4, 1, 4, Decimal("350.00")),
        ("2025-02", 3, 4, 1, 1, 1, 3, Decimal("145.00"), 6, 1, 5, Decimal("495.00")),
        ("2025-03", 4, 6, 2, 0, 0, 2, Decimal("90.00"), 7, 1, 7, Decimal("585.00")),
    ]
    jan, feb, mar = rows
    assert jan.figures.retention == 0.75 and jan.figures.churn == 0.25
    assert feb.figures.retention == 1.0 and feb.figures.churn == pytest.approx(1 / 3)
    assert mar.figures.retention == 1.0 and mar.figures.churn == 0
    assert [r.figures.aov for r in rows] == [Decimal("100.00"), Decimal("48.33"), Decimal("45.00")]
    assert [r.figures.aov_window for r in rows] == [Decimal("82.50"), Decimal("72.50"), Decimal("60.71")]  # March: 425 / 7
    assert [r.figures.historical_clv for r in rows] == [Decimal("87.50"), Decimal("99.00"), Decimal("83.57")]
    assert [r.figures.frequency for r in rows] == [pytest.approx(4 / 3), 1.5, pytest.approx(7 / 6)]
    assert [r.figures.repeat_rate for r in rows] == [pytest.approx(1 / 3), 0.25, pytest.approx(1 / 6)]
    # predictive CLV in February: 72.50 × 1.5 × 365.25/365 × 1 / (1 − (2/3)^(365.25/28))
    assert float(feb.predictive_clv) == pytest.approx(109.38, abs=0.01)
    assert mar.predictive_clv is None  # nobody lapsed: no lifetime to extrapolate


def test_guest_orders_attached_later_make_one_customer():
    members = retention_orders()
    shop_services.orders_attach_to_member(members["f"], "f@example.com")
    jan, feb, mar = selectors.retention(Q1)
    assert (jan.figures.customers_start, feb.figures.customers_end) == (4, 4)
    assert (mar.figures.customers_start, mar.figures.customers_end, mar.figures.new) == (4, 5, 1)
    assert mar.figures.repeat_customers == 2  # A, and F whose June order is now theirs
    assert mar.figures.customers_ever == 6
    assert mar.figures.historical_clv == Decimal("97.50")


def test_quarter_adds_up_the_same_orders():
    retention_orders()
    (q1,) = selectors.retention(Q1, periods.QUARTER)
    f = q1.figures
    # start of January: A, B, F, G; end of March: A, F(guest), F(member), C, D, G; new: C, D, F(member);
    # G came back; B left (and G left and came back within the quarter: not lost)
    assert (f.customers_start, f.customers_end, f.new, f.returned, f.lost) == (4, 6, 3, 0, 1)
    assert (f.orders, f.revenue) == (6, Decimal("335.00"))
    assert f.retention == 0.75 and f.churn == 0.25


def test_month_boundary_in_the_sites_time_zone(settings):
    retention_orders()
    settings.TIME_ZONE = "UTC"
    feb_utc = selectors.retention(Q1)[1]
    assert (feb_utc.figures.new, feb_utc.figures.orders) == (2, 4)  # C and D both in February in UTC


def test_empty_months_and_no_orders():
    retention_orders()
    rows = selectors.retention(periods.Range(datetime.date(2023, 1, 1), datetime.date(2023, 3, 31)))
    assert [(r.figures.customers_start, r.figures.customers_end, r.figures.orders) for r in rows] == [(0, 0, 0)] * 3
    assert all(r.figures.retention is None and r.figures.aov is None and r.predictive_clv is None for r in rows)


def test_the_window_edge_to_the_second(settings):
    """An order counts at a moment b exactly when it is in [b − W, b): one second matters."""
    settings.INSIGHTS_WINDOW_DAYS = 365
    b1 = datetime.datetime(2025, 1, 31, 22, 0, tzinfo=datetime.UTC)  # 1 February in Athens
    order("IN", "in@example.net", b1 - datetime.timedelta(days=365), "10.00")
    order("OUT", "out@example.net", b1 - datetime.timedelta(days=365, seconds=1), "10.00")
    jan = selectors.retention(Q1)[0]
    assert (jan.figures.customers_start, jan.figures.customers_end, jan.figures.lost) == (2, 1, 1)


def test_partial_last_period():
    retention_orders()
    rows = selectors.retention(periods.Range(datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)))
    (feb,) = rows
    assert not feb.period.partial
    rows = selectors.retention(periods.Range(datetime.date(2025, 2, 1), datetime.date(2025, 2, 27)))
    (feb,) = rows
    assert feb.period.partial and feb.figures.orders == 2  # A3, G2 (C is on the 28th)
