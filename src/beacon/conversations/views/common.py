"""What the conversation page, its fragments and the live updates share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from beacon.conversations.enums import SLOW_MODE_CHOICES, ConversationStatus, ReactionKind
from beacon.conversations.forms import AnswerForm, ParticipationForm
from beacon.conversations.models import Answer, Conversation, Reaction
from beacon.conversations.queries import (
    answers_for_page,
    answers_visible_to,
    current_seq,
    participant_of,
    questions_of,
)
from beacon.conversations.rules import can_manage_conversation
from beacon.conversations.services import consent_is_open, local_time

# How long the page waits after each answer before asking again (milliseconds). An answer
# posted at a random moment is seen after up to this wait plus two response times, so for
# "visible to others within 1 s" at the 95th percentile the wait must stay well under 1 s
# (bench/conversations/live.py measures it).
POLL_MS = 800


def get_conversation(code: str) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("host"), code=code)


def get_answer(conversation: Conversation, code: str, user: Any) -> Answer:
    """The answer with `code` in `conversation` if `user` may read it, else 404."""
    answer = (
        answers_visible_to(user, conversation)
        .select_related("author", "question", "parent", "conversation")
        .filter(code=code)
        .first()
    )
    if answer is None:
        raise Http404("No such answer")
    return answer


def mark_mine(answers: list[Answer], user: Any) -> None:
    """Set `.mine` (the reaction kinds `user` gave) on each answer and its shown replies."""
    everything = [*answers, *(r for a in answers for r in getattr(a, "shown_replies", []))]
    mine: dict[int, set[str]] = {a.pk: set() for a in everything}
    if user.is_authenticated and everything:
        for answer_id, kind in Reaction.objects.filter(
            answer_id__in=list(mine), user=user
        ).values_list("answer_id", "kind"):
            mine[answer_id].add(kind)
    for answer in everything:
        answer.mine = mine[answer.pk]
        answer.reaction_rows = reaction_rows(answer)


def reaction_rows(answer: Answer) -> list[tuple[str, str, int, bool]]:
    mine = getattr(answer, "mine", set())
    return [
        (kind, label, answer.reaction_count(kind), kind in mine)
        for kind, label in ReactionKind.choices
    ]


def participation_form(conversation: Conversation, user: Any) -> ParticipationForm:
    participant = participant_of(conversation, user)
    if participant is None:
        return ParticipationForm()
    return ParticipationForm(
        initial={
            "byline": participant.byline,
            "pen_name": participant.pen_name,
            "include_in_transcript": participant.include_in_transcript,
        }
    )


def page_context(
    request: HttpRequest,
    conversation: Conversation,
    *,
    bound: dict[int, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Everything conversation.html needs. `bound` maps a question position to the state
    of its answer form after a refused or checked post (form, error, check results)."""
    # The cursor is read before the answers: a change committed in between is sent again
    # by the next poll and replaces its element, so nothing is missed or doubled.
    since = current_seq(conversation.pk)
    user = request.user
    by_question = answers_for_page(user, conversation)
    status = conversation.status
    questions = questions_of(conversation)
    bound = bound or {}
    for question in questions:
        question.shown_answers = by_question.get(question.pk, [])
        mark_mine(question.shown_answers, user)
        state = bound.get(question.position, {})
        question.form_state = {
            "form": state.get("form") or AnswerForm(prefix=f"q{question.position}"),
            **{k: v for k, v in state.items() if k != "form"},
        }
    return {
        "conversation": conversation,
        "status": status,
        "is_open": status == ConversationStatus.OPEN,
        "questions": questions,
        "since": since,
        "poll_ms": POLL_MS,
        "is_manager": can_manage_conversation(user, conversation),
        "starts_local": local_time(conversation, conversation.starts_at),
        "ends_local": local_time(conversation, conversation.ends_at),
        "closed_local": local_time(conversation, conversation.closed_time)
        if conversation.closed_time
        else "",
        "participation_form": extra.pop("participation_form", None)
        or participation_form(conversation, user),
        "consent_open": consent_is_open(conversation),
        "statuses": ConversationStatus,
        "slow_choices": SLOW_MODE_CHOICES,
        **extra,
    }
