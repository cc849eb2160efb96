"""Personal-data handlers for moderation: reports a person made, decisions a moderator took."""

from __future__ import annotations

from typing import Any

from beacon.core.personal_data import ErasureMode, registry
from beacon.moderation.models import Decision, Report


def _export_reports(user: Any) -> list[dict[str, Any]]:
    return [
        {"at": r.created_at.isoformat(), "reason": r.reason, "note": r.note}
        for r in Report.objects.filter(reporter=user)
    ]


def _erase_reports(user: Any, mode: ErasureMode) -> None:
    # The report still counts toward the item's review; only who made it is forgotten.
    Report.objects.filter(reporter=user).update(reporter=None, note="")


def _export_decisions(user: Any) -> list[dict[str, Any]]:
    return [
        {"at": d.created_at.isoformat(), "action": d.action, "message": d.message}
        for d in Decision.objects.filter(moderator=user)
    ]


def _erase_decisions(user: Any, mode: ErasureMode) -> None:
    Decision.objects.filter(moderator=user).update(moderator=None)


registry.register(Report, section="reports_made", export=_export_reports, erase=_erase_reports)
registry.register(
    Decision, section="moderation_decisions", export=_export_decisions, erase=_erase_decisions
)
