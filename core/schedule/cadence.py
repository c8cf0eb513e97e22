"""When a job runs: every N minutes, daily at a time, or weekly on a weekday at a time.

A cadence cuts time into slots. `slot_at(now)` is the start of the slot `now` falls in (the latest
start not after `now`); `slot_after(slot)` the start of the next one. A job is due when its current
slot has no run yet, so a slot missed while no scheduler ran (a deploy, a reboot) is run once when
one runs again; earlier missed slots are not run one by one.

Daily and weekly times are wall-clock times in the site's time zone (SCHEDULE_TIME_ZONE, default
settings.TIME_ZONE), worked out with zoneinfo:
- on the day clocks go forward, a time inside the skipped hour (02:30 in Europe) runs at the same
  distance after the jump (03:30 local), once;
- on the day clocks go back, a time inside the repeated hour runs at its first occurrence, once;
- "every N minutes" counts real minutes from the Unix epoch, so it ignores clock changes (N that
  divides 60 runs on the hour and its fractions in any zone whose offset is whole quarter hours).
All returned datetimes are aware, in UTC.
"""

import dataclasses
import datetime
import zoneinfo

from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, ngettext

UTC = datetime.UTC
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def site_zone():
    return zoneinfo.ZoneInfo(getattr(settings, "SCHEDULE_TIME_ZONE", "") or settings.TIME_ZONE)


def _time(value):
    if isinstance(value, datetime.time):
        return value.replace(tzinfo=None)
    hours, minutes = (int(part) for part in str(value).split(":"))
    return datetime.time(hours, minutes)


def _wall(day, at, zone):
    """The instant the site's clocks show `at` on `day` (the first one when they show it twice;
    after the jump when they skip it), in UTC."""
    return datetime.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _as_utc(now):
    if now.tzinfo is None:
        raise ValueError("a naive datetime has no place in the schedule")
    return now.astimezone(UTC)


@dataclasses.dataclass(frozen=True)
class Every:
    """Every `minutes` minutes (1 to 1440)."""

    minutes: int

    def __post_init__(self):
        if not 1 <= int(self.minutes) <= 1440:
            raise ValueError("every: between 1 and 1440 minutes")

    @property
    def period(self):
        return datetime.timedelta(minutes=self.minutes)

    def slot_at(self, now):
        seconds = int((_as_utc(now) - EPOCH).total_seconds())
        step = self.minutes * 60
        return EPOCH + datetime.timedelta(seconds=seconds - seconds % step)

    def slot_after(self, slot):
        return self.slot_at(slot) + self.period

    def describe(self):
        if self.minutes == 1:
            return gettext("every minute")
        if self.minutes == 60:
            return gettext("hourly")
        return ngettext("every %(count)s minute", "every %(count)s minutes", self.minutes) % {"count": self.minutes}


@dataclasses.dataclass(frozen=True)
class Daily:
    """Each day at `at` ("HH:MM"), the site's time."""

    at: datetime.time | str

    def __post_init__(self):
        object.__setattr__(self, "at", _time(self.at))

    period = datetime.timedelta(days=1)

    def slot_at(self, now):
        zone = site_zone()
        day = _as_utc(now).astimezone(zone).date()
        slot = _wall(day, self.at, zone)
        if slot > now:
            slot = _wall(day - datetime.timedelta(days=1), self.at, zone)
        return slot

    def slot_after(self, slot):
        zone = site_zone()
        day = self.slot_at(slot).astimezone(zone).date()
        return _wall(day + datetime.timedelta(days=1), self.at, zone)

    def describe(self):
        return gettext("daily at %(time)s") % {"time": self.at.strftime("%H:%M")}


@dataclasses.dataclass(frozen=True)
class Weekly:
    """Each week on `weekday` (0 Monday … 6 Sunday) at `at` ("HH:MM"), the site's time."""

    weekday: int
    at: datetime.time | str

    def __post_init__(self):
        if not 0 <= int(self.weekday) <= 6:
            raise ValueError("weekly: weekday 0 (Monday) to 6 (Sunday)")
        object.__setattr__(self, "at", _time(self.at))

    period = datetime.timedelta(days=7)

    def slot_at(self, now):
        zone = site_zone()
        today = _as_utc(now).astimezone(zone).date()
        day = today - datetime.timedelta(days=(today.weekday() - self.weekday) % 7)
        slot = _wall(day, self.at, zone)
        if slot > now:
            slot = _wall(day - datetime.timedelta(days=7), self.at, zone)
        return slot

    def slot_after(self, slot):
        zone = site_zone()
        day = self.slot_at(slot).astimezone(zone).date()
        return _wall(day + datetime.timedelta(days=7), self.at, zone)

    def describe(self):
        return gettext("weekly on %(weekday)s at %(time)s") % {
            "weekday": WEEKDAYS[self.weekday], "time": self.at.strftime("%H:%M")}
