"""Reading the moderation queue."""

from __future__ import annotations

from django.db.models import QuerySet

from beacon.moderation.enums import CaseState
from beacon.moderation.models import Case


def open_queue() -> QuerySet[Case]:
    """Open cases, most urgent first: crisis, then reports, then reviews; oldest first."""
    return (
        Case.objects.filter(state=CaseState.OPEN)
        .select_related("content_type")
        .order_by("priority", "waiting_since")
    )


def recently_decided(limit: int = 20) -> QuerySet[Case]:
    return (
        Case.objects.filter(state=CaseState.CLOSED)
        .select_related("content_type")
        .prefetch_related("decisions__moderator")
        .order_by("-closed_at")[:limit]
    )
