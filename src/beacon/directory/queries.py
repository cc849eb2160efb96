"""Reading the directory: services with everything the HSDS views need, prefetched."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db.models import F, Prefetch, Q, QuerySet

from beacon.directory.enums import ReportState, ServiceStatus
from beacon.directory.models import (
    Attribute,
    DirectoryReport,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


def services_for_api(
    *, search: str = "", taxonomy_term_id: str = "", organization_id: str = "", modified_after=None
) -> QuerySet[Service]:  # type: ignore[no-untyped-def]
    """Services filtered as the HSDS API describes (filters are ANDed)."""
    qs = Service.objects.select_related("organization").order_by("name", "id")
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(organization__name__icontains=search)
        )
    if taxonomy_term_id:
        linked = Attribute.objects.filter(
            taxonomy_term_id=taxonomy_term_id, link_entity="service"
        ).values("link_id")
        qs = qs.filter(id__in=linked)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if modified_after is not None:
        qs = qs.filter(last_modified__gte=modified_after)
    return qs


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
                    Prefetch("location", queryset=location_qs)
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


def organizations() -> QuerySet[Organization]:
    return Organization.objects.order_by("name", "id")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "code")


# --------------------------------------------------------------------------- pages


def service_for_page(service_id: uuid.UUID) -> Service | None:
    """One service with everything its page shows (no inactive filtering: the page says so)."""
    found = full_services([service_id])
    return found[0] if found else None


def services_by_id(ids: list[uuid.UUID]) -> dict[uuid.UUID, Service]:
    """Services for a results page, keyed by id (phones, locations, addresses loaded)."""
    rows = (
        Service.objects.filter(id__in=ids)
        .select_related("organization")
        .prefetch_related(
            "phones",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses"
                ),
            ),
        )
    )
    return {s.id: s for s in rows}


def terms_of(taxonomy_uuid: uuid.UUID) -> list[tuple[str, str]]:
    """(code, name) of a taxonomy's terms, in the order they were defined."""
    return list(
        TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_uuid)
        .order_by("name")
        .values_list("code", "name")
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
        if code not in names or (name and not names[code]):
            names[code] = name or code
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
