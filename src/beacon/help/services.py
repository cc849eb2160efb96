"""Loading the shipped crisis-line file into the database without losing local edits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from beacon.core.audit import log_action
from beacon.core.errors import DomainError
from beacon.help.enums import ChannelKind, LineStatus, Origin
from beacon.help.models import CrisisChannel, CrisisLine, HelpCountry

DATA_FILE = Path(__file__).resolve().parent / "data" / "crisis_lines.json"
SUPPORTED_SCHEMA = 1


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
    for country in data.get("countries", []):
        for line in country.get("lines", []):
            slug = line.get("slug", "")
            if not slug or slug in slugs:
                raise DomainError(f"Missing or repeated line slug {slug!r} in {country['code']}")
            slugs.add(slug)
            if line.get("status") not in LineStatus.values:
                raise DomainError(f"Line {slug}: unknown status {line.get('status')!r}")
            for channel in line.get("channels", []):
                if channel.get("kind") not in kinds:
                    raise DomainError(f"Line {slug}: unknown channel kind {channel.get('kind')!r}")
    return data


def _line_fields(
    line: dict[str, Any], country: HelpCountry, position: int, version: str
) -> dict[str, Any]:
    verified_on = line.get("verified_on")
    return {
        "country": country,
        "name": line["name"],
        "description": line.get("description", ""),
        "status": line["status"],
        "verified_on": date.fromisoformat(verified_on) if verified_on else None,
        "source": line.get("source", ""),
        "languages": line.get("languages", []),
        "audiences": line.get("audiences", []),
        "free": line.get("free"),
        "position": position,
        "data_version": version,
    }


def _channel_rows(line: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "kind": c["kind"],
            "value": c.get("value") or "",
            "display": c.get("display") or "",
            "url": c.get("url") or "",
            "keyword": c.get("keyword") or "",
            "hours": c.get("hours") or "",
            "open_24_7": bool(c.get("open_24_7")),
            "verified": bool(c.get("verified")),
            "position": i,
        }
        for i, c in enumerate(line.get("channels", []))
    ]


def _current_channels(line: CrisisLine) -> list[dict[str, Any]]:
    return [
        {
            k: getattr(c, k)
            for k in (
                "kind",
                "value",
                "display",
                "url",
                "keyword",
                "hours",
                "open_24_7",
                "verified",
                "position",
            )
        }
        for c in line.channels.all()
    ]


@transaction.atomic
def sync_crisis_lines(*, path: Path = DATA_FILE, actor: Any = None) -> SyncReport:
    """Bring the database up to date with the shipped file, keeping local changes.

    - new lines in the file are added; shipped lines nobody edited are updated;
    - lines an admin edited (`locally_modified`) and lines added here (`origin=local`) are
      never overwritten;
    - shipped, unedited lines that left the file are removed ("retired").
    Runs in one transaction: a bad file changes nothing.
    """
    data = read_crisis_file(path)
    version = str(data.get("data_version", ""))
    report = SyncReport(data_version=version)
    seen: set[str] = set()
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
            slug = raw["slug"]
            seen.add(slug)
            fields = _line_fields(raw, country, position, version)
            channels = _channel_rows(raw)
            line = CrisisLine.objects.filter(slug=slug).first()
            if line is None:
                line = CrisisLine.objects.create(slug=slug, origin=Origin.SHIPPED, **fields)
                CrisisChannel.objects.bulk_create(CrisisChannel(line=line, **ch) for ch in channels)
                report.created.append(slug)
                continue
            if line.origin == Origin.LOCAL or line.locally_modified:
                report.kept_local.append(slug)
                continue
            changed = [
                k for k, v in fields.items() if k != "data_version" and getattr(line, k) != v
            ]
            if changed or _current_channels(line) != channels:
                for key, value in fields.items():
                    setattr(line, key, value)
                line.save()
                line.channels.all().delete()
                CrisisChannel.objects.bulk_create(CrisisChannel(line=line, **ch) for ch in channels)
                report.updated.append(slug)
            else:
                report.unchanged.append(slug)
    retired = CrisisLine.objects.filter(origin=Origin.SHIPPED, locally_modified=False).exclude(
        slug__in=seen
    )
    report.retired = sorted(retired.values_list("slug", flat=True))
    retired.delete()
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


def mark_locally_modified(line: CrisisLine) -> None:
    """Protect a shipped line from being overwritten by the next data-file update."""
    if line.origin == Origin.SHIPPED and not line.locally_modified:
        line.locally_modified = True
        line.save(update_fields=["locally_modified", "updated_at"])


def revert_to_shipped(line: CrisisLine, *, actor: Any) -> None:
    """Drop local edits to a shipped line; the next sync restores the shipped version."""
    line.locally_modified = False
    line.save(update_fields=["locally_modified", "updated_at"])
    log_action("help.crisis_line.reverted", actor=actor, target=line)
