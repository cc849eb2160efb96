"""Reading the directory: services with everything the HSDS views need, prefetched."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet

from beacon.directory.models import (
    Attribute,
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
