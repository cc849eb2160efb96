"""The public, read-only HSDS 3.0 API (see data/hsds-openapi.json)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from beacon.directory import hsds
from beacon.directory.models import Organization
from beacon.directory.queries import (
    IdPages,
    attributes_by_link,
    full_services,
    organizations,
    organizations_by_ids,
    service_at_location_full,
    service_at_locations,
    service_at_locations_by_ids,
    services_by_ids,
    services_for_api,
    taxonomies,
    taxonomies_by_ids,
    taxonomy_terms,
    taxonomy_terms_by_ids,
)

OPENAPI_FILE = Path(__file__).resolve().parents[1] / "data" / "hsds-openapi.json"
MAX_PER_PAGE = 100


class BadRequest(Exception):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"  # public open data
    return response


def _error(message: str, status: int = 400) -> JsonResponse:
    return _json({"error": {"status": status, "message": message}}, status=status)


def _id(pk: str) -> uuid.UUID | None:
    """A path id as a UUID; None when it is not one (then nothing has that id: a 404)."""
    try:
        return uuid.UUID(pk)
    except ValueError:
        return None


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any address under the API that is not an endpoint: a JSON 404, like the others."""
    return _error("No such endpoint: see openapi.json for the ones this API has", 404)


def _modified_after(text: str) -> datetime:
    """An ISO 8601 date-time (a naive one is UTC) or date (its midnight, UTC)."""
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time())
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest("modified_after must be an ISO 8601 date-time (or date)")
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        page = int(request.GET.get("page", "1"))
        per_page = int(request.GET.get("per_page", "50"))
    except ValueError as exc:
        raise BadRequest("page and per_page must be whole numbers") from exc
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadRequest(f"page starts at 1; per_page is between 1 and {MAX_PER_PAGE}")
    return page, per_page


def _uuid_param(request: HttpRequest, name: str) -> str:
    """A UUID query parameter in canonical form ("" when absent); BadRequest when not one."""
    text = request.GET.get(name, "").strip()
    if not text:
        return ""
    try:
        return str(uuid.UUID(text))
    except ValueError as exc:
        raise BadRequest(f"{name} must be a UUID") from exc


def _page(request: HttpRequest, pages: IdPages, to_json, load) -> JsonResponse:  # type: ignore[no-untyped-def]
    """An HSDS `Page`: the count and the page's ids (`IdPages.page`), then `load(ids)`
    (id -> object with whatever the items show) for just those ids."""
    try:
        page, per_page = _paging(request)
    except BadRequest as error:
        return _error(str(error))
    total, ids = pages.page((page - 1) * per_page, per_page)
    found = load(ids) if ids else {}
    items = [found[pk] for pk in ids if pk in found]
    return _json(
        hsds.page_json([to_json(x) for x in items], total=total, page=page, per_page=per_page)
    )


@require_safe
def root(request: HttpRequest) -> JsonResponse:
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": "https://specs.openreferral.org/en/latest/",
            "openapi_url": request.build_absolute_uri(reverse("directory_api:openapi")),
        }
    )


@cache
def _openapi() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    doc = dict(_openapi())
    doc["info"] = {
        **doc.get("info", {}),
        "title": "Beacon directory (HSDS 3.0)",
        "version": hsds.HSDS_VERSION,
    }
    doc["servers"] = [{"url": request.build_absolute_uri(reverse("directory_api:root"))}]
    return _json(doc)


@require_safe
def services(request: HttpRequest) -> JsonResponse:
    try:
        modified_after = None
        if request.GET.get("modified_after", "").strip():
            modified_after = _modified_after(request.GET["modified_after"].strip())
        term = _uuid_param(request, "taxonomy_term_id")
        organization = _uuid_param(request, "organization_id")
    except BadRequest as error:
        return _error(str(error))
    pages = services_for_api(
        search=request.GET.get("search", "").strip(),
        taxonomy_term_id=term,
        organization_id=organization,
        modified_after=modified_after,
    )
    return _page(request, pages, hsds.service_list_json, services_by_ids)


@require_safe
def service_detail(request: HttpRequest, pk: str) -> JsonResponse:
    found = full_services([key]) if (key := _id(pk)) else []
    if not found:
        return _error("No such service", 404)
    service = found[0]
    attrs = attributes_by_link([service.id], "service")[service.id]
    return _json(hsds.service_full_json(service, attrs))


@require_safe
def organization_list(request: HttpRequest) -> JsonResponse:
    return _page(request, organizations(), hsds.organization_list_json, organizations_by_ids)


@require_safe
def organization_detail(request: HttpRequest, pk: str) -> JsonResponse:
    org = Organization.objects.filter(pk=key).first() if (key := _id(pk)) else None
    if org is None:
        return _error("No such organization", 404)
    data = hsds.organization_list_json(org)
    data["services"] = [
        hsds.service_list_json(s)
        for s in org.services.select_related("organization").order_by("name")
    ]
    return _json(data)


@require_safe
def taxonomy_list(request: HttpRequest) -> JsonResponse:
    return _page(request, taxonomies(), hsds.taxonomy_json, taxonomies_by_ids)


@require_safe
def taxonomy_detail(request: HttpRequest, pk: str) -> JsonResponse:
    found = taxonomies_by_ids([key]) if (key := _id(pk)) else {}
    if not found:
        return _error("No such taxonomy", 404)
    return _json(hsds.taxonomy_json(found[key]))


@require_safe
def taxonomy_term_list(request: HttpRequest) -> JsonResponse:
    try:
        taxonomy = _uuid_param(request, "taxonomy_id")
    except BadRequest as error:
        return _error(str(error))
    return _page(request, taxonomy_terms(taxonomy), hsds.taxonomy_term_json, taxonomy_terms_by_ids)


@require_safe
def service_at_location_list(request: HttpRequest) -> JsonResponse:
    return _page(
        request,
        service_at_locations(),
        hsds.service_at_location_list_json,
        service_at_locations_by_ids,
    )


@require_safe
def taxonomy_term_detail(request: HttpRequest, pk: str) -> JsonResponse:
    found = taxonomy_terms_by_ids([key]) if (key := _id(pk)) else {}
    if not found:
        return _error("No such taxonomy term", 404)
    term = found[key]
    data = hsds.taxonomy_term_json(term)
    if term.taxonomy_id:
        data["taxonomy_detail"] = hsds.taxonomy_json(term.taxonomy)
    return _json(data)


@require_safe
def service_at_location_detail(request: HttpRequest, pk: str) -> JsonResponse:
    sal = service_at_location_full(key) if (key := _id(pk)) else None
    if sal is None:
        return _error("No such service at location", 404)
    attrs = attributes_by_link([sal.id], "service_at_location")[sal.id]
    return _json(hsds.service_at_location_full_json(sal, attrs))
