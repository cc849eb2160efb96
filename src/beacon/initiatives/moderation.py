"""How the moderation queue reads and decides initiatives."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.initiatives.enums import InitiativeStatus
from beacon.initiatives.models import Initiative
from beacon.initiatives.services import initiative_text, set_initiative_status
from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated

OUTCOME = {
    Action.APPROVE: InitiativeStatus.LISTED,
    Action.REQUEST_CHANGES: InitiativeStatus.CHANGES,
    Action.DECLINE: InitiativeStatus.DECLINED,
    Action.REMOVE: InitiativeStatus.ARCHIVED,
}


def _actions(initiative: Initiative) -> list[str]:
    if initiative.status == InitiativeStatus.PENDING:
        return [Action.APPROVE, Action.REQUEST_CHANGES, Action.DECLINE]
    if initiative.status == InitiativeStatus.LISTED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply(initiative: Initiative, action: str, *, actor: Any, message: str) -> None:
    if action == Action.KEEP:
        return
    set_initiative_status(initiative, OUTCOME[action], actor=actor, message=message)


def _hide(initiative: Initiative, hidden: bool) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(is_hidden=hidden)
    initiative.is_hidden = hidden


register_moderated(
    ModeratedType(
        model=Initiative,
        label="initiative",
        title=lambda i: str(i),
        text=initiative_text,
        author=lambda i: i.created_by,
        apply_decision=_apply,
        hide=_hide,
        public_url=lambda i: reverse("initiatives:detail", args=[i.code]) if i.is_public else "",
        author_url=lambda i: reverse("initiatives:detail", args=[i.code]),
        allowed_actions=_actions,
    )
)
