"""Reads for the surveys' admin: NPS per month, the CSAT average, comments, the follow-up queue.

NPS of a month = % promoters (9-10) − % detractors (0-6) of that month's answers, rounded to a
whole number; a month without answers has no NPS (None), not 0. A month's answers are counted by
when they were answered (settings.TIME_ZONE)."""

import dataclasses
import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Survey

PROMOTER = Q(score__gte=9)
PASSIVE = Q(score__gte=7, score__lte=8)
DETRACTOR = Q(score__lte=6)


@dataclasses.dataclass(frozen=True)
class NpsMonth:
    month: datetime.date
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def answers(self):
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self):
        if not self.answers:
            return None
        return round((self.promoters - self.detractors) * 100 / self.answers)


def nps_score(promoters, passives, detractors):
    return NpsMonth(datetime.date.min, promoters, passives, detractors).nps


def _months_back(today, count):
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def nps_by_month(months=12, *, now=None):
    """[NpsMonth] for the last `months` months, newest first, months without answers included. One query."""
    now = now or timezone.now()
    wanted = _months_back(timezone.localtime(now).date(), months)
    start = timezone.make_aware(datetime.datetime.combine(wanted[-1], datetime.time.min))
    rows = (Survey.objects.filter(type=Survey.Type.NPS, score__isnull=False, answered_at__gte=start)
            .annotate(month=TruncMonth("answered_at")).values("month")
            .annotate(promoters=Count("pk", filter=PROMOTER), passives=Count("pk", filter=PASSIVE),
                      detractors=Count("pk", filter=DETRACTOR)))
    found = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        found[month] = NpsMonth(month, row["promoters"], row["passives"], row["detractors"])
    return [found.get(month, NpsMonth(month)) for month in wanted]


def csat_summary(*, since=None):
    """{"average": mean score (None without answers), "answers": count, "happy": share 4-5 in %}. One query."""
    rows = Survey.objects.filter(type=Survey.Type.CSAT, score__isnull=False)
    if since is not None:
        rows = rows.filter(answered_at__gte=since)
    data = rows.aggregate(average=Avg("score"), answers=Count("pk"), happy=Count("pk", filter=Q(score__gte=4)))
    data["happy"] = round(data["happy"] * 100 / data["answers"]) if data["answers"] else None
    if data["average"] is not None:
        data["average"] = round(float(data["average"]), 2)
    return data


def survey_comments():
    """Answers with a comment, newest first, with their order and member (for a paginated list)."""
    return (Survey.objects.filter(score__isnull=False).exclude(comment="")
            .select_related("order", "member").order_by("-answered_at", "-pk"))


def follow_up_queue(state=Survey.FollowUp.NEW):
    rows = Survey.objects.exclude(follow_up="").select_related("order", "member", "follow_up_by")
    if state:
        rows = rows.filter(follow_up=state)
    return rows.order_by("answered_at", "pk")
