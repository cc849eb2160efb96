"""Finding a place someone typed: a town or city name, or a US ZIP code."""

from __future__ import annotations

import re

from django.db.models import Q

from beacon.places.enums import PlaceKind
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
