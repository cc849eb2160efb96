"""The offline gazetteer: what people type resolves to the place they mean."""

import math

import pytest
from django.core.management import call_command

from beacon.places.geo import bounding_box, distance_km
from beacon.places.models import Place
from beacon.places.queries import (
    AreaResolver,
    country_time_zone,
    gazetteer_loaded,
    nearest_place,
    resolve_place,
    search_places,
)
from beacon.places.text import place_key


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Portland, OR", ("Portland", "OR", "US")),
        ("portland oregon", ("Portland", "OR", "US")),
        ("Portland OR", ("Portland", "OR", "US")),
        ("  PORTLAND  ", ("Portland", "OR", "US")),
        ("Portland, TX", ("Portland", "TX", "US")),
        ("Burns, OR", ("Burns", "OR", "US")),
        ("London, UK", ("London", "ENG", "GB")),
        ("97214", ("97214", "OR", "US")),
        ("97214-1234", ("97214", "OR", "US")),
        ("San José", ("San Jose", "CA", "US")),
    ],
)
def test_resolves_names_and_zip_codes(places, typed, expected):
    place = resolve_place(typed, country="US")
    assert place is not None, typed
    assert (place.name, place.admin1, place.country) == expected


def test_home_country_first_then_population(places):
    assert resolve_place("London", country="GB").country == "GB"
    assert resolve_place("London", country="US").country == "US"


def test_unknown_place_is_none_and_prefix_suggests(places):
    assert resolve_place("Zzyzxqq") is None
    assert resolve_place("") is None
    assert resolve_place(",,,") is None
    names = [p.name for p in search_places("Portl", country="US")]
    assert "Portland" in names


def test_labels_read_naturally(places):
    assert resolve_place("Portland, OR").label == "Portland, OR, US"
    assert resolve_place("97214").label == "97214 (Portland, OR), US"


def test_place_key_folds_accents_punctuation_and_abbreviations():
    assert place_key("Saint-Étienne") == "saint etienne"
    assert place_key("St. Paul") == "saint paul"
    assert place_key("  Coeur d'Alene ") == "coeur d alene"


def test_distance_and_box():
    # Portland to Seattle is about 234 km.
    assert distance_km(45.52345, -122.67621, 47.60621, -122.33207) == pytest.approx(233.7, abs=2)
    assert distance_km(10, 10, 10, 10) == 0
    min_lat, max_lat, min_lon, max_lon = bounding_box(45.5, -122.6, 50)
    for bearing in range(0, 360, 15):
        # Points 49.9 km away in any direction fall inside the box.
        d = 49.9 / 6371.0088
        lat1, lon1, b = math.radians(45.5), math.radians(-122.6), math.radians(bearing)
        lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
        lon2 = lon1 + math.atan2(
            math.sin(b) * math.sin(d) * math.cos(lat1),
            math.cos(d) - math.sin(lat1) * math.sin(lat2),
        )
        assert min_lat <= math.degrees(lat2) <= max_lat
        assert min_lon <= math.degrees(lon2) <= max_lon
    assert bounding_box(89.95, 0, 100)[2:] == (-180.0, 180.0)
    assert bounding_box(0, 179.9, 100)[2:] == (-180.0, 180.0)


@pytest.mark.django_db
def test_command_loads_and_skips_when_loaded():
    Place.objects.all().delete()
    assert not gazetteer_loaded()
    call_command("load_places", "--country", "IS")
    count = Place.objects.count()
    assert count > 10
    assert Place.objects.filter(country="IS").count() == count
    call_command("load_places", "--if-empty", "--country", "NZ")
    assert Place.objects.filter(country="NZ").count() == 0


def test_nearest_place_gives_country_region_county_and_time_zone(places):
    portland = nearest_place(45.5048, -122.6369)
    london = nearest_place(51.5072, -0.1276)

    assert (portland.country, portland.admin1, portland.admin2) == ("US", "OR", "Multnomah County")
    assert portland.time_zone == "America/Los_Angeles"
    assert (london.country, london.time_zone) == ("GB", "Europe/London")
    assert nearest_place(0.0, -30.0) is None  # mid-Atlantic
    # The nearest, not merely one in the first box: a point on a town's own coordinates.
    burns = resolve_place("Burns, OR")
    assert nearest_place(burns.latitude, burns.longitude).name in ("Burns", "97720")


def test_country_time_zone_is_that_of_the_largest_town(places):
    assert country_time_zone("US") == "America/New_York"
    assert country_time_zone("gb") == "Europe/London"
    assert country_time_zone("ZZ") == ""


@pytest.mark.parametrize(
    ("area", "country", "covers"),
    [
        ("Anywhere in Oregon", "US", {("US", "OR")}),
        ("Oregon statewide", "US", {("US", "OR")}),
        ("Oregon and Washington", "US", {("US", "OR"), ("US", "WA")}),
        ("OR and WA", "US", {("US", "OR"), ("US", "WA")}),
        ("United States", "US", {("US", "")}),
        ("Nationwide", "US", {("US", "")}),
        ("United Kingdom", "US", {("GB", "")}),  # a country by name, whatever the service's
        ("Oregon", "", {("US", "OR")}),  # one country has a region of that name
        # Counties count as their state; "counties" makes the whole list counties, and the
        # state they share decides ("Washington County" is also in New York and Texas).
        ("Multnomah, Washington and Clackamas counties", "US", {("US", "OR")}),
        ("Washington County, Oregon", "US", {("US", "OR")}),
        ("Washington County", "US", None),  # in several states: not known which
        ("Portland metro area", "US", None),
        ("Oregon and Atlantis", "US", None),  # one part unknown: the whole is unknown
        ("", "US", None),
    ],
)
def test_service_areas_read_as_regions(places, area, country, covers):
    assert AreaResolver().resolve(area, country=country) == covers
