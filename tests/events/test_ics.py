"""Calendars: valid RFC 5545 (parsed back with icalendar), VTIMEZONE, RRULE with EXDATE
for skipped dates and RECURRENCE-ID overrides, online links only for people with a place,
and the personal feed at a secret, regenerable URL."""

from datetime import time

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from icalendar import Calendar

from beacon.events import services
from beacon.events.enums import EventFormat
from beacon.events.models import CalendarToken, EventSeries
from tests.conftest import logged_in_client
from tests.factories.events import EventSeriesFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_one_meeting_is_a_valid_calendar_with_its_time_zone(occurrence):
    cal = parse(Client().get(f"/events/{occurrence.code}/calendar.ics"))

    (event,) = cal.walk("VEVENT")
    (tz,) = cal.walk("VTIMEZONE")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert tz["TZID"] == "America/Los_Angeles"
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert event.decoded("DTSTART") == occurrence.local_start
    assert event.decoded("DTEND") == occurrence.local_end
    assert event["UID"] and event["DTSTAMP"]
    assert str(event["SUMMARY"]) == occurrence.series.title
    assert "Northeast Community Center" in str(event["LOCATION"])


def test_a_series_has_rrule_exdate_and_overrides_that_match_its_dates(series, organiser):
    skipped, changed, cancelled = list(series.occurrences.order_by("starts_at"))[1:4]
    services.skip_date(series, skipped.day, actor=organiser)
    services.change_occurrence(
        changed, actor=organiser, day=changed.day, start_time=time(18, 0), duration_minutes=90
    )
    services.cancel_occurrence(cancelled, actor=organiser, reason="Holiday")
    series.refresh_from_db()

    cal = parse(Client().get(f"/events/series/{series.code}/calendar.ics"))

    master, *overrides = cal.walk("VEVENT")
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["COUNT"] == [10]
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert [d.date() for d in exdates] == [skipped.day]
    by_id = {o.decoded("RECURRENCE-ID"): o for o in overrides}
    assert set(by_id) == {changed.original_start, cancelled.original_start}
    assert by_id[changed.original_start].decoded("DTSTART").time() == time(18, 0)
    assert str(by_id[cancelled.original_start]["STATUS"]) == "CANCELLED"
    assert {o["UID"] for o in overrides} == {master["UID"]}
    # Expanding RRULE minus EXDATE gives exactly the materialised, not-skipped dates.
    rule = rrulestr(
        master["RRULE"].to_ical().decode(), dtstart=master.decoded("DTSTART"), forceset=True
    )
    for exdate in exdates:
        rule.exdate(exdate)
    expected = set(series.occurrences.values_list("day", flat=True))
    assert {d.date() for d in rule} == expected


def test_the_online_link_is_only_in_calendars_of_people_with_a_place(initiative, member):
    series = EventSeriesFactory(
        initiative=initiative, format=EventFormat.ONLINE, online_url="https://meet.example/room-7"
    )
    occurrence = series.occurrences.first()
    client = logged_in_client(member)

    before = client.get(f"/events/{occurrence.code}/calendar.ics").content.decode()
    services.rsvp_member(occurrence, actor=member)
    after = client.get(f"/events/{occurrence.code}/calendar.ics").content.decode()
    series_feed = Client().get(f"/events/series/{series.code}/calendar.ics").content.decode()
    initiative_feed = Client().get(f"/events/feeds/initiative/{initiative.code}.ics")

    assert "meet.example" not in before and "meet.example" in after
    assert "meet.example" not in series_feed
    assert "meet.example" not in initiative_feed.content.decode()
    assert len(parse(initiative_feed).walk("VEVENT")) == 1


def test_the_initiative_feed_lists_every_visible_series(initiative):
    EventSeriesFactory.create_batch(2, initiative=initiative)
    EventSeriesFactory(initiative=initiative, is_hidden=True)

    cal = parse(Client().get(f"/events/feeds/initiative/{initiative.code}.ics"))

    assert len(cal.walk("VEVENT")) == 2
    assert cal.walk("VTIMEZONE")


def test_the_personal_feed_is_secret_regenerable_and_revocable(occurrence, member, other_member):
    services.rsvp_member(occurrence, actor=member)
    services.rsvp_member(occurrence, actor=other_member)
    client = logged_in_client(member)

    client.post("/events/mine/calendar/", {"action": "regenerate"})
    first = CalendarToken.objects.get(user=member).token
    feed = parse(Client().get(f"/events/feeds/me/{first}.ics"))
    client.post("/events/mine/calendar/", {"action": "regenerate"})
    second = CalendarToken.objects.get(user=member).token

    assert len(feed.walk("VEVENT")) == 1  # only my own answer
    assert Client().get(f"/events/feeds/me/{first}.ics").status_code == 404
    assert Client().get(f"/events/feeds/me/{second}.ics").status_code == 200
    client.post("/events/mine/calendar/", {"action": "revoke"})
    assert Client().get(f"/events/feeds/me/{second}.ics").status_code == 404


def test_a_cancelled_series_ends_its_rule(series, organiser):
    services.cancel_series(series, actor=organiser)

    cal = parse(Client().get(f"/events/series/{EventSeries.objects.get().code}/calendar.ics"))

    master = cal.walk("VEVENT")[0]
    assert "COUNT" not in master["RRULE"] and "UNTIL" in master["RRULE"]
