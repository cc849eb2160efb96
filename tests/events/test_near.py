"""Find support near me (issue point 8): events and groups by place (the offline
gazetteer), date range, online or in person, audience and kind, through the page."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from beacon.events.enums import EventFormat, EventKind, Recurrence
from beacon.initiatives.enums import Setting
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


def search(**params) -> str:
    response = Client().get("/events/near/", params)
    assert response.status_code == 200
    return response.content.decode()


def events_section(body: str) -> str:
    return body[body.index('id="events-heading"') : body.index('id="groups-heading"')]


def groups_section(body: str) -> str:
    return body[body.index('id="groups-heading"') :]


@pytest.fixture
def evening(initiative, places):
    """A one-off meeting at 7 PM in Portland, ten days from now: 02:00 or 03:00 UTC the
    next day."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    series = EventSeriesFactory(
        initiative=initiative,
        title="Evening circle",
        recurrence=Recurrence.NONE,
        count=None,
        start_date=day,
        start_time=datetime.time(19, 0),
    )
    return series, day


def test_the_date_range_is_read_in_the_places_own_time_zone(evening):
    series, day = evening
    start = series.occurrences.get().starts_at
    assert start.astimezone(datetime.UTC).date() == day + datetime.timedelta(days=1)
    one_day = {"place": "97201", "start": day.isoformat(), "end": day.isoformat()}

    assert series.title in events_section(search(**one_day))
    next_day = day + datetime.timedelta(days=1)
    assert series.title not in events_section(
        search(place="97201", start=next_day.isoformat(), end=next_day.isoformat())
    )
    day_before = day - datetime.timedelta(days=1)
    assert series.title not in events_section(search(place="97201", end=day_before.isoformat()))


def test_a_date_range_ending_before_it_starts_is_explained_and_kept(places):
    body = search(place="97201", start="2031-05-10", end="2031-05-01")

    assert "The end date must be on or after the start date." in body
    assert 'value="2031-05-10"' in body and 'value="2031-05-01"' in body


def test_audience_and_kind_filter_the_events(initiative, places):
    for_youth = EventSeriesFactory(
        initiative=initiative, title="Youth circle", audience="young_people"
    )
    for_veterans = EventSeriesFactory(
        initiative=initiative, title="Veterans circle", audience="veterans"
    )
    for_everyone = EventSeriesFactory(
        initiative=initiative, title="Open workshop", kind=EventKind.WORKSHOP
    )

    youth = events_section(search(place="97201", audience="young_people"))
    workshops = events_section(search(place="97201", kind="workshop"))

    assert for_youth.title in youth and for_everyone.title in youth  # "everyone" includes them
    assert for_veterans.title not in youth
    assert for_everyone.title in workshops
    assert for_youth.title not in workshops and for_veterans.title not in workshops


def test_in_person_only_leaves_out_online_meetings_and_keeps_hybrid(initiative, places):
    online = EventSeriesFactory(
        initiative=initiative,
        title="Online only",
        format=EventFormat.ONLINE,
        online_url="https://meet.example/a",
    )
    hybrid = EventSeriesFactory(
        initiative=initiative,
        title="Both ways",
        format=EventFormat.HYBRID,
        online_url="https://meet.example/b",
    )

    in_person = events_section(search(place="97201", mode="in_person"))
    online_only = events_section(search(place="97201", mode="online"))

    assert hybrid.title in in_person and online.title not in in_person
    assert hybrid.title in online_only and online.title in online_only


def test_groups_are_found_by_place_and_audience_beside_the_events(places):
    near = InitiativeFactory(name="Portland neighbours", audiences=["veterans"])
    far = InitiativeFactory(
        name="Medford circle", latitude=42.33, longitude=-122.87, audiences=["veterans"]
    )
    online = InitiativeFactory(
        name="Online space",
        setting=Setting.ONLINE,
        place_name="",
        latitude=None,
        longitude=None,
        audiences=["veterans"],
    )
    other_audience = InitiativeFactory(name="Parents circle", audiences=["parents_carers"])
    hidden = InitiativeFactory(name="Hidden circle", is_hidden=True, audiences=["veterans"])

    groups = groups_section(search(place="97201", radius="25", audience="veterans"))

    assert near.name in groups and online.name in groups
    assert groups.index(near.name) < groups.index(online.name)  # nearby first, then online
    assert far.name not in groups and other_audience.name not in groups
    assert hidden.name not in groups


def test_see_all_groups_keeps_the_search(places):
    for n in range(14):
        InitiativeFactory(name=f"Circle {n:02d}", audiences=["veterans"])

    groups = groups_section(search(place="97201", radius="50", audience="veterans"))

    link = re.search(r'<a href="([^"]+)">See all 14 groups</a>', groups).group(1)
    assert link == "/initiatives/?near=97201&amp;radius=50&amp;audience=veterans"
    listed = Client().get(link.replace("&amp;", "&")).content.decode()
    assert "14 initiatives found" in listed


def test_list_pages_make_the_same_queries_for_few_or_many_results(initiative, places):
    """Cards load their series and initiative with the rows (card fields only), so the
    number of queries does not grow with the results (no N+1, no deferred-field loads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str, params: dict) -> int:
        client = Client()
        client.get(path, params)  # warm caches (place lookup, sessions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, params).status_code == 200
        return len(ctx.captured_queries)

    def add_groups(count: int, start: int) -> None:
        for n in range(start, start + count):
            EventSeriesFactory(
                initiative=InitiativeFactory(name=f"Group {n}"),
                count=3,
                format=EventFormat.ONLINE if n % 2 else EventFormat.IN_PERSON,
                online_url="https://meet.example/x",
            )

    pages = (("/events/near/", {"place": "97201"}), ("/events/", {}))
    add_groups(2, 0)  # in person and online: both parts of the near page are loaded
    few = [queries(path, params) for path, params in pages]
    add_groups(8, 2)
    many = [queries(path, params) for path, params in pages]

    assert few == many


def test_a_search_without_a_distance_shows_the_distance_it_used(places):
    body = search(place="97201")

    assert "within 25 miles of" in body.lower()
    assert re.search(r'<option value="25" selected>', body)
    assert not re.search(r'<option value="10" selected>', body)
