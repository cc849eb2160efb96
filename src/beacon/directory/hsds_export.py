"""Writing the directory as HSDS 3.0: JSON (the API's shapes) and the tabular datapackage.

    export_directory(Path("out"))   # out/json/*.json and out/datapackage/*.csv + datapackage.json

Output is deterministic (rows and nested arrays ordered by id, phones by their curated
position; one text form per value; no timestamps of the export itself), so exporting,
importing into an empty database and exporting again gives identical bytes. The layout is
described in docs/developer/directory-import-export.md.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet

from beacon.directory import hsds
from beacon.directory import models as m
from beacon.directory.hsds_io import (
    EXTENSIONS,
    Table,
    datapackage,
    tables,
    to_json,
    to_text,
)

BATCH = 1000
JSON_FILES = (
    "taxonomies.json",
    "taxonomy_terms.json",
    "organizations.json",
    "services.json",
    "locations.json",
    "metadata.json",
)


# --------------------------------------------------------------------------- datapackage


def _csv_rows(table: Table) -> Iterator[list[str]]:
    if table.model is None:
        return
    stored = [c for c in table.columns if c.field is not None and not c.derived]
    attnames = [c.attname for c in stored]
    taxonomy_names: dict[uuid.UUID, str] = {}
    if table.name == "taxonomy_term":
        taxonomy_names = dict(m.Taxonomy.objects.values_list("id", "name"))
    qs = table.model.objects.order_by("id").values_list(*attnames)
    for values in qs.iterator(chunk_size=5000):
        by_name = dict(zip((c.name for c in stored), values, strict=True))
        row = []
        for column in table.columns:
            if column.derived:  # taxonomy_term.taxonomy: the taxonomy's name
                row.append(taxonomy_names.get(by_name["taxonomy_id"], ""))
            elif column.field is None or column.withheld:
                row.append("")
            else:
                row.append(to_text(by_name[column.name]))
        yield row


def descriptor() -> dict[str, Any]:
    """Our datapackage.json: the HSDS descriptor, plus Beacon's extension columns."""
    spec = datapackage()
    resources = []
    for table in tables().values():
        resource = json.loads(json.dumps(table.descriptor))
        for column in table.columns:
            if column.extension:
                resource["schema"]["fields"].append(
                    {
                        "name": column.name,
                        "type": column.dp_type,
                        "title": column.field.verbose_name.capitalize(),  # type: ignore[union-attr]
                        "description": "Beacon extension (not part of HSDS): "
                        + (column.field.help_text or column.field.verbose_name),  # type: ignore[union-attr]
                        "constraints": {"required": False, "unique": False},
                    }
                )
        resources.append(resource)
    order = {r["name"]: i for i, r in enumerate(spec["resources"])}
    resources.sort(key=lambda r: order[r["name"]])
    return {
        "name": "beacon_directory",
        "title": "Beacon resource directory (HSDS 3.0)",
        "description": "A Beacon directory exported in the HSDS 3.0 tabular form. Columns "
        "starting with x_ are Beacon extensions. " + spec["description"],
        "profile": spec["profile"],
        "version": spec["version"],
        "homepage": spec["homepage"],
        "resources": resources,
    }


def export_datapackage(out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in tables().values():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in table.columns])
        count = 0
        for row in _csv_rows(table):
            writer.writerow(row)
            count += 1
        (out / table.path).write_text(buffer.getvalue(), encoding="utf-8")
        counts[table.path] = count
    _write_json(out / "datapackage.json", descriptor(), indent=2)
    return counts


# --------------------------------------------------------------------------- JSON


def _ext(table: str, obj: Any) -> dict[str, Any]:
    out = {}
    for key, attname in EXTENSIONS.get(table, {}).items():
        value = to_json(getattr(obj, attname))
        if value is not None:
            out[key] = value
    return out


def _phone(p: m.Phone) -> dict[str, Any]:
    return hsds.phone_json(p) | _ext("phone", p)


def _schedule(s: m.Schedule) -> dict[str, Any]:
    return hsds.schedule_json(s) | _ext("schedule", s)


def _contact(c: m.Contact) -> dict[str, Any]:
    data = hsds._clean(
        {
            "id": c.id,
            "organization_id": c.organization_id,
            "service_id": c.service_id,
            "service_at_location_id": c.service_at_location_id,
            "location_id": c.location_id,
            "name": c.name,
            "title": c.title,
            "department": c.department,
            "email": c.email,
        }
    )
    data["phones"] = [_phone(p) for p in c.phones.all()]
    return data


def _location(loc: m.Location, attrs: dict[uuid.UUID, list[m.Attribute]]) -> dict[str, Any]:
    data = hsds.location_json(loc)
    data["phones"] = [_phone(p) for p in loc.phones.all()]
    data["schedules"] = [_schedule(s) for s in loc.schedules.all()]
    data["contacts"] = [_contact(c) for c in loc.contacts.all()]
    data["attributes"] = [hsds.attribute_json(a) for a in attrs.get(loc.id, [])]
    return data


def _ordered(model: type, *related: Any) -> QuerySet:
    """Rows by id (phones in their curated order), so nested arrays are stable."""
    order = ("position", "number", "id") if model is m.Phone else ("id",)
    return model.objects.order_by(*order).prefetch_related(*related)


def _phones() -> QuerySet:
    return _ordered(m.Phone, Prefetch("languages", _ordered(m.Language)))


def _contacts() -> QuerySet:
    return _ordered(m.Contact, Prefetch("phones", _phones()))


def _location_prefetches(prefix: str = "") -> list[Prefetch]:
    return [
        Prefetch(prefix + "languages", _ordered(m.Language)),
        Prefetch(prefix + "addresses", _ordered(m.Address)),
        Prefetch(prefix + "phones", _phones()),
        Prefetch(prefix + "schedules", _ordered(m.Schedule)),
        Prefetch(prefix + "accessibility", _ordered(m.Accessibility)),
        Prefetch(prefix + "contacts", _contacts()),
    ]


def _attributes(ids: list[uuid.UUID], entity: str) -> dict[uuid.UUID, list[m.Attribute]]:
    grouped: dict[uuid.UUID, list[m.Attribute]] = defaultdict(list)
    for attr in (
        m.Attribute.objects.filter(link_entity=entity, link_id__in=ids)
        .select_related("taxonomy_term__taxonomy")
        .order_by("link_type", "taxonomy_term__code", "id")
    ):
        grouped[attr.link_id].append(attr)
    return grouped


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def services_json(ids: list[uuid.UUID]) -> Iterator[dict[str, Any]]:
    """Full services as `/services/{id}` gives them, plus what the API leaves out (Beacon's
    x_ fields, site-specific phones/schedules/contacts, contacts' phones, location
    contacts and attributes), in the order of `ids`."""
    for chunk in _chunks(ids):
        services = (
            m.Service.objects.filter(id__in=chunk)
            .select_related("organization")
            .prefetch_related(
                Prefetch("phones", _phones()),
                Prefetch("schedules", _ordered(m.Schedule)),
                Prefetch("service_areas", _ordered(m.ServiceArea)),
                Prefetch("languages", _ordered(m.Language)),
                Prefetch("cost_options", _ordered(m.CostOption)),
                Prefetch("contacts", _contacts()),
                Prefetch(
                    "service_at_locations",
                    _ordered(m.ServiceAtLocation)
                    .select_related("location")
                    .prefetch_related(
                        Prefetch("phones", _phones()),
                        Prefetch("schedules", _ordered(m.Schedule)),
                        Prefetch("contacts", _contacts()),
                        *_location_prefetches("location__"),
                    ),
                ),
            )
        )
        by_id = {s.id: s for s in services}
        attrs = _attributes(chunk, "service")
        sals = [sal for s in by_id.values() for sal in s.service_at_locations.all()]
        sal_attrs = _attributes([sal.id for sal in sals], "service_at_location")
        loc_attrs = _attributes([sal.location_id for sal in sals], "location")
        for service_id in chunk:
            service = by_id[service_id]
            data = hsds.service_full_json(service, attrs.get(service_id, []))
            data["phones"] = [_phone(p) for p in service.phones.all()]
            data["schedules"] = [_schedule(s) for s in service.schedules.all()]
            data["contacts"] = [_contact(c) for c in service.contacts.all()]
            api_sals = data["service_at_locations"]
            for sal_data, sal in zip(api_sals, service.service_at_locations.all(), strict=True):
                sal_data["location"] = _location(sal.location, loc_attrs)
                sal_data["phones"] = [_phone(p) for p in sal.phones.all()]
                sal_data["schedules"] = [_schedule(s) for s in sal.schedules.all()]
                sal_data["contacts"] = [_contact(c) for c in sal.contacts.all()]
                sal_data["attributes"] = [hsds.attribute_json(a) for a in sal_attrs[sal.id]]
            data |= _ext("service", service)
            yield data


def organizations_json(ids: list[uuid.UUID]) -> Iterator[dict[str, Any]]:
    """Organizations (list fields) with their own phones, contacts and attributes."""
    for chunk in _chunks(ids):
        orgs = m.Organization.objects.filter(id__in=chunk).prefetch_related(
            Prefetch("phones", _phones()), Prefetch("contacts", _contacts())
        )
        by_id = {o.id: o for o in orgs}
        attrs = _attributes(chunk, "organization")
        for org_id in chunk:
            org = by_id[org_id]
            data = hsds.organization_list_json(org)
            data["phones"] = [_phone(p) for p in org.phones.all()]
            data["contacts"] = [_contact(c) for c in org.contacts.all()]
            data["attributes"] = [hsds.attribute_json(a) for a in attrs.get(org_id, [])]
            yield data


def locations_json(ids: list[uuid.UUID]) -> Iterator[dict[str, Any]]:
    for chunk in _chunks(ids):
        locations = m.Location.objects.filter(id__in=chunk).prefetch_related(
            *_location_prefetches()
        )
        by_id = {loc.id: loc for loc in locations}
        attrs = _attributes(chunk, "location")
        for loc_id in chunk:
            yield _location(by_id[loc_id], attrs)


def _ids(qs: QuerySet) -> list[uuid.UUID]:
    return list(qs.order_by("id").values_list("id", flat=True))


def export_json(out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Iterable[dict[str, Any]]] = {
        "taxonomies.json": (hsds.taxonomy_json(t) for t in m.Taxonomy.objects.order_by("id")),
        "taxonomy_terms.json": (
            hsds.taxonomy_term_json(t)
            for t in m.TaxonomyTerm.objects.select_related("taxonomy").order_by("id")
        ),
        "organizations.json": organizations_json(_ids(m.Organization.objects.all())),
        "services.json": services_json(_ids(m.Service.objects.all())),
        # Locations no service is offered at (the others are inside services.json).
        "locations.json": locations_json(
            _ids(m.Location.objects.filter(service_at_locations__isnull=True))
        ),
        "metadata.json": (_metadata(x) for x in m.Metadata.objects.order_by("id")),
    }
    return {name: _write_array(out / name, items) for name, items in sources.items()}


_METADATA_KEYS = (
    "id",
    "resource_id",
    "resource_type",
    "last_action_date",
    "last_action_type",
    "field_name",
    "previous_value",
    "replacement_value",
    "updated_by",
)


def _metadata(x: m.Metadata) -> dict[str, Any]:
    data = {}
    for key in _METADATA_KEYS:
        value = to_json(getattr(x, key))
        if value is None and key in ("previous_value", "replacement_value"):
            value = ""  # required by HSDS even when there was no value
        if value is not None:
            data[key] = value
    return data


def dumps(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def _write_array(path: Path, items: Iterable[dict[str, Any]]) -> int:
    """A JSON array with one record per line (diffable, streamable), newline at the end."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for item in items:
            fh.write(("\n" if count == 0 else ",\n") + dumps(item))
            count += 1
        fh.write("\n]\n" if count else "]\n")
    return count


def _write_json(path: Path, data: Any, indent: int | None = None) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def export_directory(out: Path, *, forms: Iterable[str] = ("json", "datapackage")) -> dict:
    """Write the chosen forms under `out` (json/ and datapackage/); return row counts."""
    counts: dict[str, dict[str, int]] = {}
    if "json" in forms:
        counts["json"] = export_json(out / "json")
    if "datapackage" in forms:
        counts["datapackage"] = export_datapackage(out / "datapackage")
    return counts
