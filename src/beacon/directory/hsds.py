"""HSDS 3.0 JSON views of directory rows: the shapes of the API (and of the JSON export).

Rules from the specification: nested objects rather than links, UUID ids, never `null`
(unknown values are left out), dates as ISO strings, numbers as numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from beacon.directory import models as m

HSDS_VERSION = "3.0"


def _clean(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Drop unknown values (None, "") except required keys; convert ids, dates, decimals."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or (value == "" and key not in keep):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        elif not isinstance(value, str | int | float | bool | list | dict):
            value = str(value)
        out[key] = value
    return out


def taxonomy_json(t: m.Taxonomy) -> dict[str, Any]:
    return _clean(
        {
            "id": t.id,
            "name": t.name,
            "description": t.description,
            "uri": t.uri,
            "version": t.version,
        },
        keep=("name", "description"),
    )


def taxonomy_term_json(t: m.TaxonomyTerm) -> dict[str, Any]:
    return _clean(
        {
            "id": t.id,
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "parent_id": t.parent_id,
            "taxonomy": t.taxonomy.name if t.taxonomy_id else None,
            "taxonomy_id": t.taxonomy_id,
            "language": t.language,
            "term_uri": t.term_uri,
        },
        keep=("name", "description"),
    )


def attribute_json(a: m.Attribute) -> dict[str, Any]:
    data = _clean(
        {
            "id": a.id,
            "link_id": a.link_id,
            "link_type": a.link_type,
            "link_entity": a.link_entity,
            "taxonomy_term_id": a.taxonomy_term_id,
            "value": a.value,
        }
    )
    if a.taxonomy_term_id:
        data["taxonomy_term"] = taxonomy_term_json(a.taxonomy_term)
    return data


def organization_list_json(o: m.Organization) -> dict[str, Any]:
    return _clean(
        {
            "id": o.id,
            "name": o.name,
            "alternate_name": o.alternate_name,
            "description": o.description,
            "email": o.email,
            "website": o.website,
            "year_incorporated": o.year_incorporated,
            "legal_status": o.legal_status,
            "logo": o.logo,
            "uri": o.uri,
            "parent_organization_id": o.parent_organization_id,
        },
        keep=("name", "description"),
    )


def phone_json(p: m.Phone) -> dict[str, Any]:
    return _clean(
        {
            "id": p.id,
            "location_id": p.location_id,
            "service_id": p.service_id,
            "organization_id": p.organization_id,
            "contact_id": p.contact_id,
            "service_at_location_id": p.service_at_location_id,
            "number": p.number,
            "extension": p.extension,
            "type": p.type,
            "description": p.description,
            "languages": [language_json(lang) for lang in p.languages.all()],
        },
        keep=("number",),
    )


def language_json(lang: m.Language) -> dict[str, Any]:
    return _clean(
        {
            "id": lang.id,
            "service_id": lang.service_id,
            "location_id": lang.location_id,
            "phone_id": lang.phone_id,
            "name": lang.name,
            "code": lang.code,
            "note": lang.note,
        }
    )


def schedule_json(s: m.Schedule) -> dict[str, Any]:
    return _clean(
        {
            "id": s.id,
            "service_id": s.service_id,
            "location_id": s.location_id,
            "service_at_location_id": s.service_at_location_id,
            "valid_from": s.valid_from,
            "valid_to": s.valid_to,
            "dtstart": s.dtstart,
            "timezone": s.timezone,
            "until": s.until,
            "count": s.count,
            "wkst": s.wkst,
            "freq": s.freq,
            "interval": s.interval,
            "byday": s.byday,
            "byweekno": s.byweekno,
            "bymonthday": s.bymonthday,
            "byyearday": s.byyearday,
            "description": s.description,
            "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else None,
            "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else None,
            "schedule_link": s.schedule_link,
            "attending_type": s.attending_type,
            "notes": s.notes,
        }
    )


def address_json(a: m.Address) -> dict[str, Any]:
    return _clean(
        {
            "id": a.id,
            "location_id": a.location_id,
            "attention": a.attention,
            "address_1": a.address_1,
            "address_2": a.address_2,
            "city": a.city,
            "region": a.region,
            "state_province": a.state_province,
            "postal_code": a.postal_code,
            "country": a.country,
            "address_type": a.address_type,
        },
        keep=("address_1", "city", "state_province", "postal_code", "country"),
    )


def location_json(loc: m.Location) -> dict[str, Any]:
    return _clean(
        {
            "id": loc.id,
            "location_type": loc.location_type,
            "url": loc.url,
            "organization_id": loc.organization_id,
            "name": loc.name,
            "alternate_name": loc.alternate_name,
            "description": loc.description,
            "transportation": loc.transportation,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "external_identifier": loc.external_identifier,
            "external_identifier_type": loc.external_identifier_type,
            "languages": [language_json(x) for x in loc.languages.all()],
            "addresses": [address_json(x) for x in loc.addresses.all()],
            "phones": [phone_json(x) for x in loc.phones.all()],
            "schedules": [schedule_json(x) for x in loc.schedules.all()],
            "accessibility": [
                _clean(
                    {
                        "id": x.id,
                        "location_id": x.location_id,
                        "description": x.description,
                        "details": x.details,
                        "url": x.url,
                    }
                )
                for x in loc.accessibility.all()
            ],
        }
    )


def service_list_json(s: m.Service) -> dict[str, Any]:
    """A `/services` list item (compiled/service_list.json): single-valued fields."""
    return _clean(
        {
            "id": s.id,
            "organization_id": s.organization_id,
            "name": s.name,
            "alternate_name": s.alternate_name,
            "description": s.description,
            "url": s.url,
            "email": s.email,
            "status": s.status,
            "interpretation_services": s.interpretation_services,
            "application_process": s.application_process,
            "fees_description": s.fees_description,
            "accreditations": s.accreditations,
            "eligibility_description": s.eligibility_description,
            "minimum_age": s.minimum_age,
            "maximum_age": s.maximum_age,
            "assured_date": s.assured_date,
            "alert": s.alert,
            "last_modified": s.last_modified.isoformat(timespec="milliseconds")
            if s.last_modified
            else None,
            "organization": organization_list_json(s.organization),
        },
        keep=("name",),
    )


def service_full_json(s: m.Service, attributes: list[m.Attribute] | None = None) -> dict[str, Any]:
    """`/services/{id}` (compiled/service.json): the service with everything nested."""
    data = service_list_json(s)
    data |= {
        "phones": [phone_json(p) for p in s.phones.all()],
        "schedules": [schedule_json(x) for x in s.schedules.all()],
        "service_areas": [
            _clean(
                {
                    "id": a.id,
                    "service_id": a.service_id,
                    "name": a.name,
                    "description": a.description,
                    "extent": a.extent,
                    "extent_type": a.extent_type,
                    "uri": a.uri,
                }
            )
            for a in s.service_areas.all()
        ],
        "service_at_locations": [
            _clean(
                {
                    "id": sal.id,
                    "service_id": sal.service_id,
                    "location_id": sal.location_id,
                    "description": sal.description,
                    "location": location_json(sal.location),
                }
            )
            for sal in s.service_at_locations.all()
        ],
        "languages": [language_json(x) for x in s.languages.all()],
        "cost_options": [
            _clean(
                {
                    "id": c.id,
                    "service_id": c.service_id,
                    "valid_from": c.valid_from,
                    "valid_to": c.valid_to,
                    "option": c.option,
                    "currency": c.currency,
                    "amount": c.amount,
                    "amount_description": c.amount_description,
                }
            )
            for c in s.cost_options.all()
        ],
        "contacts": [
            _clean(
                {
                    "id": c.id,
                    "service_id": c.service_id,
                    "name": c.name,
                    "title": c.title,
                    "department": c.department,
                    "email": c.email,
                }
            )
            for c in s.contacts.all()
        ],
        "attributes": [attribute_json(a) for a in (attributes or [])],
    }
    return data


def service_at_location_list_json(sal: m.ServiceAtLocation) -> dict[str, Any]:
    """A `/service_at_locations` list item: the link with a location summary and the service."""
    location = _clean(
        {
            "id": sal.location.id,
            "location_type": sal.location.location_type,
            "name": sal.location.name,
            "latitude": sal.location.latitude,
            "longitude": sal.location.longitude,
        }
    )
    return _clean(
        {
            "id": sal.id,
            "service_id": sal.service_id,
            "location_id": sal.location_id,
            "description": sal.description,
            "location": location,
            "service": service_list_json(sal.service),
        }
    )


def service_at_location_full_json(
    sal: m.ServiceAtLocation, attributes: list[m.Attribute] | None = None
) -> dict[str, Any]:
    """`/service_at_locations/{id}` (compiled/service_at_location.json): the link with its
    own phones, schedules and contacts, the full location, and the service."""
    return _clean(
        {
            "id": sal.id,
            "service_id": sal.service_id,
            "location_id": sal.location_id,
            "description": sal.description,
            "contacts": [
                _clean(
                    {
                        "id": c.id,
                        "service_at_location_id": c.service_at_location_id,
                        "name": c.name,
                        "title": c.title,
                        "department": c.department,
                        "email": c.email,
                    }
                )
                for c in sal.contacts.all()
            ],
            "phones": [phone_json(p) for p in sal.phones.all()],
            "schedules": [schedule_json(x) for x in sal.schedules.all()],
            "location": location_json(sal.location),
            "attributes": [attribute_json(a) for a in (attributes or [])],
            "service": service_list_json(sal.service),
        }
    )


def page_json(
    items: list[dict[str, Any]], *, total: int, page: int, per_page: int
) -> dict[str, Any]:
    """An HSDS `Page`, 1-based, always with `empty`."""
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": items,
    }
