"""Reading conversations and answers with their visibility rules (the twins of rules.py),
the live-updates cursor, and the consented transcript."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.conversations.enums import AnswerState, ConversationStatus
from beacon.conversations.models import (
    Answer,
    Conversation,
    Participant,
    Question,
    visible_answer_q,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_moderator(user: Any) -> bool:
    return _signed_in(user) and user.has_role(Role.MODERATOR)


def listed_conversations() -> QuerySet[Conversation]:
    """Every conversation, for the public schedule (titles and times only)."""
    return Conversation.objects.select_related("host")


def schedule(now=None) -> dict[str, list[Conversation]]:  # type: ignore[no-untyped-def]
    """Conversations grouped as open now / coming up (soonest first) / past (latest first)."""
    now = now or timezone.now()
    groups: dict[str, list[Conversation]] = defaultdict(list)
    for conversation in listed_conversations().order_by("starts_at"):
        groups[conversation.status_at(now)].append(conversation)
    groups[ConversationStatus.CLOSED].sort(key=lambda c: c.closed_at or c.ends_at, reverse=True)
    return groups


def conversations_visible_to(user: Any) -> QuerySet[Conversation]:
    """Conversations whose page `user` may open: every one for members, none for visitors."""
    if _signed_in(user):
        return Conversation.objects.all()
    return Conversation.objects.none()


def conversations_managed_by(user: Any) -> QuerySet[Conversation]:
    """Conversations `user` may run: their own, and every one for moderators."""
    if not _signed_in(user):
        return Conversation.objects.none()
    if _is_moderator(user):
        return Conversation.objects.all()
    return Conversation.objects.filter(host=user)


def answers_visible_to(user: Any, conversation: Conversation | None = None) -> QuerySet[Answer]:
    """Answers `user` may read: visible ones and their own; the host also sees published
    answers that were hidden; moderators see everything (held and removed included)."""
    qs = Answer.objects.all()
    if conversation is not None:
        qs = qs.filter(conversation=conversation)
    if not _signed_in(user):
        return qs.none()
    if _is_moderator(user):
        return qs
    return qs.filter(
        visible_answer_q()
        | Q(author=user)
        | Q(conversation__host=user, state=AnswerState.PUBLISHED)
    )


def answers_for_page(user: Any, conversation: Conversation) -> dict[int, list[Answer]]:
    """{question id: top-level answers, pinned first then oldest first}, each with
    `.shown_replies` (oldest first), all filtered by what `user` may read."""
    answers = list(
        answers_visible_to(user, conversation)
        .select_related("author", "question", "parent")
        .order_by("-is_pinned", "created_at", "id")
    )
    replies: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.parent_id is not None:
            replies[answer.parent_id].append(answer)
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.parent_id is None:
            answer.shown_replies = sorted(replies.get(answer.pk, []), key=lambda a: a.pk)
            by_question[answer.question_id].append(answer)
    return by_question


def current_seq(conversation_id: int) -> int:
    """The conversation's latest change number (one indexed read; used by every poll)."""
    return (
        Conversation.objects.filter(pk=conversation_id).values_list("seq", flat=True).first() or 0
    )


def changes_since(conversation: Conversation, since: int) -> list[Answer]:
    """Every answer changed after change number `since`, in change order (any state: the
    caller shows what the reader may see and removes what they no longer may)."""
    return list(
        Answer.objects.filter(conversation=conversation, seq__gt=since)
        .select_related("author", "conversation", "question", "parent")
        .order_by("seq")
    )


def questions_of(conversation: Conversation) -> list[Question]:
    return list(conversation.questions.select_related("lens"))


def participant_of(conversation: Conversation, user: Any) -> Participant | None:
    if not _signed_in(user):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def transcript_answers(conversation: Conversation) -> list[tuple[Question, list[Answer]]]:
    """What a transcript holds: per question, visible answers of participants who chose to
    be included, each with `.shown_replies` (replies by included people only)."""
    included = Participant.objects.filter(
        conversation=conversation, include_in_transcript=True
    ).values("user_id")
    answers = list(
        Answer.objects.filter(visible_answer_q(), conversation=conversation, author__in=included)
        .select_related("author", "question", "parent")
        .order_by("created_at", "id")
    )
    by_id = {a.pk: a for a in answers}
    for answer in answers:
        answer.shown_replies = []
    result: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.parent_id is None:
            result[answer.question_id].append(answer)
        elif answer.parent_id in by_id:
            # A reply whose answer is left out would read without its context.
            by_id[answer.parent_id].shown_replies.append(answer)
    return [(q, result.get(q.pk, [])) for q in questions_of(conversation)]
