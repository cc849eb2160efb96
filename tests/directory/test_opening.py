"""Tests for beacon.directory.opening: "open now" from HSDS schedules (no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.directory.opening import (
    CompiledSchedule,
    ScheduleRule,
    compile_rules,
    intervals_between,
    is_always_open,
    is_open,
    next_change,
    open_intervals,
    parse_hsds_schedule,
    weekly_hours,
)

LONDON = "Europe/London"
NY = "America/New_York"
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def weekly(byday, opens, closes, **kw):
    return ScheduleRule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes, **kw)


def local(tz, *args):
    return datetime(*args, tzinfo=ZoneInfo(tz))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def duration(intervals):
    return sum(((e.astimezone(UTC) - s.astimezone(UTC)) for s, e in intervals), timedelta())


# 2026-05-11 is a Monday; 2026-05-15 a Friday.
MON = date(2026, 5, 11)


# --------------------------------------------------------------------- basic semantics


def test_split_hours_closed_at_lunch():
    rules = [weekly(WEEKDAYS, time(9), time(12)), weekly(WEEKDAYS, time(13), time(17))]
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 10))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 12, 30))
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 13))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 17))  # closing is exclusive
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 16, 10))  # Saturday
    spans = open_intervals(rules, LONDON, MON)
    assert [(s.time(), e.time()) for s, e in spans] == [(time(9), time(12)), (time(13), time(17))]


def test_overnight_window_runs_into_next_day():
    rules = [weekly("FR", time(22), time(2))]
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 15, 21, 59))
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 15, 23))
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 16, 1, 30))  # Saturday, no SA rule
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 16, 2, 30))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 14, 1, 30))  # not after Wednesday
    saturday = open_intervals(rules, LONDON, date(2026, 5, 16))
    assert [(s.time(), e.time()) for s, e in saturday] == [(time(0), time(2))]
    friday = open_intervals(rules, LONDON, date(2026, 5, 15))
    assert [(s.hour, e.date()) for s, e in friday] == [(22, date(2026, 5, 16))]  # to midnight


@pytest.mark.parametrize("closes", [time(0), time(23, 59)])
def test_24_7(closes):
    rules = [weekly(EVERY_DAY, time(0), closes)]
    for hour in (0, 3, 12, 23):
        assert is_open(rules, LONDON, local(LONDON, 2026, 5, 13, hour, 59, 30))
    assert is_always_open(rules, on=MON)
    assert weekly_hours(rules, on=MON) == [(wd, "Open 24 hours") for wd in range(7)]
    assert next_change(rules, LONDON, local(LONDON, 2026, 5, 13, 12)) is None
    assert duration(open_intervals(rules, LONDON, MON)) == timedelta(hours=24)


def test_not_always_open():
    assert not is_always_open([weekly(WEEKDAYS, time(0), time(0))], on=MON)  # no weekend
    assert not is_always_open([weekly(EVERY_DAY, time(0), time(23))], on=MON)
    assert not is_always_open([], on=MON)
    holiday = ScheduleRule(valid_from=date(2026, 12, 25), closed=True)
    rules = [weekly(EVERY_DAY, time(0), time(0)), holiday]
    assert not is_always_open(rules, on=date(2026, 12, 20))  # a closure this week
    assert not is_always_open(rules, on=date(2026, 12, 25))  # ... on the day itself
    assert is_always_open(rules, on=date(2026, 12, 26))  # ... but not after it has passed
    fortnightly = weekly(EVERY_DAY, time(0), time(0), interval=2, dtstart=MON)
    assert not is_always_open([fortnightly], on=MON)


def test_24_7_needs_one_channel_to_cover_the_week():
    shared = [
        weekly(EVERY_DAY, time(9), time(17), channel="call"),
        weekly(EVERY_DAY, time(17), time(9), channel="chat"),
    ]
    assert not is_always_open(shared, on=MON)  # open around the clock, but no line is 24/7
    assert is_open(shared, LONDON, local(LONDON, 2026, 5, 11, 3))
    with_general = [*shared, weekly(EVERY_DAY, time(0), time(0))]  # every channel, all day
    assert is_always_open(with_general, on=MON)
    assert is_always_open(with_general, channel="chat", on=MON)


def test_24_7_counts_only_closures_in_the_coming_week():
    first_monday_closed = ScheduleRule(freq="MONTHLY", byday="1MO", closed=True)
    rules = [weekly(EVERY_DAY, time(0), time(0)), first_monday_closed]
    assert not is_always_open(rules, on=date(2026, 5, 28))  # 1 June is a first Monday
    assert is_always_open(rules, on=date(2026, 5, 12))  # the next one is weeks away
    call_holiday = ScheduleRule(valid_from=date(2026, 5, 13), closed=True, channel="call")
    rules = [weekly(EVERY_DAY, time(0), time(0)), call_holiday]
    assert not is_always_open(rules, channel="call", on=MON)
    assert is_always_open(rules, channel="text", on=MON)
    assert is_always_open(rules, on=MON)  # text stays 24/7 all week
    special = ScheduleRule(valid_from=date(2026, 5, 14), opens_at=time(10), closes_at=time(12))
    assert not is_always_open([weekly(EVERY_DAY, time(0), time(0)), special], on=MON)
    assert is_always_open([weekly(EVERY_DAY, time(0), time(0)), special], on=MON, horizon_days=2)


def test_24_7_from_overnight_pieces():
    rules = [weekly(EVERY_DAY, time(22), time(2)), weekly(EVERY_DAY, time(2), time(22))]
    assert is_always_open(rules, on=MON)
    assert weekly_hours(rules, on=MON)[0] == (0, "Open 24 hours")


def test_empty_rules_are_closed():
    assert not is_open([], LONDON, utc(2026, 5, 11, 12))
    assert open_intervals([], LONDON, MON) == []
    assert next_change([], LONDON, utc(2026, 5, 11, 12)) is None
    assert weekly_hours([], on=MON) == [(wd, "Closed") for wd in range(7)]


def test_rules_without_times_say_nothing():
    rules = [ScheduleRule(freq="WEEKLY", byday=WEEKDAYS)]
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 12))


# --------------------------------------------------------------------- time zones and DST


def test_at_in_another_zone_is_converted():
    rules = [weekly(WEEKDAYS, time(9), time(17))]
    # 08:30 UTC on a May Monday is 09:30 BST.
    assert is_open(rules, LONDON, utc(2026, 5, 11, 8, 30))
    assert not is_open(rules, LONDON, utc(2026, 5, 11, 16, 30))  # 17:30 BST
    # 07:30 Tokyo on Tuesday is 23:30 Monday in London: closed.
    assert not is_open(rules, LONDON, local("Asia/Tokyo", 2026, 5, 12, 7, 30))
    # Monday 23:30 in New York is already Tuesday 04:30 in London: closed; 04:30 NY is open.
    assert is_open(rules, LONDON, local(NY, 2026, 5, 11, 4, 30))
    # A tzinfo object works as well as a name.
    assert is_open(rules, ZoneInfo(LONDON), utc(2026, 5, 11, 8, 30))


@pytest.mark.parametrize(
    ("day", "offset"),
    [(date(2026, 3, 8), 4), (date(2026, 11, 1), 5)],  # spring forward / fall back in the US
)
def test_new_york_dst_days_keep_wall_clock_hours(day, offset):
    rules = [weekly(EVERY_DAY, time(9), time(17))]
    assert is_open(rules, NY, local(NY, day.year, day.month, day.day, 16, 30))
    assert not is_open(rules, NY, local(NY, day.year, day.month, day.day, 17, 30))
    ((start, end),) = open_intervals(rules, NY, day)
    assert start.astimezone(UTC) == utc(day.year, day.month, day.day, 9 + offset)
    assert end.astimezone(UTC) == utc(day.year, day.month, day.day, 17 + offset)
    assert duration([(start, end)]) == timedelta(hours=8)
    assert is_open(rules, NY, utc(day.year, day.month, day.day, 17 + offset - 1, 59))
    assert not is_open(rules, NY, utc(day.year, day.month, day.day, 17 + offset))


@pytest.mark.parametrize(("night", "hours"), [(date(2026, 3, 7), 7), (date(2026, 10, 31), 9)])
def test_overnight_window_on_dst_night_has_true_duration(night, hours):
    rules = [weekly(EVERY_DAY, time(22), time(6))]
    start = local(NY, night.year, night.month, night.day, 12)
    spans = intervals_between(rules, NY, start, start + timedelta(days=1))
    assert len(spans) == 1
    assert duration(spans) == timedelta(hours=hours)
    # The two per-day pieces add up to the same.
    pieces = (
        open_intervals(rules, NY, night)[-1:]
        + open_intervals(rules, NY, night + timedelta(days=1))[:1]
    )
    assert duration(pieces) == timedelta(hours=hours)


def test_london_spring_forward_gap():
    day = date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
    early = [weekly("SU", time(0), time(2))]
    ((start, end),) = open_intervals(early, LONDON, day)
    assert start.astimezone(UTC) == utc(2026, 3, 29, 0)
    assert end.astimezone(UTC) == utc(2026, 3, 29, 1)  # 02:00 BST: only one real hour
    assert is_open(early, LONDON, utc(2026, 3, 29, 0, 59))
    assert not is_open(early, LONDON, utc(2026, 3, 29, 1, 0))
    # A window opening at the non-existent 01:30 opens when the clocks jump.
    late = [weekly("SU", time(1, 30), time(3))]
    ((start, end),) = open_intervals(late, LONDON, day)
    assert start.astimezone(UTC) == utc(2026, 3, 29, 1)
    assert end.astimezone(UTC) == utc(2026, 3, 29, 2)
    assert is_open(late, LONDON, utc(2026, 3, 29, 1, 0))
    # 24 hours on that day are 23 real hours.
    assert duration(open_intervals([weekly("SU", time(0), time(0))], LONDON, day)) == timedelta(
        hours=23
    )


def test_london_fall_back_repeated_hour():
    day = date(2026, 10, 25)  # 02:00 BST becomes 01:00 GMT
    assert duration(open_intervals([weekly("SU", time(0), time(0))], LONDON, day)) == timedelta(
        hours=25
    )
    rules = [weekly("SU", time(0), time(1, 30))]  # closes at the first 01:30
    assert is_open(rules, LONDON, utc(2026, 10, 25, 0, 15))  # 01:15 BST
    assert not is_open(rules, LONDON, utc(2026, 10, 25, 1, 15))  # 01:15 GMT


# --------------------------------------------------------------------- exceptions


REGULAR = weekly(EVERY_DAY, time(9), time(17))
XMAS = date(2026, 12, 25)


def test_holiday_closure_closes_all_channels():
    rules = [REGULAR, ScheduleRule(valid_from=XMAS, valid_to=XMAS, closed=True)]
    at = local(LONDON, 2026, 12, 25, 12)
    for channel in ("", "call", "chat"):
        assert not is_open(rules, LONDON, at, channel=channel)
    assert is_open(rules, LONDON, local(LONDON, 2026, 12, 24, 12))
    assert is_open(rules, LONDON, local(LONDON, 2026, 12, 26, 12))
    assert open_intervals(rules, LONDON, XMAS) == []


def test_holiday_closure_for_one_channel():
    rules = [REGULAR, ScheduleRule(valid_from=XMAS, channel="chat", closed=True)]
    at = local(LONDON, 2026, 12, 25, 12)
    assert not is_open(rules, LONDON, at, channel="chat")
    assert is_open(rules, LONDON, at, channel="call")
    assert is_open(rules, LONDON, at)  # some channel is open


def test_closure_over_a_date_range_and_partial_closure():
    rules = [
        REGULAR,
        ScheduleRule(valid_from=date(2026, 12, 24), valid_to=date(2026, 12, 26), closed=True),
        ScheduleRule(
            valid_from=date(2026, 12, 31), opens_at=time(12), closes_at=time(13), closed=True
        ),
    ]
    for day in (24, 25, 26):
        assert not is_open(rules, LONDON, local(LONDON, 2026, 12, day, 10))
    assert is_open(rules, LONDON, local(LONDON, 2026, 12, 27, 10))
    spans = open_intervals(rules, LONDON, date(2026, 12, 31))
    assert [(s.time(), e.time()) for s, e in spans] == [(time(9), time(12)), (time(13), time(17))]


def test_weekly_closure_and_closure_keeps_overnight_shift_started_before():
    rules = [
        weekly(EVERY_DAY, time(22), time(2)),
        ScheduleRule(freq="WEEKLY", byday="SA", closed=True),
    ]
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 16, 1))  # Friday's shift runs on
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 16, 23))  # no Saturday shift
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 17, 23))


def test_exception_hours_replace_the_regular_hours():
    special = ScheduleRule(valid_from=XMAS, valid_to=XMAS, opens_at=time(10), closes_at=time(14))
    rules = [REGULAR, special]
    assert not is_open(rules, LONDON, local(LONDON, 2026, 12, 25, 9, 30))
    assert is_open(rules, LONDON, local(LONDON, 2026, 12, 25, 13, 30))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 12, 25, 15))
    assert is_open(rules, LONDON, local(LONDON, 2026, 12, 24, 15))
    assert next_change(rules, LONDON, local(LONDON, 2026, 12, 25, 8)) == local(
        LONDON, 2026, 12, 25, 10
    )


def test_exception_hours_for_one_channel():
    special = ScheduleRule(valid_from=XMAS, opens_at=time(10), closes_at=time(12), channel="call")
    rules = [REGULAR, special]
    at = local(LONDON, 2026, 12, 25, 15)
    assert not is_open(rules, LONDON, at, channel="call")
    assert is_open(rules, LONDON, at, channel="chat")
    assert is_open(rules, LONDON, at)


# --------------------------------------------------------------------- channels


def test_per_channel_hours():
    rules = [
        weekly(EVERY_DAY, time(0), time(0), channel="call"),
        weekly(EVERY_DAY, time(18), time(23), channel="chat"),
    ]
    noon = local(LONDON, 2026, 5, 11, 12)
    assert not is_open(rules, LONDON, noon, channel="chat")
    assert is_open(rules, LONDON, noon, channel="call")
    assert is_open(rules, LONDON, noon)
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 19), channel="chat")
    assert not is_open(rules, LONDON, noon, channel="text")  # no rules apply to text
    assert is_always_open(rules, channel="call", on=MON)
    assert not is_always_open(rules, channel="chat", on=MON)
    assert is_always_open(rules, on=MON)
    assert weekly_hours(rules, channel="chat", on=MON)[0] == (0, "18:00–23:00")
    assert next_change(rules, LONDON, noon, channel="chat") == local(LONDON, 2026, 5, 11, 18)


def test_generic_rules_apply_to_every_channel():
    rules = [REGULAR, weekly(EVERY_DAY, time(18), time(23), channel="chat")]
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 10), channel="chat")
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 10), channel="video")
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 19), channel="call")
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 11, 19))
    assert weekly_hours(rules, on=MON)[0] == (0, "09:00–17:00, 18:00–23:00")


def test_unknown_channel_is_an_error():
    with pytest.raises(ValueError, match="channel"):
        is_open([REGULAR], LONDON, utc(2026, 5, 11, 12), channel="fax")
    with pytest.raises(ValueError, match="channel"):
        ScheduleRule(freq="WEEKLY", byday="MO", channel="fax")


# --------------------------------------------------------------------- validity and recurrence


def test_valid_from_valid_to_and_until_bound_the_rule():
    rules = [
        weekly(
            EVERY_DAY, time(9), time(17), valid_from=date(2026, 6, 1), valid_to=date(2026, 6, 30)
        )
    ]
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 31, 12))
    assert is_open(rules, LONDON, local(LONDON, 2026, 6, 1, 12))
    assert is_open(rules, LONDON, local(LONDON, 2026, 6, 30, 12))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 7, 1, 12))
    until = [weekly(EVERY_DAY, time(9), time(17), until=date(2026, 6, 30))]
    assert is_open(until, LONDON, local(LONDON, 2026, 6, 30, 12))
    assert not is_open(until, LONDON, local(LONDON, 2026, 7, 1, 12))
    assert weekly_hours(until, on=date(2026, 7, 1))[0] == (0, "Closed")


def test_every_other_week():
    rules = [weekly("WE", time(10), time(12), interval=2, dtstart=date(2026, 5, 13))]
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 13, 11))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 20, 11))
    assert is_open(rules, LONDON, local(LONDON, 2026, 5, 27, 11))
    assert not is_open(rules, LONDON, local(LONDON, 2026, 5, 6, 11))  # before dtstart
    thursday = local(LONDON, 2026, 5, 14, 11)
    assert next_change(rules, LONDON, thursday, horizon_days=14) == local(LONDON, 2026, 5, 27, 10)
    assert next_change(rules, LONDON, thursday) is None  # not within the default 8 days


def test_monthly_nth_weekday():
    first_tuesday = ScheduleRule(freq="MONTHLY", byday="1TU", opens_at=time(18), closes_at=time(20))
    assert is_open([first_tuesday], LONDON, local(LONDON, 2026, 5, 5, 19))
    assert not is_open([first_tuesday], LONDON, local(LONDON, 2026, 5, 12, 19))
    assert is_open([first_tuesday], LONDON, local(LONDON, 2026, 6, 2, 19))
    last_friday = ScheduleRule(freq="MONTHLY", byday="-1FR", opens_at=time(9), closes_at=time(12))
    assert is_open([last_friday], LONDON, local(LONDON, 2026, 5, 29, 10))
    assert not is_open([last_friday], LONDON, local(LONDON, 2026, 5, 22, 10))
    assert is_open([last_friday], LONDON, local(LONDON, 2026, 2, 27, 10))


def test_monthly_by_month_day():
    rule = ScheduleRule(freq="MONTHLY", bymonthday="1,15,-1", opens_at=time(9), closes_at=time(10))
    for day in (date(2026, 5, 1), date(2026, 5, 15), date(2026, 5, 31), date(2026, 2, 28)):
        assert is_open([rule], LONDON, local(LONDON, day.year, day.month, day.day, 9, 30))
    assert not is_open([rule], LONDON, local(LONDON, 2026, 5, 30, 9, 30))
    friday_13th = ScheduleRule(
        freq="MONTHLY", byday="FR", bymonthday="13", opens_at=time(9), closes_at=time(10)
    )
    assert is_open([friday_13th], LONDON, local(LONDON, 2026, 2, 13, 9, 30))
    assert not is_open([friday_13th], LONDON, local(LONDON, 2026, 5, 13, 9, 30))  # Wednesday
    quarterly = ScheduleRule(
        freq="MONTHLY", interval=3, bymonthday="1", dtstart=date(2026, 1, 1), opens_at=time(9),
        closes_at=time(10),
    )  # fmt: skip
    assert is_open([quarterly], LONDON, local(LONDON, 2026, 4, 1, 9, 30))
    assert not is_open([quarterly], LONDON, local(LONDON, 2026, 5, 1, 9, 30))


# --------------------------------------------------------------------- next_change and display


def test_next_change_messages():
    rules = [weekly(WEEKDAYS, time(9), time(17))]
    assert next_change(rules, LONDON, local(LONDON, 2026, 5, 11, 8)) == local(
        LONDON, 2026, 5, 11, 9
    )
    assert next_change(rules, LONDON, local(LONDON, 2026, 5, 11, 10)) == local(
        LONDON, 2026, 5, 11, 17
    )
    # Friday evening: opens on Monday.
    assert next_change(rules, LONDON, local(LONDON, 2026, 5, 15, 18)) == local(
        LONDON, 2026, 5, 18, 9
    )
    changed = next_change(rules, LONDON, utc(2026, 5, 11, 10))
    assert changed is not None
    assert changed.tzinfo == ZoneInfo(LONDON)


def test_weekly_hours_display():
    rules = [
        weekly(WEEKDAYS, time(13), time(17)),
        weekly(WEEKDAYS, time(9), time(12, 30)),
        weekly("SA", time(22), time(2)),
        weekly("SU", time(10), time(0)),
    ]
    assert weekly_hours(rules, on=MON) == [
        (0, "09:00–12:30, 13:00–17:00"),
        (1, "09:00–12:30, 13:00–17:00"),
        (2, "09:00–12:30, 13:00–17:00"),
        (3, "09:00–12:30, 13:00–17:00"),
        (4, "09:00–12:30, 13:00–17:00"),
        (5, "22:00–02:00"),
        (6, "10:00–00:00"),
    ]


# --------------------------------------------------------------------- robustness and API


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        is_open([REGULAR], "Mars/Olympus", utc(2026, 5, 11, 12))
    with pytest.raises(ValueError, match="time zone"):
        open_intervals([REGULAR], "", MON)


def test_naive_datetime_is_an_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open([REGULAR], LONDON, datetime(2026, 5, 11, 12))


def test_compiled_schedule_gives_the_same_answers():
    rules = [REGULAR, ScheduleRule(valid_from=XMAS, closed=True)]
    compiled = compile_rules(rules)
    assert isinstance(compiled, CompiledSchedule)
    assert compile_rules(compiled) is compiled
    for at in (local(LONDON, 2026, 12, 24, 12), local(LONDON, 2026, 12, 25, 12)):
        assert is_open(compiled, LONDON, at) == is_open(rules, LONDON, at)
    assert open_intervals(compiled, LONDON, XMAS) == []
    assert weekly_hours(compiled, on=MON) == weekly_hours(rules, on=MON)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"freq": "DAILY"}, "freq"),
        ({"freq": "WEEKLY", "byday": "XX"}, "byday"),
        ({"freq": "WEEKLY", "byday": "1MO"}, "byday"),
        ({"freq": "MONTHLY", "byday": "9MO"}, "byday"),
        ({"freq": "MONTHLY", "bymonthday": "32"}, "bymonthday"),
        ({"freq": "MONTHLY", "bymonthday": "x"}, "bymonthday"),
        ({"freq": "WEEKLY"}, "byday"),
        ({"freq": "WEEKLY", "byday": "MO", "interval": 0}, "interval"),
        ({"freq": "WEEKLY", "byday": "MO", "interval": 2}, "dtstart"),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": time(9)}, "closes_at"),
        ({"freq": None}, "valid_from"),
        ({"valid_from": XMAS, "valid_to": date(2026, 1, 1)}, "valid_to"),
        ({"freq": "WEEKLY", "byday": "MO", "wkst": "XX"}, "wkst"),
    ],
)
def test_invalid_rules_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        ScheduleRule(**kwargs)


def test_rules_are_normalised():
    rule = ScheduleRule(freq="weekly", byday="mo, tu", channel="Call")
    assert (rule.freq, rule.byday, rule.channel) == ("WEEKLY", "MO,TU", "call")


# --------------------------------------------------------------------- HSDS parsing


def test_parse_hsds_schedule():
    rule = parse_hsds_schedule(
        {
            "id": "48102e86-bb50-41c4-8f1e-e269368c41d1",
            "freq": "WEEKLY",
            "interval": 1,
            "byday": "MO,TU,WE,TH",
            "opens_at": "09:00:00",
            "closes_at": "12:00",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31T00:00:00Z",
            "description": "Mornings",
            "timezone": -5,
        }
    )
    assert rule == ScheduleRule(
        freq="WEEKLY",
        byday="MO,TU,WE,TH",
        opens_at=time(9),
        closes_at=time(12),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )


def test_parse_hsds_upstream_monthly_example_and_extensions():
    rule = parse_hsds_schedule(
        {
            "freq": "MONTHLY",
            "byday": "1SA",
            "dtstart": "2020-07-04",
            "until": "2020-11-07",
            "opens_at": "10:00Z",
            "closes_at": "24:00",
            "interval": "1",
        }
    )
    assert (rule.opens_at, rule.closes_at, rule.until) == (time(10), time(0), date(2020, 11, 7))
    assert is_open([rule], "UTC", utc(2020, 8, 1, 11))
    assert not is_open([rule], "UTC", utc(2020, 8, 8, 11))
    closure = parse_hsds_schedule(
        {
            "valid_from": "2026-12-25",
            "x_closed": True,
            "x_channel": "chat",
        }
    )
    assert closure == ScheduleRule(valid_from=XMAS, closed=True, channel="chat")


def test_parse_hsds_count_becomes_until():
    rule = parse_hsds_schedule(
        {"freq": "WEEKLY", "byday": "WE", "dtstart": "2026-05-13", "count": 3, "interval": 2}
    )
    assert rule.until == date(2026, 6, 10)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": "9am", "closes_at": "17:00"}, "opens_at"),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "25:00"}, "closes_at"),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": 9, "closes_at": "17:00"}, "opens_at"),
        ({"freq": "WEEKLY", "byday": "MO", "valid_from": "25/12/2026"}, "valid_from"),
        ({"freq": "WEEKLY", "byday": "MO", "valid_to": "2026-02-30"}, "valid_to"),
        ({"freq": "YEARLY", "byday": "MO"}, "freq"),
        ({"freq": 7}, "freq"),
        ({"freq": "WEEKLY", "byday": "MO", "interval": "often"}, "interval"),
        ({"freq": "WEEKLY", "byday": "MO", "interval": 1.5}, "interval"),
        ({"freq": "WEEKLY", "byday": "Monday"}, "byday"),
        ({"freq": "WEEKLY", "byday": "MO", "byweekno": "41"}, "byweekno"),
        ({"freq": "WEEKLY", "byday": "MO", "byyearday": "2"}, "byyearday"),
        ({"freq": "WEEKLY", "byday": "MO", "count": 3}, "count"),
        ({"freq": "WEEKLY", "byday": "MO", "x_closed": "maybe"}, "closed"),
        ({"freq": "WEEKLY", "byday": "MO", "x_channel": "pigeon"}, "channel"),
        ({"freq": "WEEKLY", "byday": "MO", "wkst": 3}, "wkst"),
    ],
)
def test_parse_hsds_garbage_names_the_field(data, field):
    with pytest.raises(ValueError, match=field):
        parse_hsds_schedule(data)


def test_parse_hsds_rejects_non_objects():
    with pytest.raises(ValueError, match="JSON object"):
        parse_hsds_schedule(["freq", "WEEKLY"])  # type: ignore[arg-type]


# --------------------------------------------------------------------- properties

ZONES = [LONDON, NY, "UTC", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago"]
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
weekly_rules = st.builds(
    ScheduleRule,
    freq=st.just("WEEKLY"),
    byday=st.lists(st.sampled_from(DAY_CODES), min_size=1, max_size=7, unique=True).map(",".join),
    opens_at=times,
    closes_at=times,
    channel=st.sampled_from(["", "", "call", "chat"]),
)


@st.composite
def dated_rules(draw):
    """A one-day exception: special hours, a timed closure or a whole-day closure."""
    opens = draw(st.one_of(st.none(), times))
    return ScheduleRule(
        valid_from=draw(st.dates(date(2026, 3, 1), date(2026, 11, 30))),
        opens_at=opens,
        closes_at=None if opens is None else draw(times),
        closed=draw(st.booleans()),
        channel=draw(st.sampled_from(["", "call"])),
    )


rule_lists = st.lists(st.one_of(weekly_rules, weekly_rules, dated_rules()), max_size=5)
instants = st.datetimes(datetime(2026, 3, 1), datetime(2026, 11, 30)).map(
    lambda dt: dt.replace(tzinfo=UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    rules=rule_lists,
    tz=st.sampled_from(ZONES),
    at=instants,
    channel=st.sampled_from(["", "call", "chat"]),
)
def test_is_open_agrees_with_open_intervals(rules, tz, at, channel):
    day = at.astimezone(ZoneInfo(tz)).date()
    spans = open_intervals(rules, tz, day, channel=channel)
    expected = any(start <= at < end for start, end in spans)
    assert is_open(rules, tz, at, channel=channel) == expected
    assert is_open(compile_rules(rules), tz, at, channel=channel) == expected
    for start, end in spans:
        assert start < end
        assert start.astimezone(ZoneInfo(tz)).date() == day


@settings(max_examples=150, deadline=None)
@given(rules=rule_lists, tz=st.sampled_from(ZONES), at=instants)
def test_next_change_is_a_real_change(rules, tz, at):
    changed = next_change(rules, tz, at)
    now = is_open(rules, tz, at)
    if changed is None:
        return
    assert changed > at
    assert is_open(rules, tz, changed) != now
    # Step back in UTC: aware arithmetic in the local zone is wall-clock arithmetic, which
    # lands in the wrong hour next to a daylight-saving jump.
    just_before = changed.astimezone(UTC) - timedelta(seconds=1)
    assert is_open(rules, tz, just_before) == now


def test_next_change_into_a_window_that_opens_in_the_spring_forward_gap():
    rules = [ScheduleRule(freq="WEEKLY", byday="SU", opens_at=time(2), closes_at=time(0))]
    at = datetime(2026, 3, 3, tzinfo=UTC)

    changed = next_change(rules, "America/New_York", at)

    assert changed.astimezone(UTC) == datetime(2026, 3, 8, 7, tzinfo=UTC)  # 03:00 EDT
    assert not is_open(rules, "America/New_York", changed.astimezone(UTC) - timedelta(seconds=1))
    assert is_open(rules, "America/New_York", changed)
