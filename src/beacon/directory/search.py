"""Directory search: words, filters, place and radius, open now, 24/7.

SQL narrows the index (`ServiceIndex`) with indexable conditions (bounding box, reach,
country) and word/tag matches; the few rows left are ranked in Python (exact distance,
open now in each service's own time zone). Searches without a place or "open now" are
ranked and paginated entirely in SQL.

Ranking: entries not verified for `BEACON_DIRECTORY_STALE_DAYS` sink below verified ones.
With a place: services with a location inside the radius, nearest first, then national and
online services whose coverage (country, and regions when their service areas name some)
includes the place. Without a place: name matches, then organisation matches, then other
matches; services in the reader's country first; then by name.

"Open now" and "24/7" are decided once a minute per hours pattern (a distinct timetable)
and per channel, and applied in SQL as `hours_id IN (…)`: with channels asked for, a row
counts when one of those channels (that it offers) is open, or open 24/7.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast

from beacon.directory.hours import zone
from beacon.directory.indexing import compiled_from_json, fold
from beacon.directory.models import HoursPattern, ServiceIndex
from beacon.directory.opening import is_always_open, is_open
from beacon.places.geo import bounding_box, distance_km

FILTER_PREFIXES = {
    "kinds": "kind",
    "audiences": "aud",
    "channels": "ch",
    "costs": "cost",
}
MAX_WORDS = 8


@dataclass(frozen=True)
class Filters:
    text: str = ""
    kinds: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    open_now: bool = False
    always_open: bool = False
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = 40.0
    country: str = ""  # the place's country, or the reader's when no place
    region: str = ""  # the place's state or region code (gazetteer `admin1`), if known

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class Hit:
    service_id: uuid.UUID
    location_id: uuid.UUID | None
    reach: str
    distance_km: float | None
    stale: bool
    open_now: bool | None  # None: no hours known
    always_open: bool


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


def stale_before(today: date) -> date:
    """Entries verified before this date (or never) count as not checked recently."""
    return today - timedelta(days=settings.BEACON_DIRECTORY_STALE_DAYS)


def query_words(text: str) -> list[str]:
    """Folded words, with a simple plural step so "groups" finds "group" and "groups"."""
    words = []
    for word in fold(text).split()[:MAX_WORDS]:
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words


class PatternStates:
    """Which hours patterns are open (or 24/7) at one moment, per channel, computed when
    first asked and shared through the cache by every search in the same minute."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._found: dict[tuple[str, str], frozenset[int]] = {}

    def open(self, channel: str = "") -> frozenset[int]:
        return self._get("open", channel)

    def always(self, channel: str = "") -> frozenset[int]:
        return self._get("always", channel)

    def _get(self, kind: str, channel: str) -> frozenset[int]:
        key = (kind, channel)
        if key not in self._found:
            self._found[key] = pattern_ids(self.now, kind=kind, channel=channel)
        return self._found[key]

    def of_row(self, hours_id: int | None, tags: str, channels: tuple[str, ...]) -> tuple:
        """(open now, 24/7) of an index row: open_now None when it has no hours. With
        channels asked for, the state of those of them the row offers."""
        if hours_id is None:
            return None, False
        wanted = [c for c in channels if f" ch:{c} " in tags] if channels else [""]
        return (
            any(hours_id in self.open(c) for c in wanted),
            any(hours_id in self.always(c) for c in wanted),
        )


def _narrow(filters: Filters, words: list[str], states: PatternStates) -> QuerySet[ServiceIndex]:
    qs = ServiceIndex.objects.all()
    for word in words:
        qs = qs.filter(words__contains=" " + word)
    for attr, prefix in FILTER_PREFIXES.items():
        values = getattr(filters, attr)
        if values:
            any_of = Q()
            for value in values:
                any_of |= Q(tags__contains=f" {prefix}:{value} ")
            qs = qs.filter(any_of)
    if filters.languages:
        any_of = Q()
        for value in filters.languages:
            any_of |= Q(languages__contains=f" {value} ")
        qs = qs.filter(any_of)
    if filters.open_now or filters.always_open:
        # 24/7 implies open now; per channel asked for, that channel is open (or 24/7).
        decide = states.always if filters.always_open else states.open
        any_of = Q()
        for channel in filters.channels or ("",):
            ok = Q(hours_id__in=decide(channel))
            if channel:
                ok &= Q(tags__contains=f" ch:{channel} ")
            any_of |= ok
        qs = qs.filter(Q(has_hours=True) & any_of)
    return qs


def _relevance(name_key: str, org_key: str, words: list[str]) -> int:
    if not words:
        return 0
    name = " " + name_key
    if all(" " + w in name for w in words):
        return 0
    org = " " + org_key
    if all(" " + w in name or " " + w in org for w in words):
        return 1
    return 2


def pattern_ids(now: datetime, *, kind: str = "open", channel: str = "") -> frozenset[int]:
    """Ids of the hours patterns open (`kind="open"`) or open 24/7 (`kind="always"`) in the
    minute of `now`, for `channel` ("": any). Decided once per minute and shared by every
    search in it (the key also changes when a pattern is added; patterns are never changed
    or deleted, so an id always means the same hours). 24/7 is decided on each pattern's
    local date, so it never goes stale as closures come and go."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    latest = HoursPattern.objects.aggregate(latest=Max("id"))["latest"] or 0
    key = f"directory:hours:{kind}:{channel or 'any'}:{minute:%Y%m%d%H%M}:{latest}"
    found = cache.get(key)
    if found is None:
        if kind == "open":
            found = frozenset(
                pk
                for pk, rules, tz in HoursPattern.objects.values_list("id", "rules", "time_zone")
                if is_open(compiled_from_json(rules), tz, minute, channel=channel)
            )
        else:
            found = frozenset(
                pk
                for pk, rules, tz in HoursPattern.objects.values_list("id", "rules", "time_zone")
                if is_always_open(
                    compiled_from_json(rules),
                    channel=channel,
                    on=minute.astimezone(zone(tz)).date(),
                )
            )
        cache.set(key, found, 120)
    return found


def open_patterns(now: datetime, channel: str = "") -> frozenset[int]:
    """Ids of the hours patterns open in the minute of `now` (see `pattern_ids`)."""
    return pattern_ids(now, kind="open", channel=channel)


def always_patterns(now: datetime, channel: str = "") -> frozenset[int]:
    """Ids of the hours patterns open 24/7 on the day of `now` (see `pattern_ids`)."""
    return pattern_ids(now, kind="always", channel=channel)


def search(filters: Filters, *, now: datetime, page: int = 1, per_page: int = 20) -> Results:
    """One page of results for `filters` at time `now` (aware)."""
    words = query_words(filters.text)
    cutoff = stale_before(now.date())
    page = max(1, page)
    states = PatternStates(now)
    qs = _narrow(filters, words, states)
    if not filters.has_place:
        return _search_in_sql(qs, filters, words, cutoff, states, page, per_page)
    return _search_ranked(qs, filters, words, cutoff, states, page, per_page)


def _search_in_sql(qs, filters, words, cutoff, states, page, per_page) -> Results:
    qs = qs.filter(primary=True)
    stale = Case(
        When(assured_date__gte=cutoff, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    order = [stale]
    if words:
        name_all = Q()
        org_all = Q()
        for w in words:
            name_all &= Q(name_key__startswith=w) | Q(name_key__contains=" " + w)
            org_all &= (
                Q(name_key__startswith=w)
                | Q(name_key__contains=" " + w)
                | Q(org_key__startswith=w)
                | Q(org_key__contains=" " + w)
            )
        order.append(
            Case(
                When(name_all, then=Value(0)),
                When(org_all, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    if filters.country:
        order.append(
            Case(
                When(country=filters.country, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    start = (page - 1) * per_page
    # The count rides along with the page (one pass over the matches instead of two).
    rows = list(
        qs.annotate(total=Window(Count("id")))
        .order_by(*order, "name_key", "service_id")
        .values_list(
            "service_id",
            "location_id",
            "reach",
            "assured_date",
            "hours_id",
            "tags",
            "total",
        )[start : start + per_page]
    )
    total = rows[0][-1] if rows else (qs.count() if page > 1 else 0)
    hits = []
    for sid, lid, reach, assured, hours_id, tags, _total in rows:
        open_now, always = states.of_row(hours_id, tags, filters.channels)
        hits.append(
            Hit(
                service_id=sid,
                location_id=lid,
                reach=reach,
                distance_km=None,
                stale=assured is None or assured < cutoff,
                open_now=open_now,
                always_open=always,
            )
        )
    return Results(hits=hits, total=total, page=page, per_page=per_page)


def _search_ranked(qs, filters, words, cutoff, states, page, per_page) -> Results:
    # Only what ranking needs, in forms that cost nothing to convert: the ids as text (a
    # broad search can rank thousands of rows) and "stale" computed by the database.
    qs = qs.annotate(
        sid=Cast("service_id", CharField()),
        is_stale=Case(
            When(assured_date__gte=cutoff, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    fields = (
        "sid",
        "id",
        "reach",
        "latitude",
        "longitude",
        "name_key",
        "org_key",
        "is_stale",
        "hours_id",
        "country",
    )
    if filters.has_place:
        lat, lon = filters.latitude, filters.longitude
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, filters.radius_km)
        # Only local rows have coordinates; leaving `reach` out lets the database use the
        # coordinates index.
        local = qs.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        # National and online rows of the place's country (a row per country a service
        # serves), serving all of it or the place's region.
        wide = qs.filter(reach__in=("national", "online"), country=filters.country)
        serves = Q(regions="")
        if filters.region:
            serves |= Q(regions__contains=f" {filters.region} ")
        wide = wide.filter(serves)
        rows = list(local.values_list(*fields))
        if filters.country:
            rows += list(wide.values_list(*fields))
    else:
        rows = list(qs.values_list(*fields))

    best: dict[str, tuple] = {}
    for row in rows:
        sid, _pk, reach, rlat, rlon = row[:5]
        dist = None
        if reach == "local" and filters.has_place:
            dist = distance_km(filters.latitude, filters.longitude, rlat, rlon)
            if dist > filters.radius_km:
                continue
        group = 0 if reach == "local" or not filters.has_place else 1
        current = best.get(sid)
        candidate = (group, dist if dist is not None else 0.0, row)
        if current is None or candidate[:2] < current[:2]:
            best[sid] = candidate

    ranked = []
    for group, dist, row in best.values():
        (
            sid,
            pk,
            reach,
            _la,
            _lo,
            name_key,
            org_key,
            stale,
            hours_id,
            country,
        ) = row
        if filters.has_place:
            key = (stale, group, dist if group == 0 else _relevance(name_key, org_key, words))
        else:
            key = (
                stale,
                _relevance(name_key, org_key, words),
                0 if country == filters.country else 1,
            )
        ranked.append(((*key, name_key, sid), (pk, reach, dist, stale, hours_id)))
    ranked.sort(key=lambda item: item[0])
    start = (page - 1) * per_page
    chosen = ranked[start : start + per_page]
    details = {
        pk: (location_id, tags)
        for pk, location_id, tags in ServiceIndex.objects.filter(
            pk__in=[pk for _key, (pk, *_rest) in chosen]
        ).values_list("pk", "location_id", "tags")
    }
    hits = []
    for (*_key, sid), (pk, reach, dist, stale, hours_id) in chosen:
        local = reach == "local"
        location_id, tags = details[pk]
        open_now, always = states.of_row(hours_id, tags, filters.channels)
        hits.append(
            Hit(
                service_id=uuid.UUID(sid),
                location_id=location_id if local else None,
                reach=reach,
                distance_km=dist if local and filters.has_place else None,
                stale=bool(stale),
                open_now=open_now,
                always_open=always,
            )
        )
    return Results(hits=hits, total=len(ranked), page=page, per_page=per_page)
