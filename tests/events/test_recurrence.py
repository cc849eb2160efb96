"""The recurrence engine: local wall time holds across DST changes (US and EU), monthly
rules by weekday, skipped dates, counts and limits, and the RRULE written for calendars."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from beacon.events.enums import Recurrence
from beacon.events.recurrence import Schedule, describe, ical_rule, problems, slots

LA = "America/Los_Angeles"
BERLIN = "Europe/Berlin"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def schedule(**kw):
    base = {
        "start_date": date(2025, 3, 4),
        "start_time": time(19, 0),
        "duration": timedelta(minutes=90),
        "time_zone": LA,
        "recurrence": Recurrence.WEEKLY,
    }
    return Schedule(**{**base, **kw})


YEAR_START, YEAR_END = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)


def starts(sched, after=YEAR_START, before=YEAR_END):
    return [s.starts_at for s in slots(sched, after=after, before=before)]


def test_weekly_group_keeps_its_local_time_through_the_us_spring_change():
    sched = schedule(count=3)  # Tuesdays 4, 11, 18 March 2025; clocks change on Sunday 9 March

    found = starts(sched)

    assert found == [utc(2025, 3, 5, 3, 0), utc(2025, 3, 12, 2, 0), utc(2025, 3, 19, 2, 0)]
    assert [s.astimezone(ZoneInfo(LA)).time() for s in found] == [time(19, 0)] * 3


def test_weekly_group_keeps_its_local_time_through_the_us_autumn_change():
    sched = schedule(start_date=date(2025, 10, 28), count=2)  # clocks go back on 2 November

    assert starts(sched) == [utc(2025, 10, 29, 2, 0), utc(2025, 11, 5, 3, 0)]


def test_weekly_group_keeps_its_local_time_through_both_eu_changes():
    spring = schedule(
        start_date=date(2025, 3, 23), start_time=time(10, 0), time_zone=BERLIN, count=2
    )
    autumn = schedule(
        start_date=date(2025, 10, 19), start_time=time(10, 0), time_zone=BERLIN, count=2
    )

    assert starts(spring) == [utc(2025, 3, 23, 9, 0), utc(2025, 3, 30, 8, 0)]
    assert starts(autumn) == [utc(2025, 10, 19, 8, 0), utc(2025, 10, 26, 9, 0)]


def test_the_us_and_eu_changes_weeks_apart_move_a_transatlantic_meeting_differently():
    # An online group set in New York time: in the weeks between the US and EU changes
    # Berlin sees it an hour earlier on the wall clock than before and after.
    sched = schedule(
        start_date=date(2025, 3, 3), start_time=time(12, 0), time_zone="America/New_York", count=5
    )

    berlin_hours = [s.astimezone(ZoneInfo(BERLIN)).hour for s in starts(sched)]

    # Mondays 3, 10, 17, 24, 31 March; the US changes on the 9th, the EU on the 30th.
    assert berlin_hours == [18, 17, 17, 17, 18]


def test_a_time_missing_on_the_spring_forward_day_moves_an_hour_later():
    sched = schedule(start_date=date(2025, 3, 9), start_time=time(2, 30), recurrence="none")

    (only,) = starts(sched)

    assert only == utc(2025, 3, 9, 10, 30)
    assert only.astimezone(ZoneInfo(LA)).time() == time(3, 30)


def test_a_time_that_happens_twice_on_the_fall_back_day_takes_the_first():
    sched = schedule(start_date=date(2025, 11, 2), start_time=time(1, 30), recurrence="none")

    assert starts(sched) == [utc(2025, 11, 2, 8, 30)]  # 01:30 PDT, not 01:30 PST


def test_monthly_on_the_second_tuesday():
    sched = schedule(start_date=date(2025, 1, 14), recurrence=Recurrence.MONTHLY_NTH, count=4)

    days = [s.day for s in slots(sched, after=utc(2025, 1, 1), before=utc(2026, 1, 1))]

    assert days == [date(2025, 1, 14), date(2025, 2, 11), date(2025, 3, 11), date(2025, 4, 8)]


def test_monthly_on_the_last_friday():
    sched = schedule(start_date=date(2025, 1, 31), recurrence=Recurrence.MONTHLY_LAST, count=4)

    days = [s.day for s in slots(sched, after=utc(2025, 1, 1), before=utc(2026, 1, 1))]

    assert days == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 28), date(2025, 4, 25)]


def test_every_other_week_until_a_last_date_included():
    sched = schedule(recurrence=Recurrence.BIWEEKLY, until=date(2025, 4, 1))

    days = [s.day for s in slots(sched, after=utc(2025, 1, 1), before=utc(2026, 1, 1))]

    assert days == [date(2025, 3, 4), date(2025, 3, 18), date(2025, 4, 1)]


def test_skipped_dates_are_left_out_and_still_count_towards_the_count():
    sched = schedule(count=4, skipped=frozenset({date(2025, 3, 11)}))

    days = [s.day for s in slots(sched, after=utc(2025, 1, 1), before=utc(2026, 1, 1))]
    with_skipped = slots(sched, after=utc(2025, 1, 1), before=utc(2026, 1, 1), include_skipped=True)

    assert days == [date(2025, 3, 4), date(2025, 3, 18), date(2025, 3, 25)]
    assert len(with_skipped) == 4


def test_the_window_is_exact_in_utc():
    sched = schedule(count=3)

    found = starts(sched, after=utc(2025, 3, 5, 3, 0), before=utc(2025, 3, 19, 2, 0))

    assert found == [utc(2025, 3, 5, 3, 0), utc(2025, 3, 12, 2, 0)]


def test_problems_name_each_mistake_in_plain_words():
    assert problems(schedule()) == []
    assert problems(schedule(time_zone="Mars/Olympus")) == [
        "Choose a time zone from the list (for example America/Los_Angeles)."
    ]
    fifth = problems(schedule(start_date=date(2025, 1, 29), recurrence=Recurrence.MONTHLY_NTH))
    assert fifth == [
        "Not every month has a 5th Wednesday; choose “the last of that weekday” instead."
    ]
    not_last = problems(schedule(start_date=date(2025, 1, 14), recurrence="monthly_last"))
    assert "not the last Tuesday" in not_last[0]
    assert problems(schedule(until=date(2025, 3, 1))) == [
        "The last date must be on or after the first date."
    ]
    assert problems(schedule(duration=timedelta(0))) == [
        "An event needs a length of at least a minute."
    ]


def test_ical_rule_writes_until_in_utc_and_weekday_positions():
    weekly = ical_rule(schedule(until=date(2025, 6, 3)))
    last_friday = ical_rule(schedule(start_date=date(2025, 1, 31), recurrence="monthly_last"))
    second_tuesday = ical_rule(schedule(start_date=date(2025, 1, 14), recurrence="monthly_nth"))

    assert weekly == {"FREQ": "WEEKLY", "BYDAY": "TU", "UNTIL": utc(2025, 6, 4, 2, 0)}
    assert last_friday == {"FREQ": "MONTHLY", "BYDAY": "-1FR"}
    assert second_tuesday == {"FREQ": "MONTHLY", "BYDAY": "2TU"}
    assert ical_rule(schedule(recurrence="none")) is None


def test_describe_reads_like_a_sentence():
    assert describe(schedule(recurrence="biweekly")) == "Every other week on Tuesday at 7:00 PM"
    assert (
        describe(schedule(start_date=date(2025, 1, 31), recurrence="monthly_last", count=6))
        == "Every month on the last Friday, 6 times at 7:00 PM"
    )


ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin"]


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    hour=st.integers(min_value=4, max_value=23),
    minute=st.sampled_from([0, 15, 30, 45]),
    zone=st.sampled_from(ZONES),
    recurrence=st.sampled_from([Recurrence.WEEKLY, Recurrence.BIWEEKLY]),
)
def test_every_meeting_is_on_the_same_weekday_at_the_same_wall_time(
    start, hour, minute, zone, recurrence
):
    sched = schedule(
        start_date=start, start_time=time(hour, minute), time_zone=zone, recurrence=recurrence
    )
    after = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(days=1)

    found = slots(sched, after=after, before=after + timedelta(days=400))

    step = 7 if recurrence == Recurrence.WEEKLY else 14
    assert len(found) >= 400 // step - 1
    for slot in found:
        local = slot.starts_at.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.time()) == (start.weekday(), time(hour, minute))
        assert (slot.day - start).days % step == 0
        assert slot.ends_at - slot.starts_at == timedelta(minutes=90)
