"""Finding initiatives: by place and radius (nearest first, online too), filters, paging."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon.initiatives.enums import InitiativeStatus, Setting
from beacon.initiatives.queries import search_initiatives
from tests.factories.initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db

PORTLAND = (45.52345, -122.67621)
GRESHAM = (45.49818, -122.43148)  # about 19 km east of Portland
SALEM = (44.9429, -123.0351)  # about 75 km south
BURNS = (43.5863, -119.0541)  # about 380 km away


@pytest.fixture
def spread(db):
    def make(name, point, setting=Setting.URBAN, **kw):
        lat, lon = point if point else (None, None)
        return InitiativeFactory(name=name, latitude=lat, longitude=lon, setting=setting, **kw)

    return {
        "salem": make("Salem circle", SALEM),
        "gresham": make("Gresham circle", GRESHAM, audiences=["veterans"]),
        "portland": make("Portland circle", PORTLAND, activities=["workshops"]),
        "burns": make("Burns circle", BURNS, Setting.RURAL),
        "online": make("Online space", None, Setting.ONLINE, place_name=""),
        "pending": make("Pending circle", PORTLAND, status=InitiativeStatus.PENDING),
    }


def names(results):
    return [i.name for i in results]


def test_radius_search_is_nearest_first_with_online_last(spread):
    results = list(search_initiatives(lat=PORTLAND[0], lon=PORTLAND[1], radius_km=40))
    assert names(results) == ["Portland circle", "Gresham circle", "Online space"]
    assert results[0].distance_km < 1 and 15 < results[1].distance_km < 25
    assert results[2].distance_km is None


def test_wider_radius_reaches_further(spread):
    results = search_initiatives(lat=PORTLAND[0], lon=PORTLAND[1], radius_km=100)
    assert names(results) == ["Portland circle", "Gresham circle", "Salem circle", "Online space"]


def test_filters_combine(spread):
    assert names(search_initiatives(audience="veterans")) == ["Gresham circle"]
    assert names(search_initiatives(activity="workshops")) == ["Portland circle"]
    assert names(search_initiatives(setting="rural")) == ["Burns circle"]
    assert names(search_initiatives(setting="online")) == ["Online space"]
    assert names(search_initiatives(text="gresham")) == ["Gresham circle"]
    assert list(search_initiatives(text="gresham", setting="rural")) == []


def test_unlisted_initiatives_are_never_found(spread):
    assert "Pending circle" not in names(search_initiatives())
    assert "Pending circle" not in names(
        search_initiatives(lat=PORTLAND[0], lon=PORTLAND[1], radius_km=10)
    )


def test_bad_filter_values_are_ignored(spread):
    assert len(search_initiatives(audience="nope", setting="moon")) == 5


def test_search_page_by_zip_code(client, spread, places):
    html = client.get("/initiatives/", {"near": "97214", "radius": "25"}).content.decode()
    assert "Portland circle" in html and "Gresham circle" in html and "Online space" in html
    assert "Salem circle" not in html and "Burns circle" not in html
    assert "mi away" in html and "within 25 miles of" in html
    assert html.index("Portland circle") < html.index("Gresham circle") < html.index("Online space")


def test_search_page_by_town_name(client, spread, places):
    html = client.get("/initiatives/", {"near": "Burns, OR", "radius": "10"}).content.decode()
    assert "Burns circle" in html and "Portland circle" not in html


def test_unknown_place_says_so(client, spread, places):
    html = client.get("/initiatives/", {"near": "Qwertyville"}).content.decode()
    assert "could not find the place" in html and "Portland circle" not in html


def test_page_works_without_any_filter_and_paginates(client, db):
    for n in range(25):
        InitiativeFactory(name=f"Circle {n:02d}")
    first = client.get("/initiatives/").content.decode()
    second = client.get("/initiatives/", {"page": 2, "audience": "adults"}).content.decode()
    assert "Circle 00" in first and "Circle 20" not in first
    assert "Circle 20" in second and "Page 2 of 2" in second
    assert "audience=adults" in first or "audience=adults" in second


def test_list_query_count_does_not_grow_with_results(client, db):
    for n in range(3):
        InitiativeFactory(name=f"Few {n}")
    with CaptureQueriesContext(connection) as few:
        client.get("/initiatives/")
    for n in range(15):
        InitiativeFactory(name=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/initiatives/")
    assert len(many) == len(few)
