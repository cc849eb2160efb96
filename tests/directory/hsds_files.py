"""Where the tests find the HSDS 3.0 specification files.

The project's `shared/hsds` (next to the clone) when it is there, otherwise the copies
vendored in the app (`src/beacon/directory/data/hsds-3.0`, byte-identical): a clean clone in
CI validates against the same schemas. A missing file is an error, never a skipped check.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import beacon.directory

SHARED = Path(__file__).resolve().parents[3] / "shared" / "hsds"
VENDORED = Path(beacon.directory.__file__).resolve().parent / "data" / "hsds-3.0"
# The files the tests read, relative to the HSDS folder.
USED = (
    "datapackage.json",
    "schema/openapi.json",
    "schema/metadata.json",
    "schema/taxonomy.json",
    "schema/taxonomy_term.json",
    "schema/compiled/service.json",
    "schema/compiled/service_list.json",
    "schema/compiled/organization.json",
    "schema/compiled/organization_list.json",
    "schema/compiled/service_at_location.json",
    "schema/compiled/service_at_location_list.json",
    "examples/service_full.json",
    "examples/service_list.json",
)


def vendored(rel: str) -> Path:
    if rel == "schema/openapi.json":  # the API serves it, so it lives beside the folder
        return VENDORED.parent / "hsds-openapi.json"
    return VENDORED / rel


def hsds_file(rel: str) -> Path:
    for path in (SHARED / rel, vendored(rel)):
        if path.is_file():
            return path
    raise FileNotFoundError(f"HSDS file {rel} is neither in {SHARED} nor in {VENDORED}")


@cache
def hsds_json(rel: str) -> Any:
    return json.loads(hsds_file(rel).read_text(encoding="utf-8"))
