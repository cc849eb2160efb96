"""Reading the directory: services with everything the HSDS views need, prefetched."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from hashlib import sha1

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import GreaterThan

from beacon.core.languages import language_name
from beacon.directory import terms
from beacon.directory.enums import ReportState, ServiceStatus
from beacon.directory.indexing import INDEXED_STATUSES, fold
from beacon.directory.models import (
    Address,
    Attribute,
    DirectoryReport,
    Language,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceIndex,
    Taxonomy,
    TaxonomyTerm,
)

# Statuses the search index leaves out (indexing.INDEXED_STATUSES covers the others).
UNINDEXED_STATUSES = tuple(s for s in ServiceStatus if s not in INDEXED_STATUSES)
MAX_SEARCH_WORDS = 8


@dataclass
class Part:
    """An ordered queryset of a list's rows and the field holding their ids. `sorted`: the
    database reads every match and sorts them (no index has the order), so on PostgreSQL
    the page's query brings the count along (a window) rather than reading the matches
    twice. (SQLite's window costs more than a second, narrower pass: it counts apart.)
    `count`: a cheaper way to count the rows than `rows.count()`, when there is one.
    `few_rows`: the same rows found another way, read instead when they are fewer than
    `few` (an index walk that stops after the page reads far when matches are rare)."""

    rows: QuerySet
    field: str = "id"
    sorted: bool = False
    count: Callable[[], int] | None = None
    few_rows: QuerySet | None = None
    few: int = 0
    # Instead of a count then a read, when the page wants rows: (offset, limit) -> (size, ids).
    paged: Callable[[int, int], tuple[int, list]] | None = None


@dataclass
class IdPages:
    """The ids of a list in order: the ids of each part one after the other.

    `page(offset, limit)` returns the total and the page's ids: per part a `COUNT(*)` and a
    LIMIT/OFFSET read of the ids over the index that has the part's order, or for a sorted
    part one query with both (and a count alone when the page starts after it).
    """

    parts: list[Part]

    def page(self, offset: int, limit: int) -> tuple[int, list]:
        total, ids = 0, []
        for part in self.parts:
            wanted = limit - len(ids)
            size = None
            if wanted > 0 and part.paged:
                size, found_ids = part.paged(offset, wanted)
                ids += found_ids
            elif wanted > 0 and part.sorted and connection.vendor == "postgresql":
                found = list(
                    part.rows.annotate(_total=Window(Count("*"))).values_list(part.field, "_total")[
                        offset : offset + wanted
                    ]
                )
                if found:
                    size = found[0][1]
                    ids += [row[0] for row in found]
            if size is None:
                size = part.count() if part.count else part.rows.count()
                if wanted > 0 and offset < size:
                    rows = part.rows
                    if part.few_rows is not None and size < part.few:
                        rows = part.few_rows
                    ids += rows.values_list(part.field, flat=True)[offset : offset + wanted]
            offset = max(0, offset - size)
            total += size
        return total, ids


def services_for_api(
    *, search: str = "", taxonomy_term_id: str = "", organization_id: str = "", modified_after=None
) -> IdPages:  # type: ignore[no-untyped-def]
    """Ids of the services the HSDS API lists with these filters (ANDed), in list order:
    by name (then id), over the `Service(name, id, last_modified)` index so deep pages sort
    nothing (a `modified_after` is tested on the index entries as they are walked).

    With `search`, services the search index has come first, by their folded name
    (`ServiceIndex.name_key`, then id), then the few it leaves out or has not reached yet,
    by name (see `_indexed_matches`).
    """
    services = Service.objects.order_by()
    rows = ServiceIndex.objects.all()
    filtered = bool(taxonomy_term_id or organization_id or modified_after is not None)
    if taxonomy_term_id:
        linked = Attribute.objects.filter(
            taxonomy_term_id=taxonomy_term_id, link_entity="service"
        ).values("link_id")
        services = services.filter(id__in=linked)
        rows = rows.filter(service_id__in=linked)
    if organization_id:
        services = services.filter(organization_id=organization_id)
        rows = rows.filter(service__organization_id=organization_id)
    if modified_after is not None:
        services = services.filter(last_modified__gte=modified_after)
        rows = rows.filter(service__last_modified__gte=modified_after)
    if not search:
        return IdPages([Part(services.order_by("name", "id"))])
    words = fold(search).split()[:MAX_SEARCH_WORDS]
    if not words:  # nothing the index can match (e.g. only non-Latin letters): plain match
        found = _with_org_name(services).filter(_text_q(search))
        return IdPages([Part(found.order_by("name", "id"))])
    plain = Q()
    for word in words:
        plain &= _text_q(word)
    services = _with_org_name(services)
    unindexed = Q(status__in=UNINDEXED_STATUSES)
    if not _index_is_complete():
        unindexed |= ~Exists(ServiceIndex.objects.filter(service_id=OuterRef("pk")))
    return IdPages(
        [
            _indexed_matches(rows, words, filtered=filtered),
            # Counted first: usually none match, and then the page needs no read.
            Part(services.filter(plain, unindexed).order_by("name", "id")),
        ]
    )


def _indexed_matches(rows: QuerySet[ServiceIndex], words: list[str], *, filtered: bool) -> Part:
    """The primary index rows among `rows` with `words`, by folded name and service id.

    SQLite (FTS5): the page is read by walking `dir_index_name_id` in that order, testing
    each entry against the set of the term index's matches, and stopping after the page
    (a common word fills a page within a few hundred entries; sorting its tens of
    thousands of matches cost more); fewer than `FEW_MATCHES` matches are read through the
    term index and sorted instead (a walk would read far for them). Without other filters
    the count comes from the term index alone: its matches less those of the (few) rows
    that are not primary.
    PostgreSQL: `_pg_walk`, a bounded walk, else (and with other filters) the matches
    sorted.
    Without a term index: a scan, sorted."""
    if _word_index() == "fts5":
        match = terms.fts_match(words, [])
        walk = (
            rows.filter(primary__in=[True])  # `IN`: an index equality for SQLite
            .filter(terms.fts_rows(match, drive=False))
            .order_by("name_key", "service_id")
        )
        found = rows.filter(primary=True).filter(terms.fts_rows(match))
        count = found.count if filtered else lambda: terms.fts_primary_count(match)
        few = found.order_by("name_key", "service_id")  # read by id from the matches, sorted
        return Part(walk, "service_id", count=count, few_rows=few, few=FEW_MATCHES)
    found = _with_words(rows.filter(primary=True), words)
    if _word_index() == "tsvector":
        # Lower(): see below; the sorted matches are the fallback of `_pg_walk`.
        ordered = found.order_by(Lower("name_key"), "service_id")
        if filtered:  # a walk would read far to find rows passing the other filters too
            return Part(ordered, "service_id", sorted=True)  # the count rides along
        return Part(
            ordered,
            "service_id",
            paged=lambda offset, limit: _pg_walk(rows, words, ordered, offset, limit),
        )
    # Lower(): the key is lower-case already; ordering by an expression keeps the
    # planner from walking the name index and testing every row's words (scanning).
    return Part(found.order_by(Lower("name_key"), "service_id"), "service_id", sorted=True)


# PostgreSQL: how many primary rows a search= page walks in name order before it sorts the
# matches instead (`_pg_walk`).
PG_WALK_ROWS = 5000


def _pg_walk(rows, words, ordered, offset: int, limit: int) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    """PostgreSQL: the count of a `search=` and the service ids of its page: the first
    `PG_WALK_ROWS` primary rows in name order (`dir_index_name_id`) with their stored terms
    tested one by one (migration 0011: cheap), when that fills the page — as for a common
    word, whose page is a few hundred rows in — and then a count; else (a rare word, or one
    whose services' names cluster further on: the planner cannot tell) the matches, found
    through the GIN index and sorted (`ordered`), with the count in the same query."""
    walked = (
        rows.filter(primary=True)
        .annotate(hit=terms.pg_words(words))
        .order_by("name_key", "service_id")
        .values("service_id", "name_key", "hit")[:PG_WALK_ROWS]
    )
    sql, params = walked.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT service_id FROM ({sql}) walked WHERE hit "  # noqa: S608
            "ORDER BY name_key, service_id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == limit:
        return ordered.count(), ids
    found = list(
        ordered.annotate(_total=Window(Count("*"))).values_list("service_id", "_total")[
            offset : offset + limit
        ]
    )
    if not found:  # the page starts after the last match
        return ordered.count(), []
    return found[0][1], [row[0] for row in found]


# Below this many matches, a search's page is read from the matches and sorted rather than
# by walking the name index (SQLite).
FEW_MATCHES = 2000


def _with_words(rows: QuerySet[ServiceIndex], words: list[str]) -> QuerySet[ServiceIndex]:
    """The index `rows` whose `words` have a word starting with each of `words` (folded words:
    only a-z and 0-9), through the term index (`terms.py`) when there is one."""
    kind = _word_index()
    if kind == "tsvector":
        return rows.filter(terms.pg_words(words))
    if kind == "fts5":
        return rows.filter(terms.fts_rows(terms.fts_match(words, [])))
    for word in words:  # a scan; INSTR / STRPOS are cheaper than LIKE '%… %'
        rows = rows.filter(GreaterThan(StrIndex("words", Value(" " + word)), 0))
    return rows


def _word_index() -> str:
    """The term index migrations 0007/0009 built (`terms.kind`)."""
    return terms.kind()


def _text_q(text: str) -> Q:
    """The service's name, description or organisation name (`_with_org_name`) has `text`."""
    return Q(name__icontains=text) | Q(description__icontains=text) | Q(org_name__icontains=text)


def _with_org_name(services: QuerySet[Service]) -> QuerySet[Service]:
    """`org_name`: the organisation's name, read per service by id (a correlated subquery)
    when the service's own name and description did not match — for the few services the
    text search tests (the unindexed ones), cheaper than joining every organisation."""
    name = Organization.objects.filter(pk=OuterRef("organization_id")).values("name")[:1]
    return services.annotate(org_name=Subquery(name))


def _index_is_complete() -> bool:
    """Whether every service the index covers has its rows (each has exactly one primary
    row): two counts over 100,000-entry indexes, so the answer is remembered (cache) under
    a mark that moves whenever a service is added or saved (its latest `last_modified`) or
    the index is rebuilt for one (its newest row id). When they differ the search also
    reads the services the index lacks."""
    with connection.cursor() as cursor:  # both maxima from their indexes, in one query
        cursor.execute(
            f"SELECT (SELECT MAX(last_modified) FROM {Service._meta.db_table}), "  # noqa: S608
            f"(SELECT MAX(id) FROM {ServiceIndex._meta.db_table})"
        )
        mark = cursor.fetchone()
    key = "directory:index-complete:" + sha1(repr(mark).encode(), usedforsecurity=False).hexdigest()
    complete = cache.get(key)
    if complete is None:
        indexed = ServiceIndex.objects.filter(primary=True).count()
        complete = indexed >= Service.objects.filter(status__in=INDEXED_STATUSES).count()
        cache.set(key, complete, 120)
    return complete


def services_by_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, Service]:
    """List rows of these services (with their organisation), keyed by id."""
    return {s.id: s for s in Service.objects.filter(id__in=ids).select_related("organization")}


def full_services(ids: list[uuid.UUID]) -> list[Service]:
    """Services with every nested HSDS object loaded in a fixed number of queries."""
    location_qs = Location.objects.prefetch_related(
        "addresses", "phones__languages", "schedules", "languages", "accessibility"
    )
    return list(
        Service.objects.filter(id__in=ids)
        .select_related("organization")
        .prefetch_related(
            "phones__languages",
            "schedules",
            "service_areas",
            "languages",
            "cost_options",
            "contacts",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "schedules", Prefetch("location", queryset=location_qs)
                ),
            ),
        )
    )


def attributes_by_link(ids: list[uuid.UUID], entity: str) -> dict[uuid.UUID, list[Attribute]]:
    """Attributes (with their terms) of the given objects, grouped by object id."""
    grouped: dict[uuid.UUID, list[Attribute]] = defaultdict(list)
    for attr in (
        Attribute.objects.filter(link_entity=entity, link_id__in=ids)
        .select_related("taxonomy_term__taxonomy")
        .order_by("link_type", "taxonomy_term__code")
    ):
        grouped[attr.link_id].append(attr)
    return grouped


def organizations() -> IdPages:
    return IdPages([Part(Organization.objects.order_by("name", "id"))])


def organizations_by_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, Organization]:
    return {o.id: o for o in Organization.objects.filter(id__in=ids)}


def service_at_locations() -> IdPages:
    """Every service-at-location link, by service id then location id (the order of the
    unique (service, location) index: pages are read over it, not sorted)."""
    return IdPages([Part(ServiceAtLocation.objects.order_by("service_id", "location_id"))])


def service_at_locations_by_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, ServiceAtLocation]:
    rows = ServiceAtLocation.objects.filter(id__in=ids).select_related(
        "service__organization", "location"
    )
    return {sal.id: sal for sal in rows}


def service_at_location_full(sal_id: uuid.UUID) -> ServiceAtLocation | None:
    """One service-at-location with what its HSDS detail nests (fixed number of queries)."""
    location_qs = Location.objects.prefetch_related(
        "addresses", "phones__languages", "schedules", "languages", "accessibility"
    )
    return (
        ServiceAtLocation.objects.filter(id=sal_id)
        .select_related("service__organization")
        .prefetch_related(
            "contacts", "phones__languages", "schedules", Prefetch("location", queryset=location_qs)
        )
        .first()
    )


def taxonomies() -> IdPages:
    return IdPages([Part(Taxonomy.objects.order_by("name", "id"))])


def taxonomies_by_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, Taxonomy]:
    return {t.id: t for t in Taxonomy.objects.filter(id__in=ids)}


def taxonomy_terms(taxonomy_id: str = "") -> IdPages:
    terms = TaxonomyTerm.objects.order_by("taxonomy__name", "code", "name", "id")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    return IdPages([Part(terms)])


def taxonomy_terms_by_ids(ids: list[uuid.UUID]) -> dict[uuid.UUID, TaxonomyTerm]:
    return {t.id: t for t in TaxonomyTerm.objects.filter(id__in=ids).select_related("taxonomy")}


# --------------------------------------------------------------------------- pages


def service_for_page(service_id: uuid.UUID) -> Service | None:
    """One service with everything its page shows (no inactive filtering: the page says so)."""
    found = full_services([service_id])
    return found[0] if found else None


@dataclass
class ResultService:
    """What a results page shows of a service: the service with its organisation, its phones
    in their order, and per location it is listed at, that location's first address (None
    when it has none)."""

    service: Service
    phones: list[Phone]
    addresses: dict[uuid.UUID, Address | None]


def services_by_id(
    ids: list[uuid.UUID], located: list[tuple[uuid.UUID, uuid.UUID]] = ()
) -> dict[uuid.UUID, ResultService]:
    """Services for a results page, keyed by id, with the addresses of `located` (service
    id, location id) pairs where the service is offered at that location.

    Plain queries grouped here rather than `prefetch_related`, which builds a queryset per
    service and relation: with 20 results that was most of the time spent loading them.
    """
    services = Service.objects.filter(id__in=ids).select_related("organization")
    found = {s.id: ResultService(s, [], {}) for s in services}
    for phone in Phone.objects.filter(service_id__in=list(found)):  # in the phones' order
        found[phone.service_id].phones.append(phone)
    wanted = {(sid, lid) for sid, lid in located if sid in found}
    if not wanted:
        return found
    pairs = wanted & set(
        ServiceAtLocation.objects.filter(
            service_id__in={sid for sid, _ in wanted}, location_id__in={lid for _, lid in wanted}
        ).values_list("service_id", "location_id")
    )
    if pairs:
        first: dict[uuid.UUID, Address] = {}
        for address in Address.objects.filter(location_id__in={lid for _, lid in pairs}):
            first.setdefault(address.location_id, address)
        for sid, lid in pairs:
            found[sid].addresses[lid] = first.get(lid)
    return found


TERM_CHOICES_KEY = "directory:term-choices:{}"


def terms_of(taxonomy_uuid: uuid.UUID) -> list[tuple[str, str]]:
    """(code, name) of a taxonomy's terms, by name: the search form's choices, asked on
    every search. Cached for 10 minutes; a term saved or deleted (signals, the importer)
    forgets the cache at once (`forget_choices`)."""
    key = TERM_CHOICES_KEY.format(taxonomy_uuid)
    cached = cache.get(key)
    if cached is None:
        cached = list(
            TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_uuid)
            .order_by("name")
            .values_list("code", "name")
        )
        cache.set(key, cached, 600)
    return cached


def forget_choices(taxonomy_uuids: Iterable[uuid.UUID] | None = None) -> None:
    """Drop the cached search-form choices: the terms of `taxonomy_uuids` (all taxonomies
    when None) and the languages services offer."""
    if taxonomy_uuids is None:
        taxonomy_uuids = Taxonomy.objects.values_list("id", flat=True)
    cache.delete_many(
        [TERM_CHOICES_KEY.format(t) for t in taxonomy_uuids] + ["directory:language-choices"]
    )


def service_terms(service_id: uuid.UUID) -> dict[str, list[TaxonomyTerm]]:
    """A service's taxonomy terms grouped by taxonomy name."""
    grouped: dict[str, list[TaxonomyTerm]] = defaultdict(list)
    for attr in attributes_by_link([service_id], "service").get(service_id, []):
        if attr.taxonomy_term_id:
            grouped[attr.taxonomy_term.taxonomy.name].append(attr.taxonomy_term)
    return dict(grouped)  # a plain dict: templates must not create keys by looking them up


def language_choices() -> list[tuple[str, str]]:
    """Languages services in the directory offer, as (code, name), cached for 10 minutes."""
    from django.core.cache import cache  # noqa: PLC0415

    cached = cache.get("directory:language-choices")
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    for code, name in (
        Language.objects.filter(service__isnull=False)
        .exclude(code="")
        .values_list("code", "name")
        .distinct()
    ):
        code = code.lower()
        if not name or name.lower() == code:  # a bare code where a name belongs
            name = language_name(code)
        names.setdefault(code, name)
    choices = sorted(names.items(), key=lambda item: item[1].casefold())
    cache.set("directory:language-choices", choices, 600)
    return choices


def open_reports() -> QuerySet[DirectoryReport]:
    return (
        DirectoryReport.objects.filter(state=ReportState.OPEN)
        .select_related("service__organization")
        .order_by("created_at")
    )


def stale_services(before) -> QuerySet[Service]:  # type: ignore[no-untyped-def]
    """Active services never verified or verified before `before`, oldest first."""
    return (
        Service.objects.filter(status__in=(ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED))
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=before))
        .select_related("organization")
        .order_by(F("assured_date").asc(nulls_first=True), "name", "id")
    )
