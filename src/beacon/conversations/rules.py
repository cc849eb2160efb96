"""Permission predicates for guided conversations (django-rules). The queryset twins live in
queries.py; tests/conversations/test_rules.py proves they agree."""

from __future__ import annotations

import rules
from django.utils import timezone

from beacon.accounts.rules import is_member, is_moderator


@rules.predicate
def organises_an_initiative(user) -> bool:  # type: ignore[no-untyped-def]
    """An active organiser of at least one initiative (the initiatives app decides)."""
    # Imported here: rules sit below every other module, and the initiatives app owns
    # the meaning of "organiser".
    from beacon.initiatives.queries import organises_any  # noqa: PLC0415

    return organises_any(user)


@rules.predicate
def is_conversation_host(user, conversation) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        conversation is not None
        and getattr(user, "is_authenticated", False)
        and conversation.host_id == user.pk
    )


@rules.predicate
def conversation_is_closed(user, conversation) -> bool:  # type: ignore[no-untyped-def]
    return conversation is not None and conversation.status_at(timezone.now()) == "closed"


@rules.predicate
def transcript_is_published(user, conversation) -> bool:  # type: ignore[no-untyped-def]
    return conversation is not None and conversation.transcript_published_at is not None


can_schedule_conversation = is_member & (organises_an_initiative | is_moderator)
can_view_conversation = is_member
can_take_part = is_member
can_manage_conversation = is_member & (is_conversation_host | is_moderator)
can_view_transcript = conversation_is_closed & (transcript_is_published | can_manage_conversation)

rules.add_perm("conversations.schedule_conversation", can_schedule_conversation)
rules.add_perm("conversations.view_conversation", can_view_conversation)
rules.add_perm("conversations.take_part", can_take_part)
rules.add_perm("conversations.manage_conversation", can_manage_conversation)
rules.add_perm("conversations.view_transcript", can_view_transcript)


@rules.predicate
def is_answer_author(user, answer) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        answer is not None
        and getattr(user, "is_authenticated", False)
        and answer.author_id == user.pk
    )


@rules.predicate
def answer_is_visible(user, answer) -> bool:  # type: ignore[no-untyped-def]
    return answer is not None and answer.is_visible


@rules.predicate
def hosts_published_answer(user, answer) -> bool:  # type: ignore[no-untyped-def]
    """The host sees published answers they (or reports) hid, to show them again."""
    return bool(
        answer is not None
        and answer.state == "published"
        and getattr(user, "is_authenticated", False)
        and answer.conversation.host_id == user.pk
    )


can_view_answer = is_member & (
    answer_is_visible | is_answer_author | hosts_published_answer | is_moderator
)
rules.add_perm("conversations.view_answer", can_view_answer)
