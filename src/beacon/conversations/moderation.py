"""How the moderation queue reads and decides conversation answers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.conversations.enums import AnswerState
from beacon.conversations.models import Answer
from beacon.conversations.services import set_answer_state, set_report_hidden
from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated


def _actions(answer: Answer) -> list[str]:
    if answer.state == AnswerState.HELD:
        return [Action.APPROVE, Action.REMOVE]
    if answer.state == AnswerState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply(answer: Answer, action: str, *, actor: Any, message: str) -> None:
    outcome = {Action.APPROVE: AnswerState.PUBLISHED, Action.REMOVE: AnswerState.REMOVED}.get(
        action
    )
    if outcome:
        set_answer_state(answer, outcome, actor=actor, message=message)


def _url(answer: Answer) -> str:
    return (
        reverse("conversations:detail", args=[answer.conversation.code]) + f"#answer-{answer.code}"
    )


register_moderated(
    ModeratedType(
        model=Answer,
        label="conversation answer",
        title=lambda a: f"Answer in “{a.conversation}”: {a.question}",
        text=lambda a: a.body,
        author=lambda a: a.author,
        apply_decision=_apply,
        hide=set_report_hidden,
        public_url=lambda a: _url(a) if a.is_visible else "",
        author_url=_url,
        allowed_actions=_actions,
    )
)
