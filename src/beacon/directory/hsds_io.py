"""What the HSDS 3.0 importer and exporter share: tables, columns, value formats, schemas.

Every HSDS table Beacon stores maps to one model (`TABLES`, in the order rows can be written
so foreign keys point backwards). A table's columns are the HSDS datapackage's columns, in
its order, followed by Beacon's extension columns (`x_…`, HSDS allows extra properties).
Values have one canonical text form (`to_text`), used for the CSV files and to decide whether
an imported row changed anything; the JSON form uses `to_json`.

Schema validation uses the per-object HSDS schemas shipped in `data/hsds-3.0/schema/`.
`record_errors()` is exact `jsonschema` (Draft 2020-12) output; `record_is_valid()` is a
compiled checker of the same schemas for the fast path (the importer validates a million
rows), which supports exactly the keywords the HSDS schemas use and refuses to compile any
other, so it cannot silently skip a rule. A test checks that both agree.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils.dateparse import parse_datetime

from beacon.directory import models as m

SPEC_DIR = Path(__file__).resolve().parent / "data" / "hsds-3.0"
SCHEMA_DIR = SPEC_DIR / "schema"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

# HSDS table -> model, in write order (a row's foreign keys point at earlier tables, except
# self-references, which the database checks at commit).
TABLE_MODELS: dict[str, type[models.Model]] = {
    "taxonomy": m.Taxonomy,
    "taxonomy_term": m.TaxonomyTerm,
    "organization": m.Organization,
    "service": m.Service,
    "location": m.Location,
    "service_at_location": m.ServiceAtLocation,
    "contact": m.Contact,
    "phone": m.Phone,
    "address": m.Address,
    "schedule": m.Schedule,
    "service_area": m.ServiceArea,
    "language": m.Language,
    "accessibility": m.Accessibility,
    "cost_option": m.CostOption,
    "attribute": m.Attribute,
    "metadata": m.Metadata,
}
TABLE_OF_MODEL = {model: name for name, model in TABLE_MODELS.items()}
# HSDS tables Beacon has no model for: exported empty, skipped (with a warning) on import.
UNSTORED_TABLES = (
    "program",
    "funding",
    "required_document",
    "organization_identifier",
    "meta_table_description",
)
# Beacon's additions to HSDS objects, as extension columns/properties.
EXTENSIONS: dict[str, dict[str, str]] = {
    "service": {
        "x_time_zone": "time_zone",
        "x_country": "country",
        "x_is_national": "is_national",
        "x_chat_url": "chat_url",
    },
    "phone": {"x_text_keyword": "text_keyword", "x_app": "app", "x_position": "position"},
    "schedule": {"x_channel": "channel", "x_closed": "closed"},
}
# Imported but never exported (a curator's email address is not published); a blank value
# on import keeps what the database has.
WITHHELD = {("service", "assurer_email")}
# Exported for readers, ignored on import: the term's taxonomy name comes from taxonomy_id.
DERIVED = {("taxonomy_term", "taxonomy")}
# Model fields that are Beacon's own bookkeeping, not directory content.
INTERNAL_FIELDS: dict[str, set[str]] = {}
# Required by HSDS *and* meaningless when empty (HSDS only requires the key to be present).
NON_EMPTY = {
    ("taxonomy", "name"),
    ("taxonomy_term", "name"),
    ("organization", "name"),
    ("service", "name"),
    ("phone", "number"),
    ("address", "address_1"),
    ("address", "city"),
    ("address", "country"),
    ("metadata", "resource_type"),
}
# Where an attribute's `link_entity` may point.
LINK_ENTITIES = {name for name in TABLE_MODELS if name not in ("attribute", "metadata")}

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_TIME_WITH_OFFSET = re.compile(r"^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$")
_INT_TEXT = re.compile(r"^[+-]?\d+$")
# 8-4-4-4-12 hex digits: always a valid "uuid" for jsonschema (anything else is asked of it).
_CANONICAL_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
_validate_email = EmailValidator()
_validate_url = URLValidator(schemes=["http", "https"])


class BadValue(ValueError):
    """A value that breaks a rule; the message names the value, not the field."""


@dataclass(frozen=True)
class Column:
    name: str  # CSV column and JSON key
    dp_type: str  # datapackage type: string, number, date, datetime, time, boolean
    field: models.Field | None  # the model field; None when Beacon doesn't store it
    kind: str = ""  # how values are read and written (see `to_model`)
    target: str | None = None  # foreign-key target table
    required: bool = False  # required in the tabular form
    extension: bool = False
    derived: bool = False
    withheld: bool = False

    @property
    def attname(self) -> str:
        assert self.field is not None
        return self.field.attname


@dataclass
class Table:
    name: str
    path: str  # CSV file name in the datapackage
    model: type[models.Model] | None
    columns: list[Column]
    schema_file: str
    descriptor: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def stored(self) -> list[Column]:
        return [c for c in self.columns if c.field is not None and not c.derived]

    @property
    def fks(self) -> list[Column]:
        return [c for c in self.stored if c.target]


def _kind(f: models.Field) -> str:
    if isinstance(f, models.ForeignKey):
        return "fk"
    for cls, kind in (
        (models.UUIDField, "uuid"),
        (models.BooleanField, "bool"),
        (models.PositiveSmallIntegerField, "int"),
        (models.PositiveIntegerField, "int"),
        (models.IntegerField, "int"),
        (models.FloatField, "float"),
        (models.DecimalField, "decimal"),
        (models.DateTimeField, "datetime"),
        (models.DateField, "date"),
        (models.TimeField, "time"),
        (models.EmailField, "email"),
        (models.URLField, "url"),
        (models.CharField, "str"),
        (models.TextField, "text"),
    ):
        if isinstance(f, cls):
            return kind
    raise TypeError(f"No HSDS value kind for {f!r}")


@cache
def datapackage() -> dict[str, Any]:
    return json.loads((SPEC_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def tables() -> dict[str, Table]:
    """Every HSDS table (stored ones first, in write order, then the unstored ones)."""
    resources = {r["name"]: r for r in datapackage()["resources"]}
    out: dict[str, Table] = {}
    for name in [*TABLE_MODELS, *UNSTORED_TABLES]:
        resource = resources[name]
        model = TABLE_MODELS.get(name)
        by_attname = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        columns = []
        for spec in resource["schema"]["fields"]:
            f = by_attname.get(spec["name"])
            kind = _kind(f) if f else ""
            columns.append(
                Column(
                    name=spec["name"],
                    dp_type=spec["type"],
                    field=f,
                    kind=kind,
                    target=TABLE_OF_MODEL[f.related_model] if kind == "fk" else None,
                    required=bool(spec.get("constraints", {}).get("required")),
                    derived=(name, spec["name"]) in DERIVED,
                    withheld=(name, spec["name"]) in WITHHELD,
                )
            )
        for ext, attname in EXTENSIONS.get(name, {}).items():
            f = by_attname[attname]
            kind = _kind(f)
            dp_type = {"bool": "boolean", "int": "integer", "float": "number"}.get(kind, "string")
            columns.append(Column(ext, dp_type, f, kind, extension=True))
        out[name] = Table(name, resource["path"], model, columns, f"{name}.json", resource)
    return out


def stored_tables() -> list[Table]:
    return [t for t in tables().values() if t.model is not None]


# --------------------------------------------------------------------------- values


def to_text(value: Any) -> str:
    """The canonical text of a model value (CSV cells; change detection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return repr(float(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date | uuid.UUID | int):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise TypeError(f"Unexpected value {value!r}")


def to_json(value: Any) -> Any:
    """A model value as a JSON value (None for "leave the key out")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return to_text(value)


def from_text(column: Column, text: str) -> Any:
    """A CSV cell as the JSON value the HSDS schemas describe ("" -> None)."""
    if text == "":
        return None
    if column.dp_type in ("number", "integer"):
        if _INT_TEXT.match(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            raise BadValue(f"{text!r} is not a number") from None
        if not math.isfinite(number):
            raise BadValue(f"{text!r} is not a number")
        return number
    if column.dp_type == "boolean":
        lowered = text.lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise BadValue(f"{text!r} is not true or false")
    return text


@cache
def _choices(f: models.Field) -> frozenset[str]:
    return frozenset(c[0] for c in f.choices)  # type: ignore[union-attr]


def to_model(column: Column, value: Any) -> Any:
    """A JSON value as the model value, checked against Beacon's rules (raises BadValue)."""
    f = column.field
    assert f is not None
    kind = column.kind
    if value is None or value == "":
        if kind in ("str", "text", "email", "url"):
            return ""
        if f.has_default():
            return f.get_default()
        return None
    if kind in ("str", "text", "email", "url"):
        if not isinstance(value, str):
            raise BadValue(f"{value!r} is not text")
        if f.max_length and len(value) > f.max_length:
            raise BadValue(f"is longer than {f.max_length} characters")
        if f.choices and value not in _choices(f):
            allowed = ", ".join(repr(c[0]) for c in f.choices)
            raise BadValue(f"{value!r} is not one of {allowed}")
        if kind == "email":
            try:
                _validate_email(value)
            except ValidationError:
                raise BadValue(f"{value!r} is not an email address") from None
        elif kind == "url":
            try:
                _validate_url(value)
            except ValidationError:
                raise BadValue(f"{value!r} is not a web address (http:// or https://)") from None
        return value
    if kind in ("uuid", "fk"):
        if not isinstance(value, str):
            raise BadValue(f"{value!r} is not a UUID")
        try:
            return uuid.UUID(value)
        except ValueError:
            raise BadValue(f"{value!r} is not a UUID") from None
    if kind == "bool":
        if not isinstance(value, bool):
            raise BadValue(f"{value!r} is not true or false")
        return value
    if kind in ("int", "float", "decimal") and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        raise BadValue(f"{value!r} is not a number")
    if kind == "int":
        if isinstance(value, float):
            if not value.is_integer():
                raise BadValue(f"{value!r} is not a whole number")
            value = int(value)
        if value < 0:
            raise BadValue(f"{value!r} is below 0")
        limit = 32767 if isinstance(f, models.PositiveSmallIntegerField) else 2147483647
        if value > limit:
            raise BadValue(f"{value!r} is above {limit}")
        return value
    if kind == "float":
        number = float(value)
        if not math.isfinite(number):
            raise BadValue(f"{value!r} is not a number")
        if f.name == "latitude" and not -90 <= number <= 90:
            raise BadValue(f"{value!r} is not a latitude (-90 to 90)")
        if f.name == "longitude" and not -180 <= number <= 180:
            raise BadValue(f"{value!r} is not a longitude (-180 to 180)")
        return number
    if kind == "decimal":
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            raise BadValue(f"{value!r} is not a number") from None
        quantum = Decimal(1).scaleb(-f.decimal_places)
        if amount != amount.quantize(quantum):
            raise BadValue(f"{value!r} has more than {f.decimal_places} decimal places")
        if abs(amount) >= Decimal(10) ** (f.max_digits - f.decimal_places):
            raise BadValue(f"{value!r} is too large")
        return amount.quantize(quantum)
    if not isinstance(value, str):
        raise BadValue(f"{value!r} is not text")
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise BadValue(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if kind == "datetime":
        parsed = None
        try:
            parsed = parse_datetime(value)
            if parsed is None and _DATE.match(value):
                parsed = datetime.combine(date.fromisoformat(value), time())
        except ValueError:
            parsed = None
        if parsed is None:
            raise BadValue(f"{value!r} is not a date and time (ISO 8601)")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if kind == "time":
        match = _TIME.match(value)
        if not match:
            if _TIME_WITH_OFFSET.match(value):
                raise BadValue(
                    f"{value!r} has a UTC offset; Beacon reads hours as local time in the "
                    "service's time zone (x_time_zone): write HH:MM"
                )
            raise BadValue(f"{value!r} is not a time (HH:MM)")
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise BadValue(f"{value!r} is not a time (HH:MM)")
        return time(hour, minute, second)
    raise TypeError(kind)


def check_byday(text: str) -> None:
    for part in text.split(","):
        if not _BYDAY.match(part.strip().upper()):
            raise BadValue(f"{text!r} is not a list of days like MO,TU or 1SA")


def check_number_list(text: str, low: int, high: int) -> None:
    for part in text.split(","):
        part = part.strip()
        if not _INT_TEXT.match(part) or not (low <= abs(int(part)) <= high):
            raise BadValue(f"{text!r} is not a list of numbers from {low} to {high}")


# --------------------------------------------------------------------------- schemas


@cache
def _schema_files() -> dict[str, dict[str, Any]]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))
    }


@cache
def _jsonschema_validator(schema_file: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker  # noqa: PLC0415
    from referencing import Registry, Resource  # noqa: PLC0415
    from referencing.jsonschema import DRAFT202012  # noqa: PLC0415

    registry = Registry().with_resources(
        (UPSTREAM + name, Resource.from_contents(doc, default_specification=DRAFT202012))
        for name, doc in _schema_files().items()
    )
    return Draft202012Validator(
        {"$ref": UPSTREAM + schema_file}, registry=registry, format_checker=FormatChecker()
    )


def record_errors(schema_file: str, record: Any) -> list[tuple[str, str]]:
    """(path, message) for each way `record` breaks the HSDS schema (jsonschema's words)."""
    validator = _jsonschema_validator(schema_file)
    found = sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    return [(_json_path(e.absolute_path), e.message) for e in found]


def _json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


Check = Callable[[Any], bool]
_KEYWORDS = {
    # validation keywords the compiled checker implements
    "type",
    "format",
    "enum",
    "required",
    "properties",
    "items",
    "$ref",
    # annotations and HSDS bookkeeping (no effect on validity)
    "name",
    "title",
    "description",
    "constraints",
    "example",
    "core",
    "path",
    "datapackage_metadata",
    "datapackage_type",
    "tabular_required",
    "order",
    "$schema",
    "$id",
    "$comment",
}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


@cache
def _format_checker() -> Any:
    from jsonschema import FormatChecker  # noqa: PLC0415

    return FormatChecker()


def _format_test(fmt: str) -> Check:
    """jsonschema's own check for `fmt` (FormatChecker.conforms, minus its dispatch)."""
    found = _format_checker().checkers.get(fmt)
    if found is None:  # not checked by jsonschema in this environment either
        return lambda v: True
    func, raises = found

    def test(v: Any) -> bool:
        try:
            return bool(func(v))
        except raises:
            return False

    if fmt == "uuid":  # most values checked are ids: their canonical form passes at once
        canonical = _CANONICAL_UUID.match

        def uuid_test(v: Any) -> bool:
            return (isinstance(v, str) and canonical(v) is not None) or test(v)

        return uuid_test
    return test


_CLASSES = {"string": str, "array": list, "object": dict, "boolean": bool, "null": type(None)}


def _type_test(types: list[str]) -> Check:
    """One check for a JSON Schema "type" list. Most are plain classes ("string", ["string",
    "null"]): one isinstance() call, as this runs for every value of a million-row import."""
    classes = tuple(_CLASSES[t] for t in types if t in _CLASSES)
    numeric = [_TYPES[t] for t in types if t not in _CLASSES]
    if not numeric:
        return lambda v: isinstance(v, classes)
    if not classes and len(numeric) == 1:
        return numeric[0]
    return lambda v: isinstance(v, classes) or any(t(v) for t in numeric)


def _compile(schema: dict[str, Any], refs: dict[str, Check]) -> Check:
    unknown = set(schema) - _KEYWORDS
    if unknown:
        raise ValueError(f"The compiled HSDS checker does not implement {sorted(unknown)}")
    checks: list[Check] = []
    if "$ref" in schema:
        name = schema["$ref"]
        checks.append(lambda v, name=name: refs[name](v))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        checks.append(_type_test(types))
    if "enum" in schema:
        allowed = schema["enum"]
        if not all(isinstance(a, str) for a in allowed):
            raise ValueError("The compiled HSDS checker only implements enums of strings")
        checks.append(lambda v: isinstance(v, str) and v in allowed)
    if "format" in schema:
        checks.append(_format_test(schema["format"]))
    if "required" in schema:
        needed = frozenset(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or needed <= v.keys())
    if "properties" in schema:
        props = {k: _compile(s, refs) for k, s in schema["properties"].items()}

        def check_properties(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, value in v.items():
                test = props.get(key)
                if test is not None and not test(value):
                    return False
            return True

        checks.append(check_properties)
    if "items" in schema:
        item = _compile(schema["items"], refs)
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    return lambda v: all(c(v) for c in checks)


@cache
def _compiled_checks() -> dict[str, Check]:
    refs: dict[str, Check] = {}
    for name, doc in _schema_files().items():
        refs[name] = _compile(doc, refs)
    return refs


def record_is_valid(schema_file: str, record: Any) -> bool:
    """Whether `record` satisfies the HSDS schema (fast; same answer as `record_errors`)."""
    return _compiled_checks()[schema_file](record)


# --------------------------------------------------------------------------- writing

# Column types whose Python values the database drivers take as they are.
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "EmailField",
    "URLField",
    "SlugField",
    "BooleanField",
    "FloatField",
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}


def _uuid_hex(value: Any) -> str:
    return (value if isinstance(value, uuid.UUID) else uuid.UUID(value)).hex


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], batch: int = 5000) -> int:
    """INSERT `rows` (dicts of attname -> value) in batches: executemany, or on PostgreSQL
    one INSERT of UNNESTed column arrays per batch.

    What bulk_create does for new rows, without building a model instance and compiling SQL
    per batch of 999 parameters (SQLite), which costs several times more for a million rows:
    every concrete field is written, missing ones get their default (auto_now fields: now).
    No signals are sent, as with bulk_create.
    """
    from django.db import connections, router  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    if not rows:
        return 0
    conn = connections[router.db_for_write(model)]
    fields = list(model._meta.concrete_fields)
    quote = conn.ops.quote_name
    # Names come from the model's metadata, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    now = timezone.now()
    plan = []
    for f in fields:
        plain = f.get_internal_type() in _PLAIN_TYPES and not f.is_relation
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fallback: Any = now
            missing: Callable[[], Any] | None = None
        else:  # the default, or "" / None as Django would store for a field without one
            fallback, missing = None, f.get_default
        target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
        if plain:
            prep = None
        elif isinstance(target, models.UUIDField):  # the common case, kept cheap
            prep = None if conn.features.has_native_uuid_field else _uuid_hex
        else:
            prep = lambda v, f=f: f.get_db_prep_save(v, conn)  # noqa: E731
        plan.append((f.attname, prep, fallback, missing))
    unnest = conn.vendor == "postgresql"
    if unnest:
        # One statement per batch, one array per column (what bulk_create does on
        # PostgreSQL): far less per-row work in the driver and the server than executemany.
        # Types lose their parameters (varchar, not varchar(255)) as Django does there.
        sql = "INSERT INTO {} ({}) SELECT * FROM UNNEST({})".format(  # noqa: S608
            quote(model._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(f"%s::{f.db_type(conn).split('(')[0]}[]" for f in fields),
        )
    with conn.cursor() as cursor:
        for start in range(0, len(rows), batch):
            params = []
            for row in rows[start : start + batch]:
                values = []
                for attname, prep, fallback, missing in plan:
                    if attname in row:
                        value = row[attname]
                    else:
                        value = missing() if missing is not None else fallback
                    values.append(value if prep is None or value is None else prep(value))
                params.append(values)
            if unnest:
                cursor.execute(sql, [list(column) for column in zip(*params, strict=True)])
            else:
                cursor.executemany(sql, params)
    return len(rows)
