"""Reading HSDS 3.0 into the directory: a datapackage (CSV) or JSON (the API's shapes).

    report = import_directory(Path("export/datapackage"))          # raises ImportFailed

Everything is read and checked before anything is written: the HSDS schemas, then Beacon's
rules (values, foreign keys, time zones, phone numbers, ...). Every problem is collected
with its file, row and field; if there is any, `ImportFailed` carries them all and nothing is
written. Otherwise rows are upserted by id in one transaction (created / updated /
unchanged), in batches, and the search index is rebuilt for the services touched. With
`replace=True`, directory rows whose id is not in the input are deleted.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import phonenumbers
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from beacon.directory import models as m
from beacon.directory.hsds_io import (
    DAY_CODES,
    LINK_ENTITIES,
    NON_EMPTY,
    BadValue,
    Column,
    Table,
    check_byday,
    check_number_list,
    from_text,
    insert_rows,
    record_errors,
    record_is_valid,
    tables,
    to_model,
    to_text,
)
from beacon.directory.indexing import reindex_services
from beacon.directory.queries import forget_choices
from beacon.places.queries import country_time_zone, nearest_place

WRITE_BATCH = 2000
LOOKUP_BATCH = 900  # ids per "id IN (...)" query (SQLite's default limit is 999 variables)
JSON_KINDS = {
    "services.json": "service",
    "organizations.json": "organization",
    "locations.json": "location",
    "taxonomies.json": "taxonomy",
    "taxonomy_terms.json": "taxonomy_term",
    "metadata.json": "metadata",
}
# Nested arrays in the JSON form: key -> (table, the child's foreign key to the parent).
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "languages": ("language", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "contacts": ("contact", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
    },
    "organization": {
        "phones": ("phone", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "locations": ("location", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "location": {
        "addresses": ("address", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
        "languages": ("language", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "contacts": ("contact", "location_id"),
    },
    "service_at_location": {
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
        "contacts": ("contact", "service_at_location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
# Nested single objects: key -> (table, this row's foreign key to it).
PARENTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id")},
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}
HAS_ATTRIBUTES = {"service", "organization", "location", "service_at_location"}


class ImportFailed(Exception):
    def __init__(self, errors: list[str], warnings: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was imported")
        self.errors = errors
        self.warnings = warnings


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    reindexed: int = 0

    def lines(self) -> list[str]:
        out = [f"{'table':<22}{'created':>10}{'updated':>10}{'unchanged':>10}{'deleted':>10}"]
        for table in tables().values():
            name = table.name
            counts = [self.created[name], self.updated[name], self.unchanged[name]]
            counts.append(self.deleted[name])
            if any(counts):
                out.append(f"{name:<22}" + "".join(f"{n:>10}" for n in counts))
        return out


@dataclass(slots=True)
class Row:
    table: str
    raw: dict[str, Any]  # JSON-typed values, None and "" left out
    where: str  # "datapackage/phones.csv row 14" or "json/services.json [3].phones[0]"
    from_csv: bool
    values: dict[str, Any] | None = None  # model attname -> value once checked

    def at(self, name: str) -> str:
        if self.from_csv:
            return f"{self.where}: {name}" if name else self.where
        return f"{self.where}.{name}" if name else self.where


class Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self._seen: set[str] = set()
        self.warnings: Counter[str] = Counter()

    def error(self, where: str, message: str) -> None:
        if where not in self._seen:
            self._seen.add(where)
            self.errors.append(f"{where}: {message}")

    def warn(self, message: str, count: int = 1) -> None:
        self.warnings[message] += count

    def warning_lines(self) -> list[str]:
        return [f"{msg} ({n}×)" if n > 1 else msg for msg, n in sorted(self.warnings.items())]


# --------------------------------------------------------------------------- reading


class Collector:
    """Rows by table and id; copies of one record (nested in several places) are merged."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self._by_id: dict[tuple[str, str], Row] = {}

    def add(self, row: Row) -> None:
        key = row.raw.get("id")
        if not isinstance(key, str):
            self.rows[row.table].append(row)  # the missing/bad id is reported by the checks
            return
        first = self._by_id.get((row.table, key.lower()))
        if first is None:
            self._by_id[(row.table, key.lower())] = row
            self.rows[row.table].append(row)
            return
        if row.from_csv:
            self.problems.error(row.at("id"), f"{key} appears twice (first at {first.where})")
            return
        for name, value in row.raw.items():
            if name not in first.raw:
                first.raw[name] = value
            elif first.raw[name] != value:
                self.problems.error(
                    row.at(name),
                    f"{value!r} differs from the copy of this {row.table} at "
                    f"{first.at(name)} ({first.raw[name]!r})",
                )


def read_input(path: Path, problems: Problems) -> Collector:
    collector = Collector(problems)
    if path.is_dir():
        if (path / "datapackage.json").is_file():
            read_datapackage(path, path.name, collector)
        elif any(path.glob("*.json")):
            found = sorted(path.glob("*.json"))
            for file in found:
                kind = JSON_KINDS.get(file.name)
                if kind is None:
                    problems.warn(f"{path.name}/{file.name}: not an HSDS export file, ignored")
                    continue
                read_json(file, f"{path.name}/{file.name}", kind, collector)
        elif (path / "datapackage" / "datapackage.json").is_file() or (path / "json").is_dir():
            problems.error(
                str(path),
                "this folder holds an export; import one form of it: "
                f"{path / 'datapackage'} or {path / 'json'}",
            )
        else:
            problems.error(str(path), "no datapackage.json and no .json files here")
    elif path.is_file():
        if path.name == "datapackage.json":
            read_datapackage(path.parent, path.parent.name, collector)
        elif path.suffix.lower() == ".json":
            read_json(path, path.name, JSON_KINDS.get(path.name, "service"), collector)
        else:
            problems.error(
                str(path), "not a JSON file or a folder with datapackage.json (HSDS datapackage)"
            )
    else:
        problems.error(str(path), "no such file or folder")
    return collector


def _load_json(file: Path, label: str, problems: Problems) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.error(label, "not UTF-8 text")
    except json.JSONDecodeError as exc:
        problems.error(label, f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})")
    return None


def read_datapackage(folder: Path, label: str, collector: Collector) -> None:
    problems = collector.problems
    descriptor = _load_json(folder / "datapackage.json", f"{label}/datapackage.json", problems)
    if descriptor is None:
        return
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        problems.error(f"{label}/datapackage.json", "has no list of resources")
        return
    known = tables()
    for index, resource in enumerate(resources):
        where = f"{label}/datapackage.json resources[{index}]"
        name = resource.get("name") if isinstance(resource, dict) else None
        rel = resource.get("path") if isinstance(resource, dict) else None
        if name not in known:
            problems.error(where, f"{name!r} is not an HSDS table")
            continue
        if not isinstance(rel, str) or rel.startswith("/") or ".." in Path(rel).parts:
            problems.error(where, f"path {rel!r} is not a file name inside the package")
            continue
        file = folder / rel
        if not file.is_file():
            problems.error(f"{label}/{rel}", "listed in datapackage.json but missing")
            continue
        read_csv(file, f"{label}/{rel}", known[name], collector)


def read_csv(file: Path, label: str, table: Table, collector: Collector) -> None:
    problems = collector.problems
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.error(label, "not UTF-8 text")
        return
    reader = csv.reader(text.splitlines(keepends=True) if "\r" in text else text.split("\n"))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        problems.error(label, f"not a CSV file ({exc})")
        return
    if not header:
        problems.error(label, "empty: no header row")
        return
    by_name = {c.name: c for c in table.columns}
    columns: list[Column | None] = []
    ok = True
    for name in header:
        if header.count(name) > 1:
            problems.error(f"{label} header", f"column {name!r} appears twice")
            ok = False
        column = by_name.get(name)
        if column is None and not name.startswith("x_"):
            expected = ", ".join(c.name for c in table.columns)
            problems.error(
                f"{label} header", f"unknown column {name!r} (the {table.name} columns: {expected})"
            )
            ok = False
        elif column is None:
            problems.warn(f"{label}: extension column {name!r} is not Beacon's, ignored")
        columns.append(column)
    for column in table.columns:
        if column.required and column.name not in header:
            problems.error(f"{label} header", f"missing required column {column.name!r}")
            ok = False
    if not ok:
        return
    unstored = table.model is None
    skipped: Counter[str] = Counter()
    count = 0
    try:
        for number, record in enumerate(reader, start=2):
            if not record or record == [""]:
                continue
            where = f"{label} row {number}"
            if len(record) != len(header):
                problems.error(
                    where, f"has {len(record)} cells; the header has {len(header)} columns"
                )
                continue
            count += 1
            if unstored:
                continue
            raw: dict[str, Any] = {}
            row = Row(table.name, raw, where, True)
            for column, cell in zip(columns, record, strict=True):
                if cell == "" or column is None:
                    continue
                if column.field is None:
                    if not column.derived:
                        skipped[column.name] += 1
                    continue
                try:
                    raw[column.name] = from_text(column, cell)
                except BadValue as exc:
                    problems.error(row.at(column.name), str(exc))
            collector.add(row)
    except csv.Error as exc:
        problems.error(label, f"not a CSV file ({exc})")
        return
    if unstored and count:
        problems.warn(f"{label}: {count} row(s) skipped: Beacon does not store {table.name} data")
    for name, n in skipped.items():
        problems.warn(f"{label}: column {name!r} skipped in {n} row(s): Beacon does not store it")


def read_json(file: Path, label: str, kind: str, collector: Collector) -> None:
    problems = collector.problems
    data = _load_json(file, label, problems)
    if data is None:
        return
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]  # an HSDS API page
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        problems.error(label, f"expected an array of {kind} objects")
        return
    schema = f"{kind}.json"
    for index, item in enumerate(items):
        where = f"{label} [{index}]"
        if not isinstance(item, dict):
            problems.error(where, f"not a {kind} object")
            continue
        if not record_is_valid(schema, item):
            for path, message in record_errors(schema, item):
                problems.error(f"{where}.{path}" if path else where, message)
        flatten(kind, item, where, {}, collector)


def flatten(
    table_name: str, obj: dict[str, Any], where: str, links: dict[str, Any], collector: Collector
) -> None:
    """Add `obj` and everything nested in it as rows; `links` are the foreign keys the
    nesting implies (a phone inside a service has that service's id as service_id)."""
    problems = collector.problems
    table = tables()[table_name]
    columns = {c.name: c for c in table.columns}
    raw: dict[str, Any] = {}
    row = Row(table_name, raw, where, False)
    for key, value in obj.items():
        column = columns.get(key)
        if column is None or value is None or isinstance(value, list | dict):
            continue
        if column.field is None:
            if not column.derived:
                problems.warn(f"{table_name}.{key}: skipped, Beacon does not store it")
            continue
        raw[key] = value
    for fk, value in links.items():
        if fk not in raw:
            raw[fk] = value
        elif isinstance(raw[fk], str) and raw[fk].lower() != str(value).lower():
            problems.error(
                row.at(fk), f"{raw[fk]!r} contradicts where the record is nested ({value!r})"
            )
    own_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    for key, (child_table, fk) in CHILDREN.get(table_name, {}).items():
        children = obj.get(key)
        if isinstance(children, list) and children:
            for i, child in enumerate(children):
                if isinstance(child, dict):
                    link = {fk: own_id} if own_id else {}
                    flatten(child_table, child, f"{where}.{key}[{i}]", link, collector)
    for key, (parent_table, fk) in PARENTS.get(table_name, {}).items():
        parent = obj.get(key)
        if isinstance(parent, dict):
            flatten(parent_table, parent, f"{where}.{key}", {}, collector)
            if isinstance(parent.get("id"), str):
                if fk not in raw:
                    raw[fk] = parent["id"]
                elif raw[fk].lower() != parent["id"].lower():
                    problems.error(row.at(fk), f"{raw[fk]!r} is not {key}.id {parent['id']!r}")
    if table_name in HAS_ATTRIBUTES and own_id:
        for i, attr in enumerate(obj.get("attributes") or []):
            if isinstance(attr, dict):
                link = {"link_id": own_id, "link_entity": table_name}
                flatten("attribute", attr, f"{where}.attributes[{i}]", link, collector)
    for key in ("program", "funding", "required_documents", "organization_identifiers"):
        if obj.get(key):
            problems.warn(f"{table_name}.{key}: skipped, Beacon does not store it")
    for key in ("programs", "metadata", "capacities", "additional_urls", "additional_websites"):
        if obj.get(key):
            problems.warn(f"{table_name}.{key}: skipped, Beacon does not store it")
    collector.add(row)


# --------------------------------------------------------------------------- checking


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _check_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise BadValue(f"{value!r} is not an IANA time zone name (like America/Chicago)")


def _check_country(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise BadValue(f"{value!r} is not a two-letter country code (ISO 3166-1, like US)")


def _check_currency(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise BadValue(f"{value!r} is not a three-letter currency code (ISO 4217, like USD)")


def _check_wkst(value: str) -> None:
    if value not in DAY_CODES:
        raise BadValue(f"{value!r} is not one of {', '.join(DAY_CODES)}")


def _check_link_entity(value: str) -> None:
    if value not in LINK_ENTITIES:
        raise BadValue(f"{value!r} is not an HSDS table Beacon stores")


EXTRA_CHECKS: dict[tuple[str, str], Callable[[Any], None]] = {
    ("service", "x_time_zone"): _check_time_zone,
    ("service", "x_country"): _check_country,
    ("address", "country"): _check_country,
    ("cost_option", "currency"): _check_currency,
    ("schedule", "byday"): check_byday,
    ("schedule", "bymonthday"): lambda v: check_number_list(v, 1, 31),
    ("schedule", "byweekno"): lambda v: check_number_list(v, 1, 53),
    ("schedule", "byyearday"): lambda v: check_number_list(v, 1, 366),
    ("schedule", "wkst"): _check_wkst,
    ("attribute", "link_entity"): _check_link_entity,
}
_SHORT_CODE = re.compile(r"^[0-9][0-9 ]{1,7}$")


def phone_problem(number: str, region: str) -> str | None:
    """Why `number` is not a phone number (None when it is one, or a short code like 988)."""
    if _SHORT_CODE.match(number) and 3 <= sum(ch.isdigit() for ch in number) <= 6:
        return None
    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return f"{number!r} is not a phone number"
    if not phonenumbers.is_possible_number(parsed):
        return f"{number!r} is not a phone number (wrong length for {region or 'its country'})"
    return None


def check_rows(collector: Collector) -> None:
    """Schema and per-value rules for every row; sets `row.values` on rows that pass."""
    problems = collector.problems
    for table in tables().values():
        if table.model is None:
            continue
        schema = table.schema_file
        stored = table.stored
        required = [c for c in table.columns if c.required]
        checks = {c.name: EXTRA_CHECKS.get((table.name, c.name)) for c in stored}
        non_empty = {c.name for c in stored if (table.name, c.name) in NON_EMPTY}
        defaults = {c.name: to_model(c, None) for c in stored}
        plan = [(c, c.name, c.attname) for c in stored]
        for row in collector.rows.get(table.name, []):
            raw = row.raw
            bad: set[str] = set()
            if row.from_csv:
                for column in required:
                    if column.name not in raw:
                        problems.error(row.at(column.name), "is required")
                        bad.add(column.name)
                if not record_is_valid(schema, raw):
                    for path, message in record_errors(schema, raw):
                        if not path and message.endswith("is a required property"):
                            continue  # reported above, with the column's name
                        if path not in bad:
                            problems.error(row.at(path), message)
                            bad.add(path.split(".")[0].split("[")[0])
            values: dict[str, Any] = {}
            for column, name, attname in plan:
                value = raw.get(name)
                if value is None:
                    values[attname] = defaults[name]
                    if name in non_empty and name not in bad and row.from_csv:
                        problems.error(row.at(name), "is empty")
                    continue
                if name in bad:
                    continue
                try:
                    converted = to_model(column, value)
                    check = checks[name]
                    if check is not None and converted not in ("", None):
                        check(converted)
                except BadValue as exc:
                    problems.error(row.at(name), str(exc))
                    continue
                if name in non_empty and converted == "":
                    problems.error(row.at(name), "is empty")
                values[attname] = converted
            row.values = values  # partial when a value was refused (then nothing is written)


def _existing_ids(model: type, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    wanted = list(ids)
    for i in range(0, len(wanted), LOOKUP_BATCH):
        chunk = wanted[i : i + LOOKUP_BATCH]
        found.update(model.objects.filter(id__in=chunk).values_list("id", flat=True))
    return found


def check_links(collector: Collector, *, replace: bool) -> None:
    """Foreign keys resolve (to the input, or to the directory unless replacing), the
    service/location pairs are unique, and phone numbers parse in their service's country."""
    problems = collector.problems
    all_tables = tables()
    ids: dict[str, set[uuid.UUID]] = {
        name: {r.values["id"] for r in rows if r.values and r.values.get("id")}
        for name, rows in collector.rows.items()
    }
    pending: list[tuple[Row, str, str, uuid.UUID]] = []  # row, column, target, id
    for name, rows in collector.rows.items():
        table = all_tables[name]
        fks = [(c.name, c.attname, c.target) for c in table.fks]
        for row in rows:
            if row.values is None:
                continue
            for column, attname, target in fks:
                value = row.values.get(attname)
                if value is not None and value not in ids.get(target, ()):  # type: ignore[arg-type]
                    pending.append((row, column, target, value))  # type: ignore[arg-type]
            if name == "attribute" and row.values.get("link_entity") in LINK_ENTITIES:
                target, link_id = row.values["link_entity"], row.values.get("link_id")
                if link_id is not None and link_id not in ids.get(target, ()):
                    pending.append((row, "link_id", target, link_id))
    in_db: dict[str, set[uuid.UUID]] = defaultdict(set)
    if not replace:
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for _, _, target, value in pending:
            wanted[target].add(value)
        for target, values in wanted.items():
            in_db[target] = _existing_ids(all_tables[target].model, values)
    where_to = "in the input" if replace else "in the input or the directory"
    for row, column, target, value in pending:
        if value not in in_db[target]:
            problems.error(row.at(column), f"no {target} with id {value} {where_to}")
    _check_unique_pairs(collector, replace=replace)
    _check_phones(collector)


def _check_unique_pairs(collector: Collector, *, replace: bool) -> None:
    problems = collector.problems
    seen: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, str]] = {}
    rows = [r for r in collector.rows.get("service_at_location", []) if r.values]
    for row in rows:
        pair = (row.values.get("service_id"), row.values.get("location_id"))  # type: ignore[union-attr]
        if None in pair or not row.values.get("id"):  # type: ignore[union-attr]
            continue
        if pair in seen:
            problems.error(
                row.at("location_id"),
                f"this service is already linked to this location at {seen[pair][1]}",
            )
        else:
            seen[pair] = (row.values["id"], row.where)  # type: ignore[index]
    if replace or not seen or not m.ServiceAtLocation.objects.exists():
        return
    services = list({pair[0] for pair in seen})
    for i in range(0, len(services), LOOKUP_BATCH):
        existing = m.ServiceAtLocation.objects.filter(
            service_id__in=services[i : i + LOOKUP_BATCH]
        ).values_list("id", "service_id", "location_id")
        for sal_id, service_id, location_id in existing:
            mine = seen.get((service_id, location_id))
            if mine and mine[0] != sal_id:
                problems.error(
                    f"{mine[1]}: location_id",
                    f"the directory already links this service to this location "
                    f"(service_at_location {sal_id})",
                )


def _check_phones(collector: Collector) -> None:
    default = settings.BEACON_DEFAULT_COUNTRY
    country = {
        r.values["id"]: r.values["country"]
        for r in collector.rows.get("service", [])
        if r.values and r.values.get("id") and r.values.get("country")
    }
    phones = [r for r in collector.rows.get("phone", []) if r.values and r.values.get("number")]
    missing = {
        r.values.get("service_id")  # type: ignore[union-attr]
        for r in phones
        if r.values.get("service_id") and r.values["service_id"] not in country  # type: ignore[union-attr,index]
    }
    if missing:
        wanted = list(missing)
        for i in range(0, len(wanted), LOOKUP_BATCH):
            country.update(
                m.Service.objects.filter(id__in=wanted[i : i + LOOKUP_BATCH])
                .exclude(country="")
                .values_list("id", "country")
            )
    for row in phones:
        values = row.values
        region = country.get(values.get("service_id"), default)  # type: ignore[union-attr]
        problem = phone_problem(values["number"], region)  # type: ignore[index]
        if problem:
            collector.problems.error(row.at("number"), problem)


# --------------------------------------------------------------------------- time zones


def infer_time_zones(collector: Collector) -> None:
    """Give services without `x_time_zone` the time zone of the gazetteer place nearest to
    one of their locations (in the input or the directory), so "open now" runs in local
    time; a row warning says so. Without a located place, the zone of the largest town of
    the service's `x_country`, again with a warning; failing that, a warning that its hours
    are read as UTC."""
    problems = collector.problems
    services = [
        r for r in collector.rows.get("service", []) if r.values and not r.values.get("time_zone")
    ]
    if not services:
        return
    wanted = {r.values["id"] for r in services}  # type: ignore[index]
    located: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for row in collector.rows.get("service_at_location", []):
        values = row.values or {}
        if values.get("service_id") in wanted and values.get("location_id"):
            located[values["service_id"]].append(values["location_id"])
    points: dict[uuid.UUID, tuple[float, float]] = {}
    for row in collector.rows.get("location", []):
        values = row.values or {}
        if values.get("latitude") is not None and values.get("longitude") is not None:
            points[values["id"]] = (values["latitude"], values["longitude"])
    missing = {loc for locs in located.values() for loc in locs if loc not in points}
    for chunk in _chunked(missing):
        for pk, lat, lon in m.Location.objects.filter(
            id__in=chunk, latitude__isnull=False, longitude__isnull=False
        ).values_list("id", "latitude", "longitude"):
            points[pk] = (lat, lon)
    zones: dict[tuple[float, float], str] = {}
    for row in services:
        values = row.values
        assert values is not None
        zone = ""
        for loc in sorted(located.get(values["id"], ()), key=str):
            if loc in points:
                key = (round(points[loc][0], 2), round(points[loc][1], 2))
                if key not in zones:
                    place = nearest_place(*points[loc])
                    zones[key] = place.time_zone if place else ""
                zone = zones[key]
                if zone:
                    break
        where = row.at("x_time_zone")
        if zone:
            values["time_zone"] = zone
            problems.warn(f"{where}: empty; {zone} from the place nearest its location")
        elif values.get("country") and (zone := country_time_zone(values["country"])):
            values["time_zone"] = zone
            problems.warn(f"{where}: empty; {zone}, the main time zone of {values['country']}")
        else:
            problems.warn(
                f"{where}: empty and no located place or country to take it from: "
                "its hours are read as UTC until a curator sets it"
            )


# --------------------------------------------------------------------------- writing


def _write_table(table: Table, rows: list[Row], report: ImportReport, now: Any) -> set:
    """Upsert rows; return the ids created or updated."""
    model = table.model
    assert model is not None
    stored = table.stored
    attnames = [c.attname for c in stored]
    keep_if_blank = {c.attname for c in stored if c.withheld}
    if table.name == "service":
        keep_if_blank.add("last_modified")
    existing: dict[uuid.UUID, dict[str, Any]] = {}
    if model.objects.exists():
        ids = [r.values["id"] for r in rows]  # type: ignore[index]
        for i in range(0, len(ids), LOOKUP_BATCH):
            for values in model.objects.filter(id__in=ids[i : i + LOOKUP_BATCH]).values(*attnames):
                existing[values["id"]] = values
    creates, updates, touched = [], [], set()
    for row in rows:
        values = row.values
        assert values is not None
        old = existing.get(values["id"])
        if old is None:
            if "last_modified" in keep_if_blank and values.get("last_modified") is None:
                values["last_modified"] = now
            creates.append(values)
            touched.add(values["id"])
            continue
        changed = False
        for name in attnames:
            if name in keep_if_blank and row.raw.get(name) is None:
                values[name] = old[name]
            elif to_text(values[name]) != to_text(old[name]):
                changed = True
        if not changed:
            report.unchanged[table.name] += 1
            continue
        if table.name == "service" and row.raw.get("last_modified") is None:
            values["last_modified"] = now
        updates.append(model(**values))
        touched.add(values["id"])
    if creates:
        insert_rows(model, creates, batch=WRITE_BATCH)
    if updates:
        fields = [a for a in attnames if a != "id"]
        model.objects.bulk_update(updates, fields, batch_size=500)
    if creates:
        report.created[table.name] += len(creates)
    if updates:
        report.updated[table.name] += len(updates)
    return touched


def _delete_absent(collector: Collector, report: ImportReport) -> None:
    for table in reversed([t for t in tables().values() if t.model is not None]):
        keep = {r.values["id"] for r in collector.rows.get(table.name, []) if r.values}
        model = table.model
        doomed = [i for i in model.objects.values_list("id", flat=True) if i not in keep]  # type: ignore[union-attr]
        for i in range(0, len(doomed), LOOKUP_BATCH):
            chunk = doomed[i : i + LOOKUP_BATCH]
            model.objects.filter(id__in=chunk).delete()  # type: ignore[union-attr]
            report.deleted[table.name] += len(chunk)


def _services_touched(touched: dict[str, set]) -> set[uuid.UUID]:
    """Services whose search-index rows may have changed."""
    services = set(touched.get("service", ()))
    for table in ("phone", "schedule", "language", "service_at_location", "cost_option"):
        for row_ids in _chunked(touched.get(table, set())):
            model = tables()[table].model
            services.update(
                model.objects.filter(id__in=row_ids, service_id__isnull=False).values_list(  # type: ignore[union-attr]
                    "service_id", flat=True
                )
            )
    for row_ids in _chunked(touched.get("attribute", set())):
        services.update(
            m.Attribute.objects.filter(id__in=row_ids, link_entity="service").values_list(
                "link_id", flat=True
            )
        )
    locations = set(touched.get("location", ()))
    for row_ids in _chunked(touched.get("address", set())):
        locations.update(
            m.Address.objects.filter(id__in=row_ids).values_list("location_id", flat=True)
        )
    for row_ids in _chunked(locations):
        services.update(
            m.ServiceAtLocation.objects.filter(location_id__in=row_ids).values_list(
                "service_id", flat=True
            )
        )
    for row_ids in _chunked(touched.get("organization", set())):
        services.update(
            m.Service.objects.filter(organization_id__in=row_ids).values_list("id", flat=True)
        )
    return services


def _chunked(ids: set) -> Iterator[list]:
    items = list(ids)
    for i in range(0, len(items), LOOKUP_BATCH):
        yield items[i : i + LOOKUP_BATCH]


def import_directory(path: Path, *, replace: bool = False, index: bool = True) -> ImportReport:
    """Check everything in `path`, then upsert it in one transaction (see module doc)."""
    problems = Problems()
    collector = read_input(Path(path), problems)
    check_rows(collector)
    check_links(collector, replace=replace)
    if problems.errors:
        raise ImportFailed(problems.errors, problems.warning_lines())
    infer_time_zones(collector)
    report = ImportReport(warnings=problems.warning_lines())
    now = timezone.now()
    touched: dict[str, set] = {}
    try:
        with transaction.atomic():
            for table in tables().values():
                rows = collector.rows.get(table.name, [])
                if table.model is not None and rows:
                    touched[table.name] = _write_table(table, rows, report, now)
            if replace:
                _delete_absent(collector, report)
            if not index:
                pass
            elif replace and sum(report.deleted.values()):
                report.reindexed = reindex_services()
            else:
                services = _services_touched(touched)
                if services:
                    report.reindexed = reindex_services(services)
    except DatabaseError as exc:  # a rule the checks above missed: nothing is kept
        raise ImportFailed([f"the database refused the import: {exc}"], report.warnings) from exc
    forget_choices()  # bulk writes send no signals: new terms and languages show at once
    return report
