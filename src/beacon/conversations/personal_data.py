"""Personal-data handlers for conversations: a person's answers (with replies), reactions
and transcript choices; hosted conversations stay for the community without the host."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from beacon.conversations.enums import Byline
from beacon.conversations.models import Answer, Conversation, Participant, Question, Reaction
from beacon.core.personal_data import ErasureMode, registry


def _export_answers(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "conversation": a.conversation.code,
            "conversation_title": a.conversation.title,
            "question": a.question.text,
            "reply_to": a.parent.code if a.parent_id else None,
            "byline": a.byline,
            "pen_name": a.pen_name,
            "state": a.state,
            "at": a.created_at.isoformat(),
            "body": a.body,
        }
        for a in Answer.objects.filter(author=user)
        .select_related("conversation", "question", "parent")
        .order_by("created_at")
    ]


def _erase_answers(user: Any, mode: ErasureMode) -> None:
    answers = Answer.objects.filter(author=user)
    if mode == ErasureMode.DELETE:
        # Replies of others to these answers go with them (one level, cascade).
        answers.delete()
    else:
        # Words stay for the conversation; no name does ("A former member").
        answers.update(author=None, byline=Byline.DISPLAY_NAME, pen_name="")


def _export_reactions(user: Any) -> list[dict[str, Any]]:
    return [
        {"answer": r.answer.code, "kind": r.kind, "at": r.created_at.isoformat()}
        for r in Reaction.objects.filter(user=user).select_related("answer")
    ]


def _erase_reactions(user: Any, mode: ErasureMode) -> None:
    # The counts readers see go down with the reactions: no trace of the person stays.
    with transaction.atomic():
        for reaction in Reaction.objects.filter(user=user).select_related("answer"):
            counter = f"{reaction.kind}_count"
            Answer.objects.filter(pk=reaction.answer_id, **{f"{counter}__gt": 0}).update(
                **{counter: F(counter) - 1}
            )
        Reaction.objects.filter(user=user).delete()


def _export_participation(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "conversation": p.conversation.code,
            "conversation_title": p.conversation.title,
            "byline": p.byline,
            "pen_name": p.pen_name,
            "include_in_transcript": p.include_in_transcript,
            "consent_changed_at": p.consent_changed_at.isoformat()
            if p.consent_changed_at
            else None,
            "last_answer_at": p.last_answer_at.isoformat() if p.last_answer_at else None,
        }
        for p in Participant.objects.filter(user=user).select_related("conversation")
    ]


def _erase_participation(user: Any, mode: ErasureMode) -> None:
    # Without the row, the person is out of every transcript (the default is "not included").
    Participant.objects.filter(user=user).delete()


def _export_hosted(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "title": c.title,
            "introduction": c.introduction,
            "starts_at": c.starts_at.isoformat(),
            "ends_at": c.ends_at.isoformat(),
            "time_zone": c.time_zone,
            "summary": c.summary,
            "questions": [q.text for q in c.questions.all()],
        }
        for c in Conversation.objects.filter(host=user).prefetch_related("questions")
    ]


def _erase_hosted(user: Any, mode: ErasureMode) -> None:
    # Conversations belong to everyone who answered: they stay, without their host.
    Conversation.objects.filter(host=user).update(host=None)


registry.register(
    Answer, section="conversation_answers", export=_export_answers, erase=_erase_answers, order=10
)
registry.register(
    Reaction,
    section="conversation_reactions",
    export=_export_reactions,
    erase=_erase_reactions,
    order=5,
)
registry.register(
    Participant,
    section="conversation_participation",
    export=_export_participation,
    erase=_erase_participation,
    order=10,
)
registry.register(
    Conversation,
    section="hosted_conversations",
    export=_export_hosted,
    erase=_erase_hosted,
    order=10,
)
registry.exempt(Question, reason="Part of a Conversation; exported with the host's data.")
