"""iCalendar (RFC 5545) for events: one meeting, a series (RRULE, EXDATE for skipped
dates, RECURRENCE-ID overrides for changed or cancelled meetings), an initiative's feed
and a person's own feed. Times are written in the event's zone with a VTIMEZONE.

The online link goes only into calendars of people who hold a place (`with_link`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from beacon.events.enums import OccurrenceStatus, SeriesStatus
from beacon.events.models import EventSeries, Occurrence
from beacon.events.recurrence import ical_rule, slots, to_utc

PRODID = "-//Beacon//Events//EN"


def _host() -> str:
    return urlsplit(settings.BEACON_SITE_URL).hostname or "beacon.invalid"


# UIDs are globally unique without an "@": nothing in a calendar looks like an address.
def series_uid(series: EventSeries) -> str:
    return f"series-{series.code}.{_host()}"


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"event-{occurrence.code}.{_host()}"


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def finish(cal: Calendar) -> bytes:
    """Add the VTIMEZONE of every zone used (covering the events' years), serialise."""
    years = [
        c.decoded("dtstart").year
        for c in cal.walk("VEVENT")
        if isinstance(c.decoded("dtstart"), datetime)
    ]
    if years:
        cal.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return cal.to_ical()


def _location(occurrence: Occurrence, series: EventSeries, with_link: bool) -> str:
    parts = []
    if series.is_in_person and occurrence.place_name:
        parts.append(
            occurrence.place_name + (f", {occurrence.address}" if occurrence.address else "")
        )
    if series.is_online:
        parts.append(f"Online: {series.online_url}" if with_link else "Online")
    return " · ".join(parts)


def _fill(
    event: Event, occurrence: Occurrence, series: EventSeries, *, with_link: bool, page_url: str
) -> None:
    zone = ZoneInfo(series.time_zone)
    event.add("summary", series.title)
    event.add("dtstart", occurrence.starts_at.astimezone(zone))
    event.add("dtend", occurrence.ends_at.astimezone(zone))
    location = _location(occurrence, series, with_link)
    if location:
        event.add("location", location)
    if occurrence.latitude is not None and series.is_in_person:
        event.add("geo", (occurrence.latitude, occurrence.longitude))
    description = [f"{series.get_kind_display()} by {series.initiative.name}."]
    if series.description:
        description.append(series.description)
    if occurrence.change_note:
        description.append(f"Change: {occurrence.change_note}")
    if occurrence.is_cancelled and occurrence.cancel_reason:
        description.append(f"Cancelled: {occurrence.cancel_reason}")
    if series.is_online and not with_link:
        description.append("The online link is shown on the event page once you have a place.")
    description.append(page_url)
    event.add("description", "\n\n".join(description))
    event.add("url", page_url)
    event.add("categories", [series.get_kind_display()])
    event.add(
        "status", "CANCELLED" if occurrence.status == OccurrenceStatus.CANCELLED else "CONFIRMED"
    )


def _stamp(event: Event, changed: datetime | None) -> None:
    event.add("dtstamp", timezone.now().astimezone(UTC))
    if changed:
        event.add("last-modified", changed.astimezone(UTC))


def occurrence_event(occurrence: Occurrence, *, with_link: bool = False) -> Event:
    """One meeting as a stand-alone VEVENT."""
    series = occurrence.series
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    _stamp(event, series.updated_at)
    _fill(
        event,
        occurrence,
        series,
        with_link=with_link,
        page_url=settings.BEACON_SITE_URL + occurrence.get_absolute_url(),
    )
    return event


def occurrence_calendar(occurrence: Occurrence, *, with_link: bool = False) -> bytes:
    cal = new_calendar(occurrence.series.title)
    cal.add_component(occurrence_event(occurrence, with_link=with_link))
    return finish(cal)


def series_events(series: EventSeries, *, with_link: bool = False) -> list[Event]:
    """The series as a master VEVENT with its RRULE and EXDATEs, plus one VEVENT per
    meeting changed or cancelled (RECURRENCE-ID = the rule's original start)."""
    page_url = settings.BEACON_SITE_URL + reverse("events:series", args=[series.code])
    zone = ZoneInfo(series.time_zone)
    schedule = series.schedule
    rrule = ical_rule(schedule)
    occurrences = list(series.occurrences.order_by("starts_at"))
    if rrule is None:
        events = []
        for occurrence in occurrences[:1]:
            event = Event()
            event.add("uid", series_uid(series))
            _stamp(event, series.updated_at)
            _fill(event, occurrence, series, with_link=with_link, page_url=page_url)
            events.append(event)
        return events
    first_start = to_utc(series.start_date, series.start_time, zone)
    master_occurrence = Occurrence(
        series=series,
        day=series.start_date,
        original_start=first_start,
        starts_at=first_start,
        ends_at=first_start + series.duration,
        place_name=series.place_name if series.is_in_person else "",
        address=series.address if series.is_in_person else "",
        latitude=series.latitude if series.is_in_person else None,
        longitude=series.longitude if series.is_in_person else None,
    )
    master = Event()
    master.add("uid", series_uid(series))
    _stamp(master, series.updated_at)
    _fill(master, master_occurrence, series, with_link=with_link, page_url=page_url)
    if series.status == SeriesStatus.CANCELLED:
        # The rule stops where the series was stopped; later meetings were cancelled.
        rrule = {k: v for k, v in rrule.items() if k not in ("COUNT", "UNTIL")}
        rrule["UNTIL"] = series.updated_at.astimezone(UTC)
    master.add("rrule", rrule)
    for day in sorted(series.skipped):
        master.add("exdate", datetime.combine(day, series.start_time, tzinfo=zone))
    events = [master]
    if not occurrences:
        return events
    window_start = min(o.original_start for o in occurrences) - timedelta(days=1)
    window_end = max(o.original_start for o in occurrences) + timedelta(days=1)
    rule_days = {s.day for s in slots(schedule, after=window_start, before=window_end)}
    for occurrence in occurrences:
        changed = occurrence.time_changed or occurrence.place_changed or occurrence.is_cancelled
        if not changed or occurrence.day not in rule_days:
            continue
        override = Event()
        override.add("uid", series_uid(series))
        override.add("recurrence-id", occurrence.original_start.astimezone(zone))
        _stamp(override, series.updated_at)
        _fill(override, occurrence, series, with_link=with_link, page_url=page_url)
        events.append(override)
    return events


def series_calendar(series: EventSeries, *, with_link: bool = False) -> bytes:
    cal = new_calendar(series.title)
    for event in series_events(series, with_link=with_link):
        cal.add_component(event)
    return finish(cal)


def initiative_calendar(name: str, series_list: Iterable[EventSeries]) -> bytes:
    """Every series of an initiative, public view (no online links)."""
    cal = new_calendar(name)
    for series in series_list:
        for event in series_events(series):
            cal.add_component(event)
    return finish(cal)


def personal_calendar(name: str, occurrences_with_link: Iterable[tuple[Occurrence, bool]]) -> bytes:
    """A person's meetings (places held and waiting), each a stand-alone VEVENT."""
    cal = new_calendar(name)
    for occurrence, with_link in occurrences_with_link:
        cal.add_component(occurrence_event(occurrence, with_link=with_link))
    return finish(cal)
