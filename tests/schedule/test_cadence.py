"""When each cadence's slots start, in the site's time zone (Europe/Oslo here): across the two
clock changes of 2026 (29 March 02:00 → 03:00, 25 October 03:00 → 02:00), month and year ends and
leap days. Table-driven: (cadence, now, the slot now falls in, the slot after it), all in UTC."""

import datetime

import pytest

from core.schedule.cadence import Daily, Every, Weekly


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


CASES = [
    # every N minutes: real minutes, clock changes ignored
    (Every(1), "2026-03-29 01:00:59", "2026-03-29 01:00", "2026-03-29 01:01"),
    (Every(15), "2026-03-29 00:59:00", "2026-03-29 00:45", "2026-03-29 01:00"),
    (Every(15), "2026-10-25 00:59:59", "2026-10-25 00:45", "2026-10-25 01:00"),
    (Every(60), "2026-01-31 23:30:00", "2026-01-31 23:00", "2026-02-01 00:00"),
    (Every(60), "2026-12-31 23:59:59", "2026-12-31 23:00", "2027-01-01 00:00"),
    # daily at 00:30 Oslo: winter 23:30 UTC the day before, summer 22:30 UTC the day before
    (Daily("00:30"), "2026-01-31 23:29:00", "2026-01-30 23:30", "2026-01-31 23:30"),  # 1 Feb 00:29 Oslo: 31 Jan 00:30 ran last
    (Daily("00:30"), "2026-01-31 23:30:00", "2026-01-31 23:30", "2026-02-01 23:30"),  # 1 Feb 00:30 Oslo
    (Daily("00:30"), "2026-02-28 23:45:00", "2026-02-28 23:30", "2026-03-01 23:30"),  # into March, no 29 Feb in 2026
    (Daily("00:30"), "2028-02-28 23:45:00", "2028-02-28 23:30", "2028-02-29 23:30"),  # 29 Feb 2028 exists
    (Daily("00:30"), "2026-03-28 23:30:00", "2026-03-28 23:30", "2026-03-29 22:30"),  # 29 Mar 00:30 CET; next is CEST
    (Daily("00:30"), "2026-12-31 23:30:00", "2026-12-31 23:30", "2027-01-01 23:30"),  # New Year's Day 00:30
    # daily at 09:00 Oslo: 08:00 UTC in winter, 07:00 UTC in summer
    (Daily("09:00"), "2026-03-29 06:59:00", "2026-03-28 08:00", "2026-03-29 07:00"),
    (Daily("09:00"), "2026-03-29 07:00:00", "2026-03-29 07:00", "2026-03-30 07:00"),
    (Daily("09:00"), "2026-10-25 07:59:00", "2026-10-24 07:00", "2026-10-25 08:00"),
    (Daily("09:00"), "2026-10-25 08:00:00", "2026-10-25 08:00", "2026-10-26 08:00"),
    # 02:30 does not exist on 29 March (02:00 → 03:00): that day it runs at 03:30 CEST (01:30 UTC), once
    (Daily("02:30"), "2026-03-29 01:29:00", "2026-03-28 01:30", "2026-03-29 01:30"),
    (Daily("02:30"), "2026-03-29 01:30:00", "2026-03-29 01:30", "2026-03-30 00:30"),
    # 02:30 happens twice on 25 October (03:00 → 02:00): the first one (CEST, 00:30 UTC), once
    (Daily("02:30"), "2026-10-25 00:30:00", "2026-10-25 00:30", "2026-10-26 01:30"),
    (Daily("02:30"), "2026-10-25 01:30:00", "2026-10-25 00:30", "2026-10-26 01:30"),  # the second 02:30: same slot
    # weekly, Friday (4) 16:00 Oslo; 30 Oct 2026 is a Friday in CET, 27 March one in CET before the change
    (Weekly(4, "16:00"), "2026-03-27 14:59:00", "2026-03-20 15:00", "2026-03-27 15:00"),
    (Weekly(4, "16:00"), "2026-04-01 10:00:00", "2026-03-27 15:00", "2026-04-03 14:00"),  # across the change
    (Weekly(4, "16:00"), "2026-10-30 15:00:00", "2026-10-30 15:00", "2026-11-06 15:00"),
    (Weekly(4, "16:00"), "2026-10-30 14:59:59", "2026-10-23 14:00", "2026-10-30 15:00"),
    # Monday 00:10 Oslo is Sunday 23:10 UTC in winter: the week's start crosses the UTC date and a month end
    (Weekly(0, "00:10"), "2026-11-29 23:10:00", "2026-11-29 23:10", "2026-12-06 23:10"),
    (Weekly(0, "00:10"), "2026-11-29 23:09:00", "2026-11-22 23:10", "2026-11-29 23:10"),
]


@pytest.mark.parametrize(("cadence", "now", "slot", "after"), CASES)
def test_slots_in_the_site_time_zone(oslo, cadence, now, slot, after):
    assert cadence.slot_at(utc(now)) == utc(slot)
    assert cadence.slot_after(utc(slot)) == utc(after)
    # the slot after is where slot_at lands from then on
    assert cadence.slot_at(utc(after)) == utc(after)
    assert cadence.slot_at(utc(after) - datetime.timedelta(microseconds=1)) == utc(slot)


def test_one_slot_per_day_over_a_year_with_both_clock_changes(oslo):
    """Walking 2026 minute by minute from slot to slot: 365 daily slots, each at 09:00 Oslo."""
    import zoneinfo

    cadence, zone = Daily("09:00"), zoneinfo.ZoneInfo("Europe/Oslo")
    slot, seen = cadence.slot_at(utc("2026-01-01 00:00:00")), []
    while (slot := cadence.slot_after(slot)) < utc("2027-01-01 00:00:00"):
        seen.append(slot.astimezone(zone))
    assert len(seen) == 365 and len({s.date() for s in seen}) == 365
    assert {(s.hour, s.minute) for s in seen} == {(9, 0)}


def test_the_site_time_zone_is_time_zone_by_default(settings):
    settings.TIME_ZONE = "Europe/Budapest"
    settings.SCHEDULE_TIME_ZONE = ""
    assert Daily("09:00").slot_at(utc("2026-07-01 12:00:00")) == utc("2026-07-01 07:00")


def test_a_naive_now_and_bad_cadences_are_refused():
    with pytest.raises(ValueError):
        Daily("09:00").slot_at(datetime.datetime(2026, 1, 1))
    for make in (lambda: Every(0), lambda: Every(1441), lambda: Weekly(7, "09:00"), lambda: Daily("25:00")):
        with pytest.raises(ValueError):
            make()
