"""Loading the shipped crisis-line file into the directory without losing local edits."""

from __future__ import annotations

import contextvars
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from beacon.core.audit import log_action
from beacon.core.errors import DomainError
from beacon.directory import models as directory_models
from beacon.directory.indexing import reindex_services
from beacon.directory.models import Attribute, Organization, Service, TaxonomyTerm
from beacon.directory.taxonomy import load_beacon_taxonomy, taxonomy_id, term_id
from beacon.help.enums import ChannelKind, LineStatus, Origin
from beacon.help.models import CrisisListing, HelpCountry
from beacon.help.sync import (
    AUDIENCE_ALIASES,
    KIND,
    MANAGED_TAXONOMIES,
    DirectoryRecord,
    child_id,
    known_terms,
    model_namespace,
    record_for_line,
    record_from_rows,
    same_record,
    service_id,
    write_record,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "crisis_lines.json"
SUPPORTED_SCHEMA = 1

# Set while the loader writes directory rows, so handlers.py does not take the loader's
# own saves for an admin's edit.
_loading = contextvars.ContextVar("help_loading_crisis_lines", default=False)


@contextmanager
def loader_writes() -> Iterator[None]:
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)


def is_loading() -> bool:
    return _loading.get()


@dataclass
class SyncReport:
    """What a sync did, for the command's output and the audit log."""

    data_version: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"crisis lines {self.data_version}: {len(self.created)} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept_local)} kept with local changes, {len(self.retired)} retired"
        )


def read_crisis_file(path: Path = DATA_FILE) -> dict[str, Any]:
    """Parse and check the data file; raise DomainError naming the first problem found."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DomainError(f"Cannot read crisis-line file {path.name}: {exc}") from exc
    if data.get("schema_version") != SUPPORTED_SCHEMA:
        raise DomainError(f"Unsupported crisis-line file schema {data.get('schema_version')!r}")
    slugs: set[str] = set()
    kinds = set(ChannelKind.values)
    terms = known_terms()
    for country in data.get("countries", []):
        for line in country.get("lines", []):
            slug = line.get("slug", "")
            if not slug or slug in slugs:
                raise DomainError(f"Missing or repeated line slug {slug!r} in {country['code']}")
            slugs.add(slug)
            if not line.get("name"):
                raise DomainError(f"Line {slug}: missing name")
            if line.get("status") not in LineStatus.values:
                raise DomainError(f"Line {slug}: unknown status {line.get('status')!r}")
            for audience in line.get("audiences", []):
                if ("audience", AUDIENCE_ALIASES.get(audience, audience)) not in terms:
                    raise DomainError(f"Line {slug}: unknown audience {audience!r}")
            for channel in line.get("channels", []):
                if channel.get("kind") not in kinds:
                    raise DomainError(f"Line {slug}: unknown channel kind {channel.get('kind')!r}")
    return data


def _crisis_services(ids: list[Any]) -> dict[Any, Service]:
    return {
        s.id: s
        for s in Service.objects.filter(id__in=ids)
        .select_related("organization")
        .prefetch_related("phones", "schedules", "languages", "cost_options")
    }


def _term_pairs(ids: list[Any]) -> dict[Any, set[tuple[str, str]]]:
    codes = {taxonomy_id(t): t for t in MANAGED_TAXONOMIES}
    pairs: dict[Any, set[tuple[str, str]]] = defaultdict(set)
    for link_id, tax, code in Attribute.objects.filter(
        link_entity="service", link_id__in=ids, taxonomy_term__taxonomy_id__in=list(codes)
    ).values_list("link_id", "taxonomy_term__taxonomy_id", "taxonomy_term__code"):
        pairs[link_id].add((codes[tax], code))
    return pairs


def _retire(listings: list[CrisisListing]) -> None:
    """Delete retired lines' services (listings, phones, … follow) and what hangs loose."""
    ids = [listing.service_id for listing in listings]
    org_ids = list(Service.objects.filter(id__in=ids).values_list("organization_id", flat=True))
    Attribute.objects.filter(link_entity="service", link_id__in=ids).delete()
    Service.objects.filter(id__in=ids).delete()
    Organization.objects.filter(id__in=org_ids, services__isnull=True).delete()


@transaction.atomic
def sync_crisis_lines(*, path: Path = DATA_FILE, actor: Any = None) -> SyncReport:
    """Bring the directory up to date with the shipped file, keeping local changes.

    - new lines in the file are added (a directory service each, plus its listing);
    - shipped lines nobody edited are updated;
    - lines edited here (`locally_modified`) and lines added here (`origin=local`) are
      never overwritten;
    - shipped, unedited lines that left the file are removed ("retired").
    Runs in one transaction: a bad file changes nothing. Re-indexes the changed services
    for directory search.
    """
    data = read_crisis_file(path)
    version = str(data.get("data_version", ""))
    report = SyncReport(data_version=version)
    load_beacon_taxonomy()
    models = model_namespace(lambda app, name: getattr(directory_models, name))
    wanted: list[tuple[HelpCountry, int, dict[str, Any], DirectoryRecord, list[str]]] = []
    with loader_writes():
        for c in data["countries"]:
            country, _ = HelpCountry.objects.get_or_create(
                code=c["code"], defaults={"name": c["name"], "origin": Origin.SHIPPED}
            )
            if country.origin == Origin.SHIPPED and not country.locally_modified:
                country.name = c["name"]
                country.emergency = c.get("emergency", [])
                country.outdated_numbers = c.get("outdated_numbers", [])
                country.save(update_fields=["name", "emergency", "outdated_numbers", "updated_at"])
            for position, raw in enumerate(c.get("lines", [])):
                record, unverified = record_for_line(raw, c["code"])
                wanted.append((country, position, raw, record, unverified))
        listings = {
            listing.slug: listing
            for listing in CrisisListing.objects.filter(slug__in=[w[2]["slug"] for w in wanted])
        }
        ids = [service_id(w[2]["slug"]) for w in wanted]
        services = _crisis_services(ids)
        terms = _term_pairs(ids)
        touched = []
        for country, position, raw, record, unverified in wanted:
            slug = raw["slug"]
            listing_fields = {
                "country": country,
                "status": raw["status"],
                "source": raw.get("source") or "",
                "unverified_contacts": unverified,
                "position": position,
            }
            listing = listings.get(slug)
            if listing is not None and (listing.origin == Origin.LOCAL or listing.locally_modified):
                report.kept_local.append(slug)
                continue
            sid = service_id(slug)
            current = services.get(sid)
            if listing is not None and listing.service_id != sid:
                current = None  # a listing pointing elsewhere: rebuild the shipped service
            same_listing = listing is not None and all(
                getattr(listing, k) == v for k, v in listing_fields.items()
            )
            if (
                current is not None
                and same_listing
                and same_record(record_from_rows(current, terms.get(sid, set())), record)
            ):
                report.unchanged.append(slug)
                continue
            write_record(models, slug, record)
            touched.append(sid)
            if listing is None:
                CrisisListing.objects.create(
                    service_id=sid,
                    slug=slug,
                    origin=Origin.SHIPPED,
                    data_version=version,
                    **listing_fields,
                )
                report.created.append(slug)
            else:
                for key, value in {**listing_fields, "data_version": version}.items():
                    setattr(listing, key, value)
                listing.service_id = sid
                listing.save()
                report.updated.append(slug)
        seen = {w[2]["slug"] for w in wanted}
        retired = list(
            CrisisListing.objects.filter(origin=Origin.SHIPPED, locally_modified=False).exclude(
                slug__in=seen
            )
        )
        report.retired = sorted(listing.slug for listing in retired)
        _retire(retired)
    if touched:
        reindex_services(touched)
    if report.created or report.updated or report.retired:
        log_action(
            "help.crisis_lines.synced",
            actor=actor,
            data={
                "version": version,
                "created": len(report.created),
                "updated": len(report.updated),
                "retired": len(report.retired),
            },
        )
    return report


def mark_locally_modified(listing: CrisisListing) -> None:
    """Protect a shipped line from being overwritten by the next data-file update."""
    if listing.origin == Origin.SHIPPED and not listing.locally_modified:
        listing.locally_modified = True
        listing.save(update_fields=["locally_modified", "updated_at"])


def mark_service_modified(service_pk: Any) -> int:
    """An edit reached the directory rows of a shipped line: protect it (returns 0 or 1)."""
    return CrisisListing.objects.filter(
        service_id=service_pk, origin=Origin.SHIPPED, locally_modified=False
    ).update(locally_modified=True)


def revert_to_shipped(listing: CrisisListing, *, actor: Any) -> None:
    """Drop local edits to a shipped line; the next sync restores the shipped version."""
    listing.locally_modified = False
    listing.save(update_fields=["locally_modified", "updated_at"])
    log_action("help.crisis_line.reverted", actor=actor, target=listing.service)


def list_as_crisis_line(service: Service) -> None:
    """Tag a service as a crisis helpline (the directory's kind), if it is not yet.

    Called when an admin adds a local listing, so directory search and the HSDS API
    (`taxonomy_term_id=`) find the same lines as the help page.
    """
    kind = term_id(*KIND)
    if not TaxonomyTerm.objects.filter(id=kind).exists():
        load_beacon_taxonomy()
    tagged = Attribute.objects.filter(
        link_entity="service", link_id=service.pk, taxonomy_term_id=kind
    )
    if not tagged.exists():
        Attribute.objects.create(
            id=child_id(service.pk, "attribute", *KIND),
            link_id=service.pk,
            link_entity="service",
            link_type=KIND[0],
            taxonomy_term_id=kind,
        )
    reindex_services([service.pk])
