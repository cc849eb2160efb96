"""The recurrence engine: which dates a series meets on, and when that is in UTC.

Pure functions over a `Schedule` (no database). Rules are computed in the event's local
wall time with python-dateutil's rrule and only then converted to UTC, so a group that
meets at 19:00 in Portland meets at 19:00 before and after a daylight-saving change (its
UTC time moves by an hour). A local time that does not exist on a spring-forward day
(02:30 when clocks jump from 02:00 to 03:00) is read with the offset before the change,
so it lands an hour later on the wall clock (03:30); a time that happens twice on a
fall-back day takes the first (daylight) one.

`count` counts the rule's dates before skipped dates are taken out, as RFC 5545 does with
COUNT and EXDATE, so the series page and calendar programs agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil import rrule as rr

from beacon.events.enums import Recurrence

WEEKDAYS = (rr.MO, rr.TU, rr.WE, rr.TH, rr.FR, rr.SA, rr.SU)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
MAX_COUNT = 520  # ten years of weekly meetings


@dataclass(frozen=True)
class Schedule:
    """When a series meets, in its own time zone."""

    start_date: date
    start_time: time
    duration: timedelta
    time_zone: str
    recurrence: str = Recurrence.NONE
    until: date | None = None
    count: int | None = None
    skipped: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Slot:
    """One meeting of a series: its local date and its start and end in UTC."""

    day: date
    starts_at: datetime
    ends_at: datetime


def is_valid_zone(name: str) -> bool:
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] = frozenset()


def _zones() -> frozenset[str]:
    global _ZONES
    if not _ZONES:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def monthly_ordinal(day: date) -> int:
    """Which occurrence of its weekday `day` is in its month: 1..5."""
    return (day.day - 1) // 7 + 1


def is_last_weekday_of_month(day: date) -> bool:
    return (day + timedelta(days=7)).month != day.month


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall time `at` on `day` in `zone` (see module notes on DST)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def problems(schedule: Schedule) -> list[str]:
    """What is wrong with `schedule`, in words for an organiser (empty when it is fine)."""
    found = []
    if not is_valid_zone(schedule.time_zone):
        found.append("Choose a time zone from the list (for example America/Los_Angeles).")
    if schedule.duration <= timedelta(0):
        found.append("An event needs a length of at least a minute.")
    if schedule.duration > timedelta(hours=24):
        found.append("An event can last at most 24 hours; split longer ones into days.")
    if schedule.recurrence not in Recurrence.values:
        found.append("Choose how the event repeats.")
    if schedule.recurrence != Recurrence.NONE:
        if schedule.until is not None and schedule.until < schedule.start_date:
            found.append("The last date must be on or after the first date.")
        if schedule.count is not None and not 1 <= schedule.count <= MAX_COUNT:
            found.append(f"The number of meetings must be between 1 and {MAX_COUNT}.")
    if schedule.recurrence == Recurrence.MONTHLY_NTH and monthly_ordinal(schedule.start_date) == 5:
        found.append(
            "Not every month has a 5th "
            f"{schedule.start_date:%A}; choose “the last of that weekday” instead."
        )
    if schedule.recurrence == Recurrence.MONTHLY_LAST and not is_last_weekday_of_month(
        schedule.start_date
    ):
        found.append(
            f"The first date is not the last {schedule.start_date:%A} of its month; "
            "pick a date that is, or choose another way to repeat."
        )
    return found


def rule(schedule: Schedule) -> rr.rrule:
    """The dateutil rule in naive local wall time (one date for a one-off event)."""
    dtstart = datetime.combine(schedule.start_date, schedule.start_time)
    weekday = schedule.start_date.weekday()
    kwargs: dict = {"dtstart": dtstart, "cache": False}
    if schedule.recurrence == Recurrence.NONE:
        return rr.rrule(rr.DAILY, count=1, **kwargs)
    if schedule.count:
        kwargs["count"] = schedule.count
    elif schedule.until:
        kwargs["until"] = datetime.combine(schedule.until, time.max)
    if schedule.recurrence == Recurrence.WEEKLY:
        return rr.rrule(rr.WEEKLY, interval=1, **kwargs)
    if schedule.recurrence == Recurrence.BIWEEKLY:
        return rr.rrule(rr.WEEKLY, interval=2, **kwargs)
    if schedule.recurrence == Recurrence.MONTHLY_NTH:
        nth = monthly_ordinal(schedule.start_date)
        return rr.rrule(rr.MONTHLY, byweekday=WEEKDAYS[weekday](nth), **kwargs)
    if schedule.recurrence == Recurrence.MONTHLY_LAST:
        return rr.rrule(rr.MONTHLY, byweekday=WEEKDAYS[weekday](-1), **kwargs)
    raise ValueError(f"unknown recurrence {schedule.recurrence!r}")


def slots(
    schedule: Schedule, *, after: datetime, before: datetime, include_skipped: bool = False
) -> list[Slot]:
    """The meetings starting in [after, before) (aware datetimes), soonest first.

    Skipped dates are left out unless `include_skipped`.
    """
    zone = schedule.zone
    # Widen the local window by a day each side, then filter exactly in UTC.
    lo = after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    hi = before.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for local in rule(schedule).between(lo, hi, inc=True):
        day = local.date()
        if day in schedule.skipped and not include_skipped:
            continue
        starts = to_utc(day, schedule.start_time, zone)
        if after <= starts < before:
            found.append(Slot(day, starts, starts + schedule.duration))
    return found


def describe(schedule: Schedule) -> str:
    """A sentence for people: "Every other week on Tuesday at 7:00 PM (America/Chicago)"."""
    day = schedule.start_date
    at = schedule.start_time.strftime("%I:%M %p").lstrip("0")
    match schedule.recurrence:
        case Recurrence.WEEKLY:
            text = f"Every week on {day:%A}"
        case Recurrence.BIWEEKLY:
            text = f"Every other week on {day:%A}"
        case Recurrence.MONTHLY_NTH:
            text = f"Every month on the {ORDINALS[monthly_ordinal(day)]} {day:%A}"
        case Recurrence.MONTHLY_LAST:
            text = f"Every month on the last {day:%A}"
        case _:
            return f"{day:%A} {day.day} {day:%B %Y} at {at}"
    if schedule.until:
        text += f" until {schedule.until.day} {schedule.until:%B %Y}"
    elif schedule.count:
        text += f", {schedule.count} times"
    return f"{text} at {at}"


def ical_rule(schedule: Schedule) -> dict | None:
    """The RRULE as a dict for icalendar's vRecur, or None for a one-off event.

    UNTIL is written in UTC, as RFC 5545 requires when DTSTART carries a TZID: the instant
    of the last possible meeting (the start time on the last date).
    """
    weekday = schedule.start_date.weekday()
    code = WEEKDAY_CODES[weekday]
    match schedule.recurrence:
        case Recurrence.WEEKLY:
            recur: dict = {"FREQ": "WEEKLY", "BYDAY": code}
        case Recurrence.BIWEEKLY:
            recur = {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": code}
        case Recurrence.MONTHLY_NTH:
            recur = {"FREQ": "MONTHLY", "BYDAY": f"{monthly_ordinal(schedule.start_date)}{code}"}
        case Recurrence.MONTHLY_LAST:
            recur = {"FREQ": "MONTHLY", "BYDAY": f"-1{code}"}
        case _:
            return None
    if schedule.count:
        recur["COUNT"] = schedule.count
    elif schedule.until:
        recur["UNTIL"] = to_utc(schedule.until, schedule.start_time, schedule.zone)
    return recur
