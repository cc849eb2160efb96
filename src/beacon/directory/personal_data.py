"""Personal-data handlers for the directory: reports people made. Directory entries hold
organisations' published contact details, not data about Beacon's members."""

from __future__ import annotations

from typing import Any

from beacon.core.personal_data import ErasureMode, registry
from beacon.directory.models import Contact, DirectoryReport, Language, Organization, Service


def _export_reports(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "service": str(r.service_id),
            "reason": r.reason,
            "note": r.note,
            "at": r.created_at.isoformat(),
        }
        for r in DirectoryReport.objects.filter(reporter=user)
    ]


def _erase_reports(user: Any, mode: ErasureMode) -> None:
    DirectoryReport.objects.filter(reporter=user).update(reporter=None)
    DirectoryReport.objects.filter(resolved_by=user).update(resolved_by=None)


registry.register(
    DirectoryReport, section="directory_reports", export=_export_reports, erase=_erase_reports
)
for model in (Organization, Service, Contact):
    registry.exempt(
        model,
        reason="Published contact details of an organisation or service, "
        "not data about a Beacon member.",
    )
registry.exempt(
    Language,
    reason="A language a service, location or phone line offers; its "
    "`phone` field links to a service's phone, not a person's.",
)
