"""Periods in the site's time zone: months and quarters begin at local midnight on their first day,
so an order at 00:30 in Athens on 1 March belongs to March even though it is still February in UTC.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH, QUARTER = "month", "quarter"
GRAINS = (MONTH, QUARTER)
MAX_DAYS = 5 * 366


def local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_start(day):
    return day.replace(day=1)


def next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_quarter(day):
    start = quarter_start(day)
    for _i in range(3):
        start = next_month(start)
    return start


@dataclass(frozen=True)
class Range:
    """From `start` to `end`, both dates included, in the site's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self):
        return local_midnight(self.start)

    @property
    def until(self):
        """The first moment after the range."""
        return local_midnight(self.end + datetime.timedelta(days=1))

    @classmethod
    def last_months(cls, months=12, today=None):
        """The current month and the `months - 1` before it, up to today."""
        today = today or timezone.localdate()
        start = today.replace(day=1)
        for _i in range(months - 1):
            start = (start - datetime.timedelta(days=1)).replace(day=1)
        return cls(start, today)

    def key(self):
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first day
    end: datetime.date  # first day after (may be cut short by the range: `partial`)
    grain: str
    partial: bool = False

    @property
    def since(self):
        return local_midnight(self.start)

    @property
    def until(self):
        return local_midnight(self.end)

    @property
    def label(self):
        if self.grain == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    @property
    def short_label(self):
        """For a chart's axis: "Q1 25" or the month's abbreviation and year."""
        if self.grain == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.strftime("%y")}
        return date_format(self.start, "M y")

    @property
    def code(self):
        """A language-independent name, for CSV files."""
        if self.grain == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return self.start.strftime("%Y-%m")


def periods(date_range, grain=MONTH):
    """The months (or quarters) the range touches, in order; the last ends with the range (its end
    date included) when the range stops inside it, and is then `partial`."""
    first, step = (month_start, next_month) if grain == MONTH else (quarter_start, next_quarter)
    out = []
    start = first(date_range.start)
    last = date_range.end + datetime.timedelta(days=1)
    while start < last:
        end = step(start)
        out.append(Period(start, min(end, last), grain, partial=end > last))
        start = end
    return out
