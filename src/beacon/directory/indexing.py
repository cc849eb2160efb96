"""Keeping the search index (`ServiceIndex`) in step with the directory rows.

Call `reindex_services(ids)` after changing services (the admin, curator pages and the
importer do), or `reindex_services()` to rebuild everything (`manage.py reindex_directory`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, time
from functools import lru_cache
from typing import Any

from django.db import connection, transaction

from beacon.directory.enums import LocationType, PhoneType, ServiceStatus
from beacon.directory.models import (
    Attribute,
    HoursPattern,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceIndex,
)
from beacon.directory.opening import CompiledSchedule, ScheduleRule, compile_rules
from beacon.directory.taxonomy import taxonomy_id
from beacon.places.queries import AreaResolver
from beacon.places.text import place_key

log = logging.getLogger(__name__)

BATCH = 2000
MAX_TAGS_TEXT = 2000  # PostgreSQL's b-tree entries must stay under about 2,700 bytes
INDEXED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
# Tag prefixes per Beacon taxonomy: the search filters match " kind:support-group " etc.
TAG_PREFIX = {
    taxonomy_id("resource-kind"): "kind",
    taxonomy_id("audience"): "aud",
    taxonomy_id("channel"): "ch",
    taxonomy_id("cost"): "cost",
}
_RULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "dtstart",
    "until",
    "channel",
    "closed",
    "wkst",
)


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (what the index stores)."""
    return place_key(text or "")


def rule_from_schedule(schedule: Schedule) -> ScheduleRule | None:
    """The open-now rule of a schedule row, or None when the row has no usable rule.

    Rows with only a `description` (hours in words) have no rule; invalid rows are logged
    and skipped rather than breaking the page.
    """
    if not schedule.freq and not schedule.valid_from:
        return None
    no_times = schedule.opens_at is None or schedule.closes_at is None
    if not schedule.closed and no_times and schedule.freq:
        return None
    try:
        return ScheduleRule(
            freq=schedule.freq or None,
            interval=schedule.interval or 1,
            byday=schedule.byday,
            bymonthday=schedule.bymonthday,
            opens_at=schedule.opens_at,
            closes_at=schedule.closes_at,
            valid_from=schedule.valid_from,
            valid_to=schedule.valid_to,
            dtstart=schedule.dtstart,
            until=schedule.until,
            channel=schedule.channel,
            closed=schedule.closed,
            wkst=schedule.wkst or "MO",
        )
    except ValueError as exc:
        log.warning("Schedule %s skipped: %s", schedule.id, exc)
        return None


def rules_to_json(rules: Iterable[ScheduleRule]) -> str:
    def value(v: Any) -> Any:
        return v.isoformat() if isinstance(v, date | time) else v

    return json.dumps(
        [{f: value(getattr(r, f)) for f in _RULE_FIELDS} for r in rules],
        separators=(",", ":"),
        sort_keys=True,
    )


@lru_cache(maxsize=20000)
def compiled_from_json(text: str) -> CompiledSchedule:
    """Compiled rules from the index's JSON (cached: many services share their hours)."""
    rules = []
    for item in json.loads(text or "[]"):
        for f in ("opens_at", "closes_at"):
            if item[f]:
                item[f] = time.fromisoformat(item[f])
        for f in ("valid_from", "valid_to", "dtstart", "until"):
            if item[f]:
                item[f] = date.fromisoformat(item[f])
        rules.append(ScheduleRule(**item))
    return compile_rules(rules)


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def _tags_by_service(ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[set[str], list[str]]]:
    out: dict[uuid.UUID, tuple[set[str], list[str]]] = defaultdict(lambda: (set(), []))
    rows = Attribute.objects.filter(
        link_entity="service", link_id__in=ids, taxonomy_term__isnull=False
    ).values_list(
        "link_id", "taxonomy_term__taxonomy_id", "taxonomy_term__code", "taxonomy_term__name"
    )
    for link_id, tax_id, code, name in rows:
        prefix = TAG_PREFIX.get(tax_id)
        tags, names = out[link_id]
        if prefix:
            tags.add(f"{prefix}:{code}")
        names.append(name)
    return out


def _tags_text(service: Service, tags: set[str]) -> str:
    """The tags column; bounded so it always fits in a database index entry."""
    text = " " + " ".join(sorted(tags)) + " "
    if len(text) > MAX_TAGS_TEXT:
        log.warning("Service %s has too many terms to index them all", service.id)
        text = text[: text.rfind(" ", 0, MAX_TAGS_TEXT) + 1]
    return text


def schedules_for(service: Service, location: Location | None = None) -> list[Schedule]:
    """The schedule rows that set a service's hours (at `location`, or anywhere).

    The service's own schedules plus those of the service at the location (HSDS
    `service_at_location`; with no location, at every location); when neither has any, the
    location's own opening hours stand in. Reads prefetched rows (see `_services`).
    """
    sals = [
        sal
        for sal in service.service_at_locations.all()
        if location is None or sal.location_id == location.id
    ]
    found = list(service.schedules.all()) + [s for sal in sals for s in sal.schedules.all()]
    if found:
        return found
    return [s for sal in sals for s in sal.location.schedules.all()]


def rules_for(service: Service, location: Location | None = None) -> list[ScheduleRule]:
    """The open-now rules of `schedules_for` (rows without a usable rule left out)."""
    return [r for r in (rule_from_schedule(s) for s in schedules_for(service, location)) if r]


def coverage(service: Service, areas: AreaResolver) -> dict[str, str]:
    """Where a service without a physical location serves: country -> regions (" OR WA ",
    or "" for the whole country).

    Its service areas as the gazetteer reads them; an area it cannot read is left out
    (and logged). With no readable area, the service's country. A service with neither
    has no coverage: place searches never show it (searches without a place do).
    """
    covered: set[tuple[str, str]] = set()
    for area in service.service_areas.all():
        text = area.name or area.description
        found = areas.resolve(text, country=service.country) if text else None
        if found:
            covered |= found
        elif text:
            log.info("Service %s: area %r is not a place the gazetteer knows", service.id, text)
    if not covered and service.country:
        covered = {(service.country, "")}
    by_country: dict[str, set[str]] = defaultdict(set)
    for country, region in covered:
        by_country[country].add(region)
    return {
        country: "" if "" in regions else " " + " ".join(sorted(regions)) + " "
        for country, regions in sorted(by_country.items())
    }


def _rows_for(
    service: Service, tags: set[str], term_names: list[str], areas: AreaResolver
) -> list[ServiceIndex]:
    tags = set(tags)
    for phone in service.phones.all():
        if phone.app or phone.type == PhoneType.TEXT:
            tags.add("ch:text")
        elif phone.type == PhoneType.VIDEO:
            tags.add("ch:video")
        elif phone.type in (PhoneType.VOICE, PhoneType.CELL, PhoneType.TEXTPHONE, ""):
            tags.add("ch:call")
    if service.chat_url:
        tags.add("ch:chat")
    languages = sorted({lang.code.lower() for lang in service.languages.all() if lang.code})
    locations = [sal.location for sal in service.service_at_locations.all()]
    physical = [
        loc
        for loc in locations
        if loc.location_type == LocationType.PHYSICAL and loc.latitude is not None
    ]
    if physical:
        tags.add("ch:in_person")
    cities = [a.city for loc in locations for a in loc.addresses.all()]
    words = (
        " "
        + fold(
            " ".join(
                [
                    service.name,
                    service.alternate_name,
                    service.organization.name,
                    service.description,
                    *term_names,
                    *cities,
                ]
            )
        )
        + " "
    )
    common = {
        "service": service,
        "name_key": fold(service.name)[:255],
        "org_key": fold(service.organization.name)[:255],
        "words": words,
        "tags": _tags_text(service, tags),
        "languages": " " + " ".join(languages) + " ",
        "assured_date": service.assured_date,
    }
    rows = [
        ServiceIndex(
            location=loc,
            latitude=loc.latitude,
            longitude=loc.longitude,
            reach="local",
            country=service.country,
            also_wide=service.is_national,
            **common,
        )
        for loc in physical
    ]
    if service.is_national or not physical:
        reach = "national" if service.is_national else "online"
        covered = coverage(service, areas) or {"": ""}
        rows += [
            ServiceIndex(reach=reach, country=country, regions=regions, **common)
            for country, regions in covered.items()
        ]
    rows[-1].primary = True
    # A temporarily closed service is never "open now", whatever its usual hours say.
    if service.status == ServiceStatus.ACTIVE:
        for row in rows:
            rules = rules_for(service, row.location)
            if rules:
                row.has_hours = True
                row.pattern = (rules_to_json(rules), service.time_zone or "UTC")
    return rows


def _services(ids: list[uuid.UUID]) -> list[Service]:
    return list(
        Service.objects.filter(id__in=ids, status__in=INDEXED_STATUSES)
        .select_related("organization")
        .prefetch_related(
            "phones",
            "languages",
            "schedules",
            "service_areas",
            models_prefetch_locations(),
        )
    )


def models_prefetch_locations() -> Any:
    from django.db.models import Prefetch  # noqa: PLC0415

    return Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            "schedules", "location__addresses", "location__schedules"
        ),
    )


def reindex_services(ids: Iterable[uuid.UUID] | None = None) -> int:
    """Rebuild index rows for these services (all when None); returns rows written."""
    areas = AreaResolver()
    if ids is None:
        all_ids = list(Service.objects.order_by("id").values_list("id", flat=True))
        with transaction.atomic():
            ServiceIndex.objects.all().delete()
            # Patterns no row uses any more stay: they are few, and never reusing an id
            # keeps `search.open_patterns`' cache key honest.
            written = sum(
                _index_chunk(chunk, delete=False, areas=areas) for chunk in _chunks(all_ids)
            )
            _refresh_statistics()
            return written
    wanted = list(dict.fromkeys(ids))
    with transaction.atomic():
        return sum(_index_chunk(chunk, delete=True, areas=areas) for chunk in _chunks(wanted))


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rebuilt index's new shape at once rather than after
    autovacuum gets to it. (Not on SQLite: without statistics it keeps to the search's
    indexes, which is what the searches are shaped for; with them it prefers full scans.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (ServiceIndex, HoursPattern):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _index_chunk(ids: list[uuid.UUID], *, delete: bool, areas: AreaResolver) -> int:
    if delete:
        ServiceIndex.objects.filter(service_id__in=ids).delete()
    tags = _tags_by_service(ids)
    rows: list[ServiceIndex] = []
    for service in _services(ids):
        service_tags, names = tags.get(service.id, (set(), []))
        rows.extend(_rows_for(service, service_tags, names, areas))
    _attach_patterns(rows)
    ServiceIndex.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def pattern_digest(rules_json: str, time_zone: str) -> str:
    return hashlib.sha256(f"{time_zone}\n{rules_json}".encode()).hexdigest()


def _attach_patterns(rows: list[ServiceIndex]) -> None:
    """Point each row with hours at its HoursPattern, creating the patterns not seen yet."""
    wanted = {}
    for row in rows:
        pattern = getattr(row, "pattern", None)
        if pattern:
            wanted[pattern_digest(*pattern)] = pattern
    if not wanted:
        return
    ids = dict(HoursPattern.objects.filter(digest__in=list(wanted)).values_list("digest", "id"))
    missing = [
        HoursPattern(digest=digest, rules=rules, time_zone=tz)
        for digest, (rules, tz) in wanted.items()
        if digest not in ids
    ]
    if missing:
        HoursPattern.objects.bulk_create(missing, ignore_conflicts=True)
        ids.update(
            HoursPattern.objects.filter(digest__in=[p.digest for p in missing]).values_list(
                "digest", "id"
            )
        )
    for row in rows:
        pattern = getattr(row, "pattern", None)
        if pattern:
            row.hours_id = ids[pattern_digest(*pattern)]
