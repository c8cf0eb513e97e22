"""The figures staff read (issue 19), each from SQL aggregates: retention per month or quarter,
cohorts, the community effect and engagement. Nothing here writes; insights.cache keeps results."""

import dataclasses
import datetime
import statistics
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import TruncMonth

from . import engine, periods, sources, stats
from .app_settings import app_settings


def active_member_ids(since, until):
    """A queryset of the ids of members with any community activity in [since, until): the union of
    every registered activity source (insights.sources)."""
    queries = [source.queryset().order_by().filter(insights_at__gte=since, insights_at__lt=until).values("insights_member")
               for source in sources.activity_sources()]
    if not queries:
        return get_user_model().objects.none().values("pk")
    first, *rest = queries
    return first.union(*rest, all=True) if rest else first


def _segment_case(segment_key, date_range):
    segment = sources.segment(segment_key) if segment_key else None
    if segment is None:
        return None, []
    groups = segment.groups(date_range)
    return engine.segment_sql(groups), groups


def _annual(value, days):
    """A rate over `days` made a yearly one (compounded)."""
    return 1 - (1 - value) ** (365.25 / days)


@dataclasses.dataclass
class Row:
    period: periods.Period
    figures: engine.PeriodFigures

    @property
    def days(self):
        return (self.period.end - self.period.start).days

    @property
    def frequency_per_year(self):
        f = self.figures.frequency
        return None if f is None else f * 365.25 / app_settings.WINDOW_DAYS

    @property
    def expected_lifetime_years(self):
        churn = self.figures.churn
        if churn is None or churn <= 0 or self.days <= 0:
            return None
        return 1 / _annual(churn, self.days)

    @property
    def predictive_clv(self):
        """AOV (trailing window) × orders per customer a year × expected lifetime in years, the
        lifetime being 1 ÷ the yearly churn implied by this period's churn."""
        aov, freq, life = self.figures.aov_window, self.frequency_per_year, self.expected_lifetime_years
        if aov is None or freq is None or life is None:
            return None
        return engine.money(float(aov) * freq * life)


def retention(date_range, grain=periods.MONTH, segment_key=None, group=None):
    """[Row] for each month (or quarter) the range touches. With `segment_key` and `group`, only
    the customers of that group (e.g. guests, or members active in the community in the range)."""
    ps = periods.periods(date_range, grain)
    if not ps:
        return []
    bounds = [p.since for p in ps] + [ps[-1].until]
    case, groups = _segment_case(segment_key, date_range)
    if case is None or group not in {key for key, _label, _qs in groups}:
        case, group = None, None
    sums = engine.order_sums(bounds, segment=case, only=group)
    found = next(iter(sums.values()), None) if group is None else sums.get(group)
    if found is None:
        found = engine.Sums(len(ps))
    return [Row(p, f) for p, f in zip(ps, engine.period_figures(found, len(ps)), strict=True)]


# --- cohorts ---------------------------------------------------------------------------------

@dataclasses.dataclass
class Cohort:
    period: periods.Period
    size: int
    cells: list  # [(offset, customers, share or None when the month has not come)]


def cohorts(date_range):
    """Customers by the month of their first qualifying order (months the range touches) × months
    since: how many ordered again in that month, and their share of the cohort. One query."""
    ps = periods.periods(date_range, periods.MONTH)
    if not ps:
        return []
    bounds = [engine.epoch(p.since) for p in ps] + [engine.epoch(ps[-1].until)]
    cte, params = engine._base_cte()
    cb, cb_p = engine._bucket_sql("first_t", bounds)
    ob, ob_p = engine._bucket_sql("t", bounds)
    sql = f"""
        WITH {cte}, c AS (SELECT customer, {cb} AS cb, {ob} AS ob FROM w WHERE first_t >= %s AND t < %s
                          GROUP BY customer, cb, ob)
        SELECT cb, ob, COUNT(*) FROM c GROUP BY cb, ob
    """  # noqa: S608 - our own SQL fragments; every value is a parameter
    rows = engine.execute(sql, params + cb_p + ob_p + [bounds[0], bounds[-1]])
    counts = {(int(c), int(o)): n for c, o, n in rows}
    out = []
    n = len(ps)
    for c, period in enumerate(ps):
        size = counts.get((c, c), 0)
        cells = []
        for offset in range(1, n - c):
            customers = counts.get((c, c + offset), 0)
            cells.append((offset, customers, customers / size if size else None))
        out.append(Cohort(period, size, cells))
    return out


# --- the community effect ---------------------------------------------------------------------

@dataclasses.dataclass
class Rate:
    count: int
    n: int
    low: float | None = None
    high: float | None = None

    @property
    def value(self):
        return self.count / self.n if self.n else None

    @property
    def enough(self):
        return self.n >= app_settings.MIN_SAMPLE


@dataclasses.dataclass
class Mean:
    n: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None

    @property
    def enough(self):
        return self.n >= app_settings.MIN_SAMPLE


@dataclasses.dataclass
class GroupFigures:
    key: str
    label: str
    figures: engine.PeriodFigures
    kept: Rate
    repeat: Rate
    aov: Mean

    @property
    def enough(self):
        return self.figures.customers_start >= app_settings.MIN_SAMPLE or self.figures.customers_end >= app_settings.MIN_SAMPLE


def _rate(count, n):
    interval = stats.wilson(count, n)
    return Rate(count, n, *(interval or (None, None)))


def community_effect(date_range, segment_key="community"):
    """The range taken as one period, its figures for each group of the segment: counts, the rate
    of customers kept and the repeat rate with Wilson 95 % intervals, the window's AOV with a normal
    95 % interval. A group smaller than app_settings.MIN_SAMPLE says "too few to tell" (`enough`)."""
    segment = sources.segment(segment_key)
    if segment is None:
        return None, []
    groups = segment.groups(date_range)
    bounds = [date_range.since, date_range.until]
    sums = engine.order_sums(bounds, segment=engine.segment_sql(groups))
    out = []
    for key, label, _qs in groups:
        figures = engine.period_figures(sums.get(key) or engine.Sums(1), 1)[0]
        interval = stats.mean_interval(float(figures.revenue_window), figures.squares_window, figures.orders_window)
        aov = Mean(figures.orders_window, figures.aov_window,
                   *(engine.money(v) for v in interval[1:]) if interval else (None, None))
        out.append(GroupFigures(key, str(label), figures, _rate(figures.kept, figures.customers_start),
                                _rate(figures.repeat_customers, figures.customers_end), aov))
    return segment, out


# --- engagement -------------------------------------------------------------------------------

@dataclasses.dataclass
class EngagementRow:
    period: periods.Period
    active_members: int
    new_members: int
    topics: int
    replies: int
    solved: int
    median_first_answer_hours: float | None
    extra: list

    @property
    def solved_rate(self):
        return self.solved / self.topics if self.topics else None


def bucketed_counts(sql_expr_queryset, column, bounds):
    """{bucket: count} of a queryset's rows by the period of `column`, in one query."""
    from django.db.models import Case, IntegerField, Value, When

    whens = [When(**{f"{column}__lt": bound}, then=Value(k - 1)) for k, bound in enumerate(bounds)]
    rows = (sql_expr_queryset.filter(**{f"{column}__gte": bounds[0], f"{column}__lt": bounds[-1]})
            .annotate(insights_bucket=Case(*whens, default=Value(len(bounds) - 1), output_field=IntegerField()))
            .values("insights_bucket").annotate(n=Count("*")).order_by())
    return {row["insights_bucket"]: row["n"] for row in rows}


def engagement(date_range):
    """[EngagementRow] a month: monthly active members (anyone with community activity), new
    members, forum topics and replies, the share of the month's topics marked solved, the median
    hours from a topic to its first reply by someone else, and every registered series."""
    from community.forum.models import Post, Topic

    ps = periods.periods(date_range, periods.MONTH)
    if not ps:
        return []
    bounds = [p.since for p in ps] + [ps[-1].until]
    epochs = [engine.epoch(b) for b in bounds]
    # monthly active members: distinct members of the union of activity rows, per month
    queries = [source.queryset().order_by() for source in sources.activity_sources()]
    active = {}
    if queries:
        union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        sql, params = engine._qs_sql(union)
        bucket, bucket_p = engine._bucket_sql("a.t", epochs)
        inner = f"SELECT insights_member AS m, {engine._epoch_sql('insights_at')} AS t FROM ({sql}) u"  # noqa: S608 - our own SQL fragments; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {bucket} AS b, COUNT(DISTINCT a.m) FROM ({inner}) a WHERE a.t >= %s AND a.t < %s GROUP BY b",  # noqa: S608 - our own SQL fragments; every value is a parameter
                params + bucket_p + [epochs[0], epochs[-1]])
            active = {int(b): n for b, n in cursor.fetchall()}
    members = get_user_model().objects.filter(is_active=True)
    joined = bucketed_counts(members, "date_joined", bounds)
    live_topics = Topic.objects.filter(deleted_at__isnull=True, approved=True)
    topics = bucketed_counts(live_topics, "created_at", bounds)
    solved = bucketed_counts(live_topics.filter(solution__isnull=False), "created_at", bounds)
    replies = bucketed_counts(Post.objects.filter(deleted_at__isnull=True, approved=True, number__gt=1),
                               "created_at", bounds)
    first_reply = (Post.objects.filter(topic=OuterRef("pk"), number__gt=1, deleted_at__isnull=True)
                   .exclude(author=OuterRef("author")).order_by().values("topic")
                   .annotate(first=Min("created_at")).values("first"))
    waits = {}
    answered = (live_topics.filter(created_at__gte=bounds[0], created_at__lt=bounds[-1])
                .annotate(first=Subquery(first_reply)).filter(first__isnull=False)
                .annotate(month=TruncMonth("created_at")).values_list("created_at", "first"))
    for created, first in answered.iterator():
        k = next(i for i in range(len(ps)) if created < bounds[i + 1])
        waits.setdefault(k, []).append((first - created).total_seconds() / 3600)
    extras = [(s.label, s.values(ps)) for s in sources.series()]
    return [EngagementRow(
        p, active.get(k, 0), joined.get(k, 0), topics.get(k, 0), replies.get(k, 0), solved.get(k, 0),
        statistics.median(waits[k]) if waits.get(k) else None,
        [(label, values[k]) for label, values in extras],
    ) for k, p in enumerate(ps)]


# --- headline numbers for the dashboard ---------------------------------------------------------

def headline():
    """(last quarter, this quarter so far) as retention Rows: retention rate, repeat rate, AOV."""
    from django.utils import timezone

    today = timezone.localdate()
    previous = periods.quarter_start(periods.quarter_start(today) - datetime.timedelta(days=1))
    rows = retention(periods.Range(previous, today), periods.QUARTER)
    return (rows[-2] if len(rows) > 1 else None), (rows[-1] if rows else None)


# --- per-customer rows (the logged export) --------------------------------------------------------

def customer_rows(date_range):
    """One row a customer with a qualifying order in the range, grouped in SQL: member id (none for
    a guest), e-mail, first and last order in the range, orders and net revenue."""
    from django.db.models import Case, CharField, F, Max, Sum, Value, When

    from shop.models import Order

    return (Order.objects.filter(status__in=engine.QUALIFYING, placed_at__gte=date_range.since,
                                 placed_at__lt=date_range.until)
            .values("member_id", guest=Case(When(member__isnull=True, then=F("email")), default=Value(""),
                                            output_field=CharField()))
            .annotate(address=Max("email"), first=Min("placed_at"), last=Max("placed_at"), orders=Count("pk"),
                      net=Sum(F("total") - F("refunded_total")))
            .order_by("member_id", "guest"))
