"""The retention arithmetic in SQL: one pass over the per-order facts (insights.facts: each
qualifying order with its customer's previous, next and first order, kept as orders change),
grouped into a few thousand numbers; Python only adds those numbers up. Orders are never loaded.

A customer is an order's member, or its e-mail address when it has no member (a guest). When a
guest's orders attach to a member later, the same rows count as the member's from then on.
A qualifying order is paid and not fully refunded (paid or partially refunded); its value is its
total less what was refunded. Times are compared as whole seconds since the epoch, the same on
SQLite and PostgreSQL.

With the trailing window W (app_settings.WINDOW_DAYS): a customer is active at a moment b when
they have a qualifying order in [b - W, b). For every order x of a customer, with the customer's
previous order p and next order q:
- x is "latest in the window at b" when x < b <= x + W and (no q or q >= b); each active
  customer has exactly one such order, so counting them counts customers;
- the customer has a repeat at b when also p >= b - W (two orders in the window);
- x starts a spell (an activation) when there is no p or x - p > W; a spell begins new if there is
  no p (a new customer), or is a return when the previous spell ended before the period.
Each condition is "bucket(x) < j <= something", with buckets of the period boundaries, so they
are counted by GROUP BY and summed in Python.
"""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from shop.models import Order

from .app_settings import app_settings
from .models import OrderFact

QUALIFYING = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)
DAY = 86400
CENTS = Decimal("0.01")


def epoch(value):
    return int(value.timestamp())


def money(value):
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENTS, ROUND_HALF_UP)


def _epoch_sql(column):
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


def _bucket_sql(expr, bounds):
    """SQL for the bucket of `expr` among `bounds` (b_0 < ... < b_n): -1 before b_0, k in
    [b_k, b_k+1), n from b_n on. Returns (sql, params)."""
    if connection.vendor == "postgresql":
        return f"(width_bucket({expr}, %s::bigint[]) - 1)", [list(bounds)]
    parts = [f"WHEN {expr} < %s THEN {k - 1}" for k in range(len(bounds))]
    return f"(CASE {' '.join(parts)} ELSE {len(bounds) - 1} END)", list(bounds)


def execute(sql, params):
    """Run one aggregate query and fetch its rows. On PostgreSQL inside a transaction with JIT off
    (compiling this query took longer than running it) and room to sort in memory."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _qs_sql(queryset):
    sql, params = queryset.order_by().query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def segment_sql(groups):
    """A CASE giving each order's group key from its member_id; `groups` as in insights.sources."""
    from .sources import ALL_MEMBERS

    parts, params, fallback, guest = [], [], None, None
    for key, _label, queryset in groups:
        if queryset is None:
            guest = key
        elif queryset == ALL_MEMBERS:
            fallback = key
        else:
            sql, qparams = _qs_sql(queryset)
            parts.append(f"WHEN member_id IN ({sql}) THEN %s")
            params += qparams + [key]
    head = "CASE WHEN member_id IS NULL THEN %s " if guest else "CASE WHEN member_id IS NULL THEN NULL "
    return head + " ".join(parts) + " ELSE %s END", ([guest] if guest else []) + params + [fallback]


def _base_cte(segment=None, only=None):
    """The qualifying orders with their customer's previous, next and first order, as kept in
    insights.facts (OrderFact). `segment`: (sql, params) giving each order a group from its
    member_id; `only`: keep the orders of that group alone."""
    table = OrderFact._meta.db_table
    seg_sql, seg_params = segment if segment else ("''", [])
    where, where_params = "", []
    if only is not None:
        where, where_params = "WHERE seg = %s", [only]
    sql = f"""
        w AS (
            SELECT * FROM (
                SELECT t, net, member_id, customer, prev_t, next_t, first_t, {seg_sql} AS seg FROM {table}
            ) f {where}
        )"""  # noqa: S608 - our own SQL fragments; every value is a parameter
    return sql, seg_params + where_params


@dataclasses.dataclass
class Sums:
    """Per bucket (index + 1, so bucket -1 is at 0) sums for one group."""

    n: int

    def __post_init__(self):
        size = self.n + 3
        self.orders = [0] * size
        self.revenue = [0.0] * size
        self.squares = [0.0] * size
        self.new = [0] * size
        self.activations = [0] * size
        self.returns_same = [0] * size
        self.leaving_orders = [0] * size
        self.leaving_revenue = [0.0] * size
        self.leaving_squares = [0.0] * size
        self.active = [0] * size  # difference arrays over boundary indexes j (not buckets)
        self.repeat = [0] * size


def order_sums(bounds, segment=None, only=None):
    """{group: Sums} over the boundaries `bounds` (aware datetimes, increasing). One query."""
    b = [epoch(value) for value in bounds]
    shifted = [value - app_settings.WINDOW_DAYS * DAY for value in b]
    window = app_settings.WINDOW_DAYS * DAY
    n = len(b) - 1
    cte, params = _base_cte(segment, only)
    bk, bk_p = _bucket_sql("t", b)
    lbk, lbk_p = _bucket_sql("t", shifted)
    plbk, plbk_p = _bucket_sql("prev_t", shifted)
    nbk, nbk_p = _bucket_sql("next_t", b)
    # grouped by the buckets themselves (few distinct values each); what follows from them is
    # worked out below for each group, not for each order. Orders from the last boundary on add
    # to nothing shown, so they are left out.
    sql = f"""
        WITH {cte}
        SELECT seg, bk, lbk, plbk, nbk, act, COUNT(*), SUM(net), SUM(net * net) FROM (
            SELECT seg, net, {bk} AS bk, {lbk} AS lbk,
                   CASE WHEN prev_t IS NULL THEN NULL ELSE {plbk} END AS plbk,
                   CASE WHEN next_t IS NULL THEN {n + 1} ELSE {nbk} END AS nbk,
                   CASE WHEN prev_t IS NULL OR t - prev_t > %s THEN 1 ELSE 0 END AS act
            FROM w WHERE t < %s
        ) r GROUP BY seg, bk, lbk, plbk, nbk, act
    """  # noqa: S608 - our own SQL fragments; every value is a parameter
    all_params = params + bk_p + lbk_p + plbk_p + nbk_p + [window, b[-1]]
    out = {}
    rows = execute(sql, all_params)
    # each group adds to the sums of its bucket (bk), of the bucket where it leaves the window
    # (lbk), and to the boundaries where it is an active customer's latest order (bk < j <= hi_e:
    # until it leaves the window or the next order comes) or a repeat customer's (bk < j <= hi_r:
    # also while the previous order is in the window)
    for seg, bk, lbk, plbk, nbk, act, count, revenue, squares in rows:
        bk, lbk, nbk = int(bk), int(lbk), int(nbk)
        first = plbk is None
        hi_e = min(lbk, nbk)
        hi_r = -2 if first else min(lbk, nbk, int(plbk))
        same = bool(act) and not first and int(plbk) == bk
        sums = out.setdefault(seg, Sums(n))
        i, leave = bk + 1, lbk + 1
        revenue, squares = float(revenue or 0), float(squares or 0)
        sums.orders[i] += count
        sums.revenue[i] += revenue
        sums.squares[i] += squares
        sums.new[i] += count if first else 0
        sums.activations[i] += count if act else 0
        sums.returns_same[i] += count if same else 0
        sums.leaving_orders[leave] += count
        sums.leaving_revenue[leave] += revenue
        sums.leaving_squares[leave] += squares
        for target, hi in ((sums.active, hi_e), (sums.repeat, hi_r)):
            lo = bk
            if hi >= lo + 1:
                target[lo + 1] += count
                if hi + 1 < len(target):
                    target[hi + 1] -= count
    return out


def _cumulative(values):
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


@dataclasses.dataclass
class PeriodFigures:
    customers_start: int
    customers_end: int
    new: int
    returned: int
    lost: int
    orders: int
    revenue: Decimal
    orders_window: int
    revenue_window: Decimal
    squares_window: float
    repeat_customers: int
    customers_ever: int
    revenue_ever: Decimal

    @property
    def kept(self):
        return self.customers_start - self.lost

    @property
    def retention(self):
        """(customers at the end − new customers in the period) ÷ customers at its start."""
        if not self.customers_start:
            return None
        return (self.customers_end - self.new) / self.customers_start

    @property
    def churn(self):
        return self.lost / self.customers_start if self.customers_start else None

    @property
    def repeat_rate(self):
        return self.repeat_customers / self.customers_end if self.customers_end else None

    @property
    def frequency(self):
        """Qualifying orders per customer in the trailing window ending with the period."""
        return self.orders_window / self.customers_end if self.customers_end else None

    @property
    def aov(self):
        """Net order value in the period."""
        return money(self.revenue / self.orders) if self.orders else None

    @property
    def aov_window(self):
        return money(self.revenue_window / self.orders_window) if self.orders_window else None

    @property
    def historical_clv(self):
        """Net revenue per customer over their life so far (every customer up to the period's end)."""
        return money(self.revenue_ever / self.customers_ever) if self.customers_ever else None


def period_figures(sums, n):
    """[PeriodFigures] for the n periods between the n + 1 boundaries."""
    c_orders, c_revenue = _cumulative(sums.orders), _cumulative(sums.revenue)
    c_new = _cumulative(sums.new)
    c_leave_orders, c_leave_revenue = _cumulative(sums.leaving_orders), _cumulative(sums.leaving_revenue)
    c_leave_squares, c_squares = _cumulative(sums.leaving_squares), _cumulative(sums.squares)
    active, repeat = _cumulative(sums.active), _cumulative(sums.repeat)

    def before(cumulative, j):  # rows in buckets < j, i.e. at index <= j (bucket -1 sits at 0)
        return cumulative[j]

    out = []
    for i in range(n):
        s, e = i, i + 1  # boundary indexes
        start, end = active[s], active[e]
        new = sums.new[i + 1]
        returned_all = sums.activations[i + 1] - new
        returned = returned_all - sums.returns_same[i + 1]
        lost = start - (end - new - returned)
        orders_window = before(c_orders, e) - before(c_leave_orders, e)
        out.append(PeriodFigures(
            customers_start=start, customers_end=end, new=new, returned=returned, lost=lost,
            orders=sums.orders[i + 1], revenue=money(sums.revenue[i + 1]),
            orders_window=orders_window,
            revenue_window=money(before(c_revenue, e) - before(c_leave_revenue, e)),
            squares_window=before(c_squares, e) - before(c_leave_squares, e),
            repeat_customers=repeat[e], customers_ever=before(c_new, e), revenue_ever=money(before(c_revenue, e)),
        ))
    return out
