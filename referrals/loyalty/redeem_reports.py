"""Loyalty figures for staff: reads only, no request, a fixed number of queries each.

Points by month (approved ledger entries only, by the month they were made, in the site's time
zone; pending points are promises, not yet owed):

- issued: points that became spendable (earning rules, approved referral rewards, positive
  adjustments): the positive entries of every kind but CODE_REFUND;
- taken back: reversals (refunds after approval, order points taken back) and negative
  adjustments: the negative entries of every kind but REDEMPTION and EXPIRY;
- redeemed: points turned into discount codes (REDEMPTION, shown positive);
- returned: points of unused codes given back at expiry (CODE_REFUND);
- expired: points lapsed after a period without activity (EXPIRY, shown positive);
- outstanding: every member's approved points at the end of the month: the liability. It follows
  outstanding(end) = outstanding(start) + issued − taken back − redeemed + returned − expired.

Codes outstanding: discount codes made but neither used nor closed, their value per currency: what
the shop may still be asked to honour.

Members per tier: active members by their tier now (LoyaltyAccount); a member without an account
yet is in the lowest tier, as referrals.loyalty.selectors.member_tier says.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from ..models import DiscountCode, LedgerEntry
from .models import LoyaltyAccount, Tier

Kind = LedgerEntry.Kind
APPROVED = LedgerEntry.Status.APPROVED


@dataclass
class PointsMonth:
    month: datetime.date
    issued: int = 0
    taken_back: int = 0
    redeemed: int = 0
    returned: int = 0
    expired: int = 0
    outstanding: int = 0

    @property
    def label(self):
        return self.month.isoformat()[:7]


def points_by_month(period):
    """A PointsMonth for every month of the period (referrals.reports.Period), oldest first, with
    the outstanding balance carried from before it (two queries)."""
    approved = LedgerEntry.objects.filter(status=APPROVED)
    opening = approved.filter(created_at__lt=period.since).aggregate(total=Coalesce(Sum("points"), 0))["total"]
    rows = {month: PointsMonth(month) for month in period.months()}
    grouped = (
        approved.filter(created_at__gte=period.since, created_at__lt=period.until)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month", "kind")
        .annotate(plus=Coalesce(Sum("points", filter=Q(points__gt=0)), 0),
                  minus=Coalesce(Sum("points", filter=Q(points__lt=0)), 0))
        .order_by()
    )
    for item in grouped:
        row = rows.get(item["month"])
        if row is None:
            continue
        kind, plus, minus = item["kind"], item["plus"], -item["minus"]
        if kind == Kind.REDEMPTION:
            row.redeemed += minus - plus
        elif kind == Kind.CODE_REFUND:
            row.returned += plus - minus
        elif kind == Kind.EXPIRY:
            row.expired += minus - plus
        else:
            row.issued += plus
            row.taken_back += minus
    running = opening
    for row in rows.values():
        running += row.issued - row.taken_back - row.redeemed + row.returned - row.expired
        row.outstanding = running
    return list(rows.values())


def codes_outstanding():
    """{currency: (count, value)} of codes still ready (one query)."""
    return {
        item["currency"]: (item["count"], Decimal(item["value"] or 0).quantize(Decimal("0.01")))
        for item in DiscountCode.objects.filter(state=DiscountCode.State.READY).values("currency")
        .annotate(count=Count("pk"), value=Sum("value")).order_by("currency")
    }


@dataclass
class TierRow:
    tier: object  # Tier, or None when editors made none
    label: str
    members: int


def members_per_tier():
    """Active members per tier, lowest tier first (three queries)."""
    tiers = list(Tier.objects.order_by("threshold", "pk"))
    active = Q(member__is_active=True, member__deleted_at__isnull=True)
    counts = dict(LoyaltyAccount.objects.filter(active, tier__isnull=False).values("tier")
                  .annotate(n=Count("pk")).order_by().values_list("tier", "n"))
    members = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True).count()
    if not tiers:
        return [TierRow(None, "", members)]
    rows = [TierRow(tier, tier.name, counts.get(tier.pk, 0)) for tier in tiers]
    rows[0].members += members - sum(counts.values())  # no account yet, or no tier: the lowest
    return rows


# --- CSV tables ------------------------------------------------------------------------------------

def _months_table(period):
    header = ["month", "issued", "taken_back", "redeemed", "returned", "expired", "outstanding"]
    return header, [[r.label, r.issued, r.taken_back, r.redeemed, r.returned, r.expired, r.outstanding]
                    for r in points_by_month(period)]


def _tiers_table(period):
    return ["tier", "members"], [[r.label, r.members] for r in members_per_tier()]


def codes_rows(period):
    """The discount codes made in the period, oldest first (one query, streamed)."""
    codes = (DiscountCode.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
             .select_related("member", "used_order").order_by("created_at", "pk"))
    for code in codes.iterator(chunk_size=2000):
        yield [code.code, code.member.username, code.points, f"{code.value:.2f}", code.currency, code.state,
               code.created_at.isoformat(), code.expires_at.isoformat(),
               code.used_at.isoformat() if code.used_at else "",
               code.used_order.external_id if code.used_order else "",
               code.closed_at.isoformat() if code.closed_at else ""]


CODES_HEADER = ["code", "member", "points", "value", "currency", "state", "created_at", "expires_at", "used_at",
                "order_id", "closed_at"]


def _codes_table(period):
    return CODES_HEADER, codes_rows(period)


TABLES = {"months": _months_table, "tiers": _tiers_table, "codes": _codes_table}


def table(name, period):
    return TABLES[name](period)
