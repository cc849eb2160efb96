"""How the moderation queue reads and decides initiatives."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.initiatives.enums import InitiativeStatus
from beacon.initiatives.models import Initiative
from beacon.initiatives.services import decide_pending_edit, review_text, set_initiative_status
from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated

OUTCOME = {
    Action.APPROVE: InitiativeStatus.LISTED,
    Action.REQUEST_CHANGES: InitiativeStatus.CHANGES,
    Action.DECLINE: InitiativeStatus.DECLINED,
    Action.REMOVE: InitiativeStatus.ARCHIVED,
}


def _edit_waits(initiative: Initiative) -> bool:
    return initiative.status == InitiativeStatus.LISTED and initiative.has_pending_edit


def _actions(initiative: Initiative) -> list[str]:
    if initiative.status == InitiativeStatus.PENDING:
        return [Action.APPROVE, Action.REQUEST_CHANGES, Action.DECLINE]
    if _edit_waits(initiative):
        # The new words of a listed initiative: publish, send back, or drop them; or
        # remove the initiative altogether.
        return [Action.APPROVE, Action.REQUEST_CHANGES, Action.DECLINE, Action.REMOVE]
    if initiative.status == InitiativeStatus.LISTED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply(initiative: Initiative, action: str, *, actor: Any, message: str) -> None:
    if _edit_waits(initiative) and action != Action.REMOVE:
        decide_pending_edit(initiative, action=action, actor=actor, message=message)
        initiative.refresh_from_db()
        # The moderator looked and kept the listed initiative up: shown again if reports
        # (or a moderator's "hide now") had hidden it, as "keep" would.
        _hide(initiative, False)
        return
    if action == Action.KEEP:
        return
    set_initiative_status(initiative, OUTCOME[action], actor=actor, message=message)


def _title(initiative: Initiative) -> str:
    if _edit_waits(initiative):
        return f"{initiative.name} (changed words waiting for review)"
    return str(initiative)


def _hide(initiative: Initiative, hidden: bool) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(is_hidden=hidden)
    initiative.is_hidden = hidden


register_moderated(
    ModeratedType(
        model=Initiative,
        label="initiative",
        title=_title,
        text=review_text,
        author=lambda i: i.created_by,
        apply_decision=_apply,
        hide=_hide,
        public_url=lambda i: reverse("initiatives:detail", args=[i.code]) if i.is_public else "",
        author_url=lambda i: reverse("initiatives:detail", args=[i.code]),
        allowed_actions=_actions,
    )
)
