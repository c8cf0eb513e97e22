"""The referral funnel for staff: reads only, no request, a fixed number of queries each.

The funnel of a period (dates inclusive, in the site's time zone):

- clicks: visits of `/r/<code>` in the period;
- sign-ups: friends who joined through a referral in the period (by link, typed code or name);
- qualified: of those friends, the ones whose first paid order has qualified (so far);
- approved: of those, the ones whose referrer's reward is approved (the return window passed, or
  staff approved a flagged one), and not reversed since.

So sign-ups, qualified and approved follow one cohort (friends who joined in the period) and never
grow from one step to the next; clicks are counted when they happen. A friend who typed the code or
gave the referrer's name has no click: their channel is how they came ("typed", "name").

K-factor = invitations per member × conversion, where invitations are clicks on members' links
(what a share turns into; a message nobody opens is not seen by the site), invitations per member
= clicks ÷ active members who had joined by the end of the period, and conversion = sign-ups ÷ clicks.
So K is the number of new members each member brought in the period: above 1, growth by referral
alone.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Channel, Click, Referral, Reward

TOP_REFERRERS = 20
CENTS = Decimal("0.01")
MAX_DAYS = 366 * 5  # the longest period the report form accepts


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both dates included, in the current time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self):
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self):
        """The first moment after the period."""
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    def months(self):
        """The first day of every month the period touches, in order."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = (month + datetime.timedelta(days=32)).replace(day=1)

    @classmethod
    def last_months(cls, months=12, today=None):
        """The current month and the `months - 1` before it, up to today."""
        today = today or timezone.localdate()
        start = today.replace(day=1)
        for _ in range(months - 1):
            start = (start - datetime.timedelta(days=1)).replace(day=1)
        return cls(start, today)


@dataclass
class FunnelRow:
    key: str
    label: str
    clicks: int = 0
    signups: int = 0
    qualified: int = 0
    approved: int = 0

    @property
    def conversion(self):
        """Sign-ups per click, or None without clicks."""
        return self.signups / self.clicks if self.clicks else None


@dataclass
class KFactor:
    members: int
    invitations: int
    signups: int

    @property
    def invitations_per_member(self):
        return self.invitations / self.members if self.members else 0.0

    @property
    def conversion(self):
        return self.signups / self.invitations if self.invitations else 0.0

    @property
    def k(self):
        return self.invitations_per_member * self.conversion


@dataclass
class ReferrerRow:
    member: object
    clicks: int
    signups: int
    qualified: int
    approved: int
    points: int


@dataclass
class RewardRow:
    side: str
    side_label: str
    state: str
    state_label: str
    count: int
    points: int
    codes: int
    values: dict = field(default_factory=dict)  # currency -> Decimal total of discount codes


def _cohort(period):
    return Referral.objects.filter(created_at__gte=period.since, created_at__lt=period.until)


def _cohort_counts():
    approved = Q(rewards__side=Reward.Side.REFERRER, rewards__state=Reward.State.APPROVED)
    return {
        "signups": Count("pk", distinct=True),
        "qualified": Count("pk", filter=Q(qualified_at__isnull=False), distinct=True),
        "approved": Count("pk", filter=approved, distinct=True),
    }


def _clicks(period):
    return Click.objects.filter(at__gte=period.since, at__lt=period.until)


def funnel_totals(period):
    """One FunnelRow for the whole period (two queries)."""
    row = FunnelRow("total", "")
    row.clicks = _clicks(period).count()
    for name, value in _cohort(period).aggregate(**_cohort_counts()).items():
        setattr(row, name, value or 0)
    return row


def _channel_key(channel, via):
    return channel or via


def channel_label(key):
    if key in Channel.values:
        return str(Channel(key).label)
    if key in Referral.Via.values:
        return str(Referral.Via(key).label)
    return key


def funnel_by_channel(period):
    """FunnelRows per channel (clicks' `?via=`; typed and name sign-ups by how they came), most
    clicks first (two queries)."""
    rows = {}

    def row(key):
        if key not in rows:
            rows[key] = FunnelRow(key, channel_label(key))
        return rows[key]

    for item in _clicks(period).values("channel").annotate(n=Count("pk")).order_by():
        row(item["channel"]).clicks += item["n"]
    for item in _cohort(period).values("channel", "via").annotate(**_cohort_counts()).order_by():
        target = row(_channel_key(item["channel"], item["via"]))
        target.signups += item["signups"]
        target.qualified += item["qualified"]
        target.approved += item["approved"]
    return sorted(rows.values(), key=lambda r: (-r.clicks, -r.signups, r.key))


def funnel_by_month(period):
    """A FunnelRow for every month of the period, oldest first, months without activity included
    (two queries)."""
    rows = {month: FunnelRow(month.isoformat()[:7], month.isoformat()[:7]) for month in period.months()}
    month_of = TruncMonth("at", output_field=DateField())
    for item in _clicks(period).annotate(month=month_of).values("month").annotate(n=Count("pk")).order_by():
        if item["month"] in rows:
            rows[item["month"]].clicks = item["n"]
    joined = TruncMonth("created_at", output_field=DateField())
    for item in _cohort(period).annotate(month=joined).values("month").annotate(**_cohort_counts()).order_by():
        if item["month"] in rows:
            target = rows[item["month"]]
            target.signups, target.qualified, target.approved = item["signups"], item["qualified"], item["approved"]
    return list(rows.values())


def k_factor(period, totals=None):
    """KFactor of the period (one query, two more without `totals`)."""
    totals = totals or funnel_totals(period)
    members = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True,
                                              date_joined__lt=period.until).count()
    return KFactor(members=members, invitations=totals.clicks, signups=totals.signups)


def top_referrers(period, limit=TOP_REFERRERS):
    """The members whose friends (joined in the period) qualified most, then joined most: their
    clicks in the period, sign-ups, qualified and approved friends, and the points of those
    approved rewards (four queries)."""
    ranked = list(
        _cohort(period).values("referrer").annotate(**_cohort_counts())
        .order_by("-qualified", "-signups", "referrer")[:limit]
    )
    ids = [item["referrer"] for item in ranked]
    if not ids:
        return []
    members = get_user_model().objects.in_bulk(ids)
    clicks = dict(_clicks(period).filter(code__member__in=ids).values("code__member").annotate(n=Count("pk"))
                  .order_by().values_list("code__member", "n"))
    points = dict(
        Reward.objects.filter(member__in=ids, side=Reward.Side.REFERRER, state=Reward.State.APPROVED,
                              referral__created_at__gte=period.since, referral__created_at__lt=period.until)
        .values("member").annotate(total=Sum("points")).order_by().values_list("member", "total")
    )
    return [
        ReferrerRow(member=members[item["referrer"]], clicks=clicks.get(item["referrer"], 0), signups=item["signups"],
                    qualified=item["qualified"], approved=item["approved"], points=points.get(item["referrer"], 0) or 0)
        for item in ranked
    ]


def rewards_issued(period):
    """Rewards made in the period by side and where they stand now: how many, their points, how
    many discount codes and their value per currency (one query)."""
    rows = {}
    grouped = (
        Reward.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .values("side", "state", "currency")
        .annotate(count=Count("pk"), points=Sum("points"), codes=Count("pk", filter=~Q(discount_code="")),
                  value=Sum("discount_value"))
        .order_by("side", "state", "currency")
    )
    for item in grouped:
        key = (item["side"], item["state"])
        if key not in rows:
            rows[key] = RewardRow(item["side"], str(Reward.Side(item["side"]).label), item["state"],
                                  str(Reward.State(item["state"]).label), 0, 0, 0)
        row = rows[key]
        row.count += item["count"]
        row.points += item["points"] or 0
        row.codes += item["codes"]
        if item["value"]:
            total = row.values.get(item["currency"] or "", Decimal(0)) + Decimal(item["value"])
            row.values[item["currency"] or ""] = total.quantize(CENTS)
    return list(rows.values())


# --- tables for the page and the CSV exports --------------------------------------------------

def _share(value):
    return "" if value is None else f"{value:.3f}"


def table(name, period):
    """(header, rows) of one of the report's tables, as plain values for a CSV file. `name` is
    one of TABLES; KeyError otherwise."""
    return TABLES[name](period)


def _funnel_table(rows, first):
    header = [first, "clicks", "signups", "qualified", "approved", "signups_per_click"]
    return header, [[r.label if first == "channel" else r.key, r.clicks, r.signups, r.qualified, r.approved,
                     _share(r.conversion)] for r in rows]


def _channels(period):
    funnel = funnel_by_channel(period)
    header, rows = _funnel_table(funnel, "channel")
    return ["channel_code", *header], [[r.key, *row] for r, row in zip(funnel, rows, strict=True)]


def _months(period):
    return _funnel_table(funnel_by_month(period), "month")


def _referrers(period):
    header = ["username", "name", "clicks", "signups", "qualified", "approved", "points_approved"]
    return header, [[r.member.username, r.member.public_name, r.clicks, r.signups, r.qualified, r.approved, r.points]
                    for r in top_referrers(period)]


def _rewards(period):
    header = ["side", "state", "rewards", "points", "discount_codes", "discount_value"]
    return header, [[r.side, r.state, r.count, r.points, r.codes,
                     " ".join(f"{value} {currency}".strip() for currency, value in sorted(r.values.items()))]
                    for r in rewards_issued(period)]


TABLES = {"channels": _channels, "months": _months, "referrers": _referrers, "rewards": _rewards}
