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

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL

from beacon.directory import terms
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
        self._latest: int | None = None  # the newest pattern's id, read once per search

    def open(self, channel: str = "") -> frozenset[int]:
        return self._get("open", channel)

    def always(self, channel: str = "") -> frozenset[int]:
        return self._get("always", channel)

    def _get(self, kind: str, channel: str) -> frozenset[int]:
        key = (kind, channel)
        if key not in self._found:
            if self._latest is None:
                self._latest = latest_pattern()
            self._found[key] = pattern_ids(
                self.now, kind=kind, channel=channel, latest=self._latest
            )
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


def _hours_among(ids: frozenset[int]) -> Q | RawSQL:
    """Rows whose hours pattern is one of `ids` (a few hundred ids), as one parameter (an
    array on PostgreSQL, a JSON list on SQLite) instead of hundreds of `IN` literals: the
    ORM prepares and quotes each literal, which cost a few milliseconds a search."""
    column = f'"{ServiceIndex._meta.db_table}"."hours_id"'
    if connection.vendor == "postgresql":
        sql, param = f"{column} = ANY(%s)", sorted(ids)
    elif connection.vendor == "sqlite":
        sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - no user text
        param = json.dumps(sorted(ids))
    else:
        return Q(hours_id__in=ids)
    return RawSQL(sql, (param,), output_field=BooleanField())  # noqa: S611 - bound parameter


def _narrow(
    filters: Filters,
    words: list[str],
    states: PatternStates,
    base: QuerySet[ServiceIndex] | None = None,
) -> QuerySet[ServiceIndex]:
    """`base` (all index rows by default) less the rows without the words, filters and open
    state asked for. `words=[]` when `base` has already kept only rows with the words."""
    qs = ServiceIndex.objects.all() if base is None else base
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
            ok = _hours_among(decide(channel))
            if channel:
                ok &= Q(tags__contains=f" ch:{channel} ")
            any_of |= ok
        qs = qs.filter(Q(has_hours=True) & any_of)
    return qs


class TermPlan:
    """Which rows a search reads first: through the term index (`terms.py`) or not.

    Words found through the index need no further test (the index is exact for them);
    tags and languages are still tested on the rows read (see `terms`), so a search finds
    the same rows, in the same order, whichever way its candidates were picked.

    - Without a place: candidates through the index whenever it can narrow.
    - Local rows within a radius: the coordinates index alone reads them when the box
      has few rows (`LOCAL_SCAN_ROWS`, counted on that index); a dense box (a big city)
      tests its rows against the set of index matches instead of reading and testing
      each row's words.
    - National and online rows: with words, the index matches (of the country's national
      and online rows) are the candidates; without, the covering `dir_index_wide` serves.
    On PostgreSQL the words, filters (and for national and online rows the reach and
    country) are one query of the `terms` column's GIN index (`terms.pg_match`), given
    whenever it narrows (for local rows: only when the box is dense, as on SQLite); its
    planner decides whether to use it.
    """

    def __init__(self, filters: Filters, words: list[str]) -> None:
        self.kind = terms.kind()
        self.words = words
        self.groups: list[tuple[str, list[str]]] = [
            ("tags", [f"{prefix}:{v}" for v in getattr(filters, attr)])
            for attr, prefix in FILTER_PREFIXES.items()
            if getattr(filters, attr)
        ]
        if filters.languages:
            self.groups.append(("languages", list(filters.languages)))
        self.narrows = bool(words) or any(terms.indexable(v) for _, v in self.groups)

    def base(self, *, drive: bool = True, extra: tuple = ()) -> QuerySet[ServiceIndex] | None:
        """Index rows narrowed through the term index (None: it cannot narrow). `extra`:
        more (column, values) groups for the index only (reach and country)."""
        rows = ServiceIndex.objects.all()
        if self.kind == "fts5":
            return rows.filter(
                terms.fts_rows(terms.fts_match(self.words, [*self.groups, *extra]), drive=drive)
            )
        if self.kind == "tsvector":
            return rows.filter(terms.pg_match(self.words, [*self.groups, *extra]))
        return None


# A radius whose bounding box holds more index rows than this tests them against the term
# index's matches rather than reading each row's words (`TermPlan`).
LOCAL_SCAN_ROWS = 1000


def latest_pattern() -> int:
    """The newest hours pattern's id: part of the key of the open-now sets."""
    return HoursPattern.objects.aggregate(latest=Max("id"))["latest"] or 0


def pattern_ids(
    now: datetime, *, kind: str = "open", channel: str = "", latest: int | None = None
) -> frozenset[int]:
    """Ids of the hours patterns open (`kind="open"`) or open 24/7 (`kind="always"`) in the
    minute of `now`, for `channel` ("": any). Decided once per minute and shared by every
    search in it (the key also changes when a pattern is added; patterns are never changed
    or deleted, so an id always means the same hours). 24/7 is decided on each pattern's
    local date, so it never goes stale as closures come and go."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    if latest is None:
        latest = latest_pattern()
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
    plan = TermPlan(filters, words)
    if not filters.has_place:
        base = plan.base() if plan.narrows else None
        qs = _narrow(filters, [] if base is not None and words else words, states, base)
        return _search_in_sql(qs, filters, words, cutoff, states, page, per_page)
    return _search_ranked(plan, filters, words, cutoff, states, page, per_page)


def _search_in_sql(qs, filters, words, cutoff, states, page, per_page) -> Results:
    qs = qs.filter(primary=True)
    order = [_stale_order(cutoff), _relevance_order(words)]
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


def _relevance_order(words: list[str]) -> Case | Value:
    """0 when every word begins a word of the name, 1 when of the name or organisation,
    else 2 (the SQL twin of `_relevance`)."""
    if not words:
        return Value(0, output_field=IntegerField())
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
    return Case(
        When(name_all, then=Value(0)),
        When(org_all, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _stale_order(cutoff: date) -> Case:
    return Case(
        When(assured_date__gte=cutoff, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def _search_ranked(plan, filters, words, cutoff, states, page, per_page) -> Results:
    """A search with a place. The ranking, within verified entries and then within stale
    ones: services with a location inside the radius, nearest first; then the national and
    online services that serve the place, by relevance and name.

    The local candidates (a bounding box on the coordinates index) are few and ranked here
    by exact distance. National and online services can be thousands for a common word, so
    they are ranked, counted and paged in the database, and only the page's rows are read.
    """
    lat, lon = filters.latitude, filters.longitude
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, filters.radius_km)
    # Only local rows have coordinates; leaving `reach` out lets the database use the
    # coordinates index. Only what ranking needs is read.
    box = Q(
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon,
    )
    base = None
    # A sparse box is read through the coordinates index alone and its few rows tested
    # (on PostgreSQL too: a common word's prefix scan of the GIN index costs more than
    # testing a few hundred rows, and the planner, misjudging the box, would combine both).
    if plan.narrows and ServiceIndex.objects.filter(box).count() > LOCAL_SCAN_ROWS:
        base = plan.base(drive=False)
    qs = _narrow(filters, [] if base is not None and words else words, states, base)
    local = qs.filter(box).annotate(is_stale=_stale_order(cutoff))
    nearest: dict[uuid.UUID, tuple] = {}
    also_wide: set[uuid.UUID] = set()
    for sid, pk, rlat, rlon, stale, hours_id, wide_too in local.values_list(
        "service_id", "id", "latitude", "longitude", "is_stale", "hours_id", "also_wide"
    ):
        dist = distance_km(lat, lon, rlat, rlon)
        if dist <= filters.radius_km and (sid not in nearest or dist < nearest[sid][0]):
            nearest[sid] = (dist, stale, pk, hours_id)
            if wide_too:
                also_wide.add(sid)
    local_ranked = sorted(nearest.items(), key=lambda item: (item[1][1], item[1][0], item[0]))
    local_fresh = [item for item in local_ranked if not item[1][1]]
    local_stale = [item for item in local_ranked if item[1][1]]

    # Services with a location inside the radius are listed as local, not again as wide.
    wide = WidePages(plan, filters, words, states, cutoff, exclude=sorted(also_wide))
    # The page runs through four segments: verified local, verified wide, stale local,
    # stale wide.
    start = (page - 1) * per_page
    end = start + per_page
    fresh_wide, stale_wide = wide.counts()
    entries: list[tuple[str, object]] = []
    offset = 0
    for kind, size in (
        ("local", len(local_fresh)),
        ("wide", fresh_wide),
        ("local-stale", len(local_stale)),
        ("wide-stale", stale_wide),
    ):
        lo, hi = max(start, offset) - offset, min(end, offset + size) - offset
        if lo < hi:
            if kind == "local":
                entries += [("local", item) for item in local_fresh[lo:hi]]
            elif kind == "local-stale":
                entries += [("local", item) for item in local_stale[lo:hi]]
            else:
                base = 0 if kind == "wide" else fresh_wide
                entries += [("wide", row) for row in wide.rows(base + lo, base + hi)]
        offset += size
    total = len(nearest) + fresh_wide + stale_wide

    local_pks = [item[1][2] for kind, item in entries if kind == "local"]
    details = {
        pk: (location_id, tags)
        for pk, location_id, tags in ServiceIndex.objects.filter(pk__in=local_pks).values_list(
            "pk", "location_id", "tags"
        )
    }
    hits = []
    for kind, item in entries:
        if kind == "local":
            sid, (dist, stale, pk, hours_id) = item
            location_id, tags = details[pk]
            open_now, always = states.of_row(hours_id, tags, filters.channels)
            hits.append(
                Hit(
                    service_id=sid,
                    location_id=location_id,
                    reach="local",
                    distance_km=dist,
                    stale=bool(stale),
                    open_now=open_now,
                    always_open=always,
                )
            )
        else:
            sid, reach, stale, hours_id, tags = item
            open_now, always = states.of_row(hours_id, tags, filters.channels)
            hits.append(
                Hit(
                    service_id=sid,
                    location_id=None,
                    reach=reach,
                    distance_km=None,
                    stale=bool(stale),
                    open_now=open_now,
                    always_open=always,
                )
            )
    return Results(hits=hits, total=total, page=page, per_page=per_page)


class WidePages:
    """The national and online services that serve a searched place, ranked in the database
    (verified first, then by relevance, name and id), counted and read a slice at a time.

    The first slice asked for also brings the counts (window functions ride along with the
    one pass over the matches), so page one costs one query."""

    def __init__(  # type: ignore[no-untyped-def]
        self, plan: TermPlan, filters: Filters, words: list[str], states, cutoff: date, *, exclude
    ) -> None:
        self.qs = ServiceIndex.objects.none()
        if filters.country:
            serves = Q(regions="")
            if filters.region:
                serves |= Q(regions__contains=f" {filters.region} ")
            if plan.kind == "fts5" and words:
                # The index's matches among the country's national and online rows are the
                # candidates; `+` keeps SQLite from reading them through dir_index_wide.
                base = plan.base(
                    extra=(("reach", ["national", "online"]), ("country", [filters.country]))
                )
                qs = _narrow(filters, [], states, base).filter(
                    RawSQL(
                        "+\"directory_serviceindex\".\"reach\" IN ('national', 'online') "
                        'AND +"directory_serviceindex"."country" = %s',
                        (filters.country,),
                        output_field=BooleanField(),
                    )
                )
            else:
                base = None
                if plan.kind == "tsvector" and plan.narrows:
                    base = plan.base(
                        extra=(("reach", ["national", "online"]), ("country", [filters.country]))
                    )
                qs = _narrow(filters, [] if base is not None and words else words, states, base)
                # Written as the partial index dir_index_terms_wide (migration 0012) says,
                # so that PostgreSQL reads the national and online rows' matches through it.
                qs = qs.filter(reach__in=("national", "online"), country=filters.country)
            wide = qs.filter(serves)
            if exclude:
                wide = wide.exclude(service_id__in=exclude)
            stale = _stale_order(cutoff)
            self.qs = wide.annotate(is_stale=stale, relevance=_relevance_order(words)).order_by(
                "is_stale", "relevance", "name_key", "service_id"
            )
        self._counts: tuple[int, int] | None = None
        self._first: tuple[int, list[tuple]] | None = None

    FIELDS = ("service_id", "reach", "is_stale", "hours_id", "tags")

    def _read(self, lo: int, hi: int, *, with_counts: bool) -> list[tuple]:
        qs = self.qs
        fields = self.FIELDS
        if with_counts:
            qs = qs.annotate(
                total=Window(Count("id")),
                stale_total=Window(Sum("is_stale")),
            )
            fields = (*fields, "total", "stale_total")
        return list(qs.values_list(*fields)[lo:hi])

    def counts(self) -> tuple[int, int]:
        """(verified, stale) national and online services."""
        if self._counts is None:
            rows = self._read(0, PREFETCH, with_counts=True)
            if rows:
                total, stale = rows[0][-2], rows[0][-1] or 0
                self._counts = (total - stale, stale)
                self._first = (0, [row[:-2] for row in rows])
            else:
                self._counts = (0, 0)
                self._first = (0, [])
        return self._counts

    def rows(self, lo: int, hi: int) -> list[tuple]:
        """(service id, reach, stale, hours id, tags) of ranks `lo` to `hi` (exclusive)."""
        if self._first is not None and hi <= PREFETCH:
            return self._first[1][lo:hi]
        return self._read(lo, hi, with_counts=False)


# The first this many national and online results come with the counts (a page of 20
# needs at most 20 of them; more would only be read and thrown away).
PREFETCH = 20
