"""Beacon's taxonomy (kinds, audiences, channels, cost), shipped as data and loaded with
stable UUIDs, so the same term has the same HSDS id on every Beacon site."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.db import transaction

from beacon.directory.models import Taxonomy, TaxonomyTerm

DATA_FILE = Path(__file__).resolve().parent / "data" / "beacon_taxonomy.json"
NAMESPACE = uuid.UUID("6f1c2b9e-3a1d-5c4e-9b7a-2d8e4f6a0c11")
TAXONOMY_URI = "https://beacon.invalid/taxonomy/"


def taxonomy_id(code: str) -> uuid.UUID:
    """The stable HSDS id of a Beacon taxonomy."""
    return uuid.uuid5(NAMESPACE, f"taxonomy:{code}")


def term_id(taxonomy_code: str, term_code: str) -> uuid.UUID:
    """The stable HSDS id of a Beacon taxonomy term."""
    return uuid.uuid5(NAMESPACE, f"term:{taxonomy_code}:{term_code}")


@transaction.atomic
def load_beacon_taxonomy(path: Path = DATA_FILE) -> int:
    """Create or update Beacon's taxonomies and terms; return how many terms exist."""
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for tax in data["taxonomies"]:
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=taxonomy_id(tax["code"]),
            defaults={
                "name": tax["name"],
                "description": tax["description"],
                "uri": TAXONOMY_URI + tax["code"],
                "version": str(data["schema_version"]),
            },
        )
        for code, name, description in tax["terms"]:
            TaxonomyTerm.objects.update_or_create(
                id=term_id(tax["code"], code),
                defaults={
                    "taxonomy": taxonomy,
                    "code": code,
                    "name": name,
                    "description": description,
                    "language": "en",
                },
            )
            count += 1
    return count
