"""The audit log's one entry point."""

from __future__ import annotations

from typing import Any

from django.db import models

from beacon.core.models import AuditEntry


def log_action(
    action: str,
    *,
    actor: Any | None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` (named `<app>.<model>.<past_verb>`) to `target`.

    Side effect: writes one AuditEntry in the current transaction. Anonymous actors are
    stored as no actor. `data` must be JSON-serialisable and must not hold email addresses.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(action=action, actor=actor, data=data or {})
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(getattr(target, "code", None) or target.pk)
        entry.target_label = str(target)[:200]
    entry.save()
    return entry
