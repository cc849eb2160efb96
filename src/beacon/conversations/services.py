"""Conversation workflows: scheduling, answering (window, slow mode, safety), replies,
reactions, host controls, consent, summary and transcript.

`set_answer_state` is the only function that changes `Answer.state`. Every change readers
see bumps `Conversation.seq` in the same transaction (see `_bump`), which is what the live
updates poll on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from beacon.conversations.enums import (
    ANSWER_TRANSITIONS,
    AnswerState,
    Byline,
    ConversationStatus,
    ReactionKind,
)
from beacon.conversations.models import (
    Answer,
    Conversation,
    Lens,
    Participant,
    Question,
    Reaction,
)
from beacon.conversations.rules import (
    can_manage_conversation,
    can_schedule_conversation,
    can_take_part,
)
from beacon.core.audit import log_action
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.moderation.services import enqueue_for_review
from beacon_safety import assess as assess_text

MAX_QUESTIONS = 10
MAX_ANSWER_LENGTH = 2000


class NotOpen(DomainError):
    """Answers are refused outside the open window."""

    code = "not_open"


class SlowModeRefused(DomainError):
    """The person answered less than the slow-mode interval ago."""

    code = "slow_mode"

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class QuestionInput:
    text: str
    lens: Lens


def local_time(conversation: Conversation, moment: datetime) -> str:
    """`moment` in the conversation's time zone: "14 March 2026, 18:30 (Europe/London)"."""
    local = timezone.localtime(moment, ZoneInfo(conversation.time_zone))
    return f"{date_format(local, 'j F Y, H:i')} ({conversation.time_zone})"


def local_clock(conversation: Conversation, moment: datetime) -> str:
    """`moment` as "18:30" in the conversation's time zone (the page says which zone)."""
    return timezone.localtime(moment, ZoneInfo(conversation.time_zone)).strftime("%H:%M")


def _bump(conversation_id: int) -> int:
    """Take the conversation's next change number, holding its row lock until commit.

    Because the row stays locked until the transaction ends, numbers become visible in
    order: a reader who sees change N has already been able to see every change below N.
    Call inside a transaction.
    """
    Conversation.objects.filter(pk=conversation_id).update(seq=F("seq") + 1)
    return Conversation.objects.filter(pk=conversation_id).values_list("seq", flat=True).get()


def _require_manager(conversation: Conversation, actor: Any) -> None:
    if not can_manage_conversation(actor, conversation):
        raise PermissionRefused("Only the host or a moderator can do this.")


def _check_schedule(
    starts_at: datetime, ends_at: datetime, questions: list[QuestionInput]
) -> list[QuestionInput]:
    if ends_at <= starts_at:
        raise DomainError("The end must be after the start.", code="times")
    if ends_at - starts_at > timedelta(days=31):
        raise DomainError("A conversation can run for at most 31 days.", code="times")
    questions = [q for q in questions if q.text.strip()]
    if not questions:
        raise DomainError("Write at least one question.", code="questions")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(f"Ask at most {MAX_QUESTIONS} questions.", code="questions")
    return questions


@transaction.atomic
def schedule_conversation(
    *,
    actor: Any,
    title: str,
    introduction: str,
    time_zone: str,
    starts_at: datetime,
    ends_at: datetime,
    questions: list[QuestionInput],
    slow_mode_seconds: int = 0,
) -> Conversation:
    """Create a conversation hosted by `actor` (an initiative organiser or a moderator).

    Times are aware datetimes (stored in UTC); `time_zone` is the host's, used to show them.
    Raises PermissionRefused or DomainError (end before start, no question, too many).
    """
    if not can_schedule_conversation(actor):
        raise PermissionRefused(
            "Only organisers of an initiative and moderators can host conversations."
        )
    questions = _check_schedule(starts_at, ends_at, questions)
    conversation = Conversation.objects.create(
        host=actor,
        title=title.strip()[:140],
        introduction=introduction.strip(),
        time_zone=time_zone,
        starts_at=starts_at,
        ends_at=ends_at,
        slow_mode_seconds=max(0, int(slow_mode_seconds)),
    )
    _replace_questions(conversation, questions)
    log_action("conversations.conversation.scheduled", actor=actor, target=conversation)
    return conversation


def _replace_questions(conversation: Conversation, questions: list[QuestionInput]) -> None:
    conversation.questions.all().delete()
    Question.objects.bulk_create(
        Question(conversation=conversation, position=i, text=q.text.strip()[:300], lens=q.lens)
        for i, q in enumerate(questions)
    )


@transaction.atomic
def update_conversation(
    conversation: Conversation,
    *,
    actor: Any,
    title: str,
    introduction: str,
    time_zone: str,
    starts_at: datetime,
    ends_at: datetime,
    questions: list[QuestionInput],
    slow_mode_seconds: int = 0,
) -> Conversation:
    """Change a conversation that has not started yet (questions included).

    Raises DomainError once it has opened: from then on the host has the live controls.
    """
    _require_manager(conversation, actor)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status != ConversationStatus.SCHEDULED:
        raise DomainError(
            "This conversation has already started, so it can no longer be edited. "
            "Use the host controls on its page.",
            code="started",
        )
    questions = _check_schedule(starts_at, ends_at, questions)
    conversation.title = title.strip()[:140]
    conversation.introduction = introduction.strip()
    conversation.time_zone = time_zone
    conversation.starts_at, conversation.ends_at = starts_at, ends_at
    conversation.slow_mode_seconds = max(0, int(slow_mode_seconds))
    conversation.save()
    _replace_questions(conversation, questions)
    log_action("conversations.conversation.edited", actor=actor, target=conversation)
    return conversation


def participant_for(conversation: Conversation, user: Any) -> Participant:
    """The member's place in the conversation, created on first use."""
    participant, _ = Participant.objects.get_or_create(conversation=conversation, user=user)
    return participant


def consent_is_open(conversation: Conversation) -> bool:
    """Whether participants may still choose to be included in the transcript."""
    return conversation.transcript_published_at is None


@transaction.atomic
def _name_taken(conversation: Conversation, user: Any, name: str) -> bool:
    """Whether `name` is another member's display name or another participant's pen name
    in this conversation (a pen name must not pass for someone else)."""
    return (
        get_user_model().objects.filter(display_name__iexact=name).exclude(pk=user.pk).exists()
        or Participant.objects.filter(conversation=conversation, pen_name__iexact=name)
        .exclude(user=user)
        .exists()
    )


def set_participation(
    conversation: Conversation,
    *,
    user: Any,
    byline: str,
    pen_name: str = "",
    include_in_transcript: bool,
) -> Participant:
    """Save how the member is named in future answers and their transcript choice.

    Joining the transcript is possible until the host publishes it; leaving it is possible
    at any time (later downloads leave the person's answers out). Raises DomainError for a
    pen-name byline without a pen name, or for joining after publication.
    """
    if not can_take_part(user):
        raise PermissionRefused("Sign in to take part.")
    if byline not in Byline.values:
        raise DomainError("Choose one of the names offered.")
    if byline == Byline.PEN_NAME and not pen_name.strip():
        raise DomainError("Write the pen name you want to use, or choose your display name.")
    if byline == Byline.PEN_NAME and _name_taken(conversation, user, pen_name.strip()[:60]):
        raise DomainError(
            "Someone else is known by that name, so readers could mistake your answers for "
            "theirs. Choose another pen name.",
            code="pen_name_taken",
        )
    participant = participant_for(conversation, user)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if (
        include_in_transcript
        and not participant.include_in_transcript
        and not consent_is_open(conversation)
    ):
        raise DomainError(
            "The transcript has already been published, so it can no longer include new "
            "answers. You can still leave it at any time.",
            code="consent_closed",
        )
    consent_changed = participant.include_in_transcript != include_in_transcript
    participant.byline = byline
    participant.pen_name = pen_name.strip()[:60] if byline == Byline.PEN_NAME else ""
    participant.include_in_transcript = include_in_transcript
    if consent_changed:
        participant.consent_changed_at = timezone.now()
    participant.save()
    if consent_changed:
        log_action(
            "conversations.participant.consent_changed",
            actor=user,
            target=conversation,
            data={"included": include_in_transcript},
        )
    return participant


def check_answer(body: str, *, byline: str = Byline.DISPLAY_NAME) -> dict[str, Any]:
    """What the engine sees in an answer before it is posted (the "check" step).

    Returns {"risk", "words": [{text, alternatives, why}], "personal": [{text, reason}]};
    personal details are pointed out only to people writing under a pen name.
    """
    result = assess_text(body, kind="answer")
    return {
        "risk": str(result.risk),
        "words": [
            {"text": body[f.start : f.end], "alternatives": list(f.alternatives), "why": f.why}
            for f in result.language
        ],
        "personal": [
            {"text": body[f.start : f.end], "reason": f.reason} for f in result.personal_data
        ]
        if byline == Byline.PEN_NAME
        else [],
    }


def require_open(conversation: Conversation, now: datetime) -> None:
    status = conversation.status_at(now)
    if status == ConversationStatus.SCHEDULED:
        raise NotOpen(
            f"This conversation opens on {local_time(conversation, conversation.starts_at)}. "
            "Your answer is kept below, so you can post it then."
        )
    if status == ConversationStatus.CLOSED:
        closed = conversation.closed_at or conversation.ends_at
        raise NotOpen(
            f"This conversation closed on {local_time(conversation, closed)}, so it no longer "
            "takes answers. Your words are kept below if you want to copy them."
        )


@transaction.atomic
def post_answer(
    conversation: Conversation,
    *,
    author: Any,
    question: Question,
    body: str,
    parent: Answer | None = None,
    now: datetime | None = None,
) -> Answer:
    """Post an answer to `question` (or a reply to `parent`), read by the safety engine.

    Refused (DomainError subclasses, nothing saved) outside the open window (NotOpen),
    within the slow-mode interval (SlowModeRefused, saying when the person can post again;
    hosts and moderators are exempt), when empty or too long, or when replying to a reply.
    A crisis reading holds the answer (not public) in the moderators' crisis lane; a
    concern reading publishes it and asks a moderator to look.
    """
    now = now or timezone.now()
    if not can_take_part(author):
        raise PermissionRefused("Sign in to take part.")
    if question.conversation_id != conversation.pk:
        raise DomainError("That question is not part of this conversation.")
    require_open(conversation, now)
    body = body.strip()
    if not body:
        raise DomainError("Write something before posting.", code="empty")
    if len(body) > MAX_ANSWER_LENGTH:
        raise DomainError(
            f"Answers can be up to {MAX_ANSWER_LENGTH} characters; yours has {len(body)}.",
            code="too_long",
        )
    if parent is not None and (
        parent.parent_id is not None or parent.question_id != question.pk or not parent.is_visible
    ):
        raise DomainError("You can reply to a visible answer only (one level of replies).")
    participant = participant_for(conversation, author)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    seconds = conversation.slow_mode_seconds
    if (
        seconds
        and participant.last_answer_at is not None
        and not can_manage_conversation(author, conversation)
    ):
        retry_at = participant.last_answer_at + timedelta(seconds=seconds)
        if now < retry_at:
            wait = int((retry_at - now).total_seconds() + 0.999)
            local = timezone.localtime(retry_at, ZoneInfo(conversation.time_zone))
            raise SlowModeRefused(
                f"Slow mode is on: one answer every {seconds} seconds, so everyone can keep "
                f"up. You can post again in {wait} second{'s' if wait != 1 else ''} "
                f"(at {local:%H:%M:%S}). Your answer is kept below.",
                retry_at=retry_at,
            )
    assessment = assess_text(body, kind="answer").to_dict()
    crisis = assessment["risk"] == "crisis"
    answer = Answer.objects.create(
        conversation=conversation,
        question=question,
        parent=parent,
        author=author,
        byline=participant.byline,
        pen_name=participant.pen_name,
        body=body,
        state=AnswerState.HELD if crisis else AnswerState.PUBLISHED,
        risk=assessment["risk"],
        assessment=assessment,
        seq=_bump(conversation.pk),
    )
    participant.last_answer_at = now
    participant.save(update_fields=["last_answer_at"])
    if assessment["risk"] in ("crisis", "concern"):
        enqueue_for_review(answer, assessment=assessment)
    log_action(
        "conversations.answer.posted",
        actor=author,
        target=answer,
        data={"state": answer.state, "reply": parent is not None},
    )
    return answer


@transaction.atomic
def set_answer_state(answer: Answer, new_state: str, *, actor: Any, message: str = "") -> None:
    """Move an answer held → published | removed, or published → removed (moderators).

    Raises InvalidTransition for any other pair. Audited; live readers see the change.
    """
    old = answer.state
    if (old, new_state) not in ANSWER_TRANSITIONS:
        raise InvalidTransition("That change is not possible for this answer.")
    answer.state = new_state
    answer.moderator_message = message
    answer.seq = _bump(answer.conversation_id)
    answer.save(update_fields=["state", "moderator_message", "seq", "updated_at"])
    log_action(f"conversations.answer.{new_state}", actor=actor, target=answer)


@transaction.atomic
def set_report_hidden(answer: Answer, hidden: bool) -> None:
    """Hide an answer after reports (or show it again after a moderator kept it)."""
    answer.is_hidden = hidden
    answer.seq = _bump(answer.conversation_id)
    answer.save(update_fields=["is_hidden", "seq", "updated_at"])


@transaction.atomic
def set_host_hidden(answer: Answer, *, actor: Any, hidden: bool) -> None:
    """The host hides an answer from the conversation, or shows it again."""
    _require_manager(answer.conversation, actor)
    answer.host_hidden = hidden
    if hidden:
        answer.is_pinned = False
    answer.seq = _bump(answer.conversation_id)
    answer.save(update_fields=["host_hidden", "is_pinned", "seq", "updated_at"])
    log_action(
        "conversations.answer." + ("hidden" if hidden else "shown"), actor=actor, target=answer
    )


@transaction.atomic
def set_pinned(answer: Answer, *, actor: Any, pinned: bool) -> None:
    """Pin an answer to the top of its question (or unpin it). Replies cannot be pinned."""
    _require_manager(answer.conversation, actor)
    if pinned and (answer.parent_id is not None or not answer.is_visible):
        raise DomainError("Only visible answers (not replies) can be pinned.")
    answer.is_pinned = pinned
    answer.seq = _bump(answer.conversation_id)
    answer.save(update_fields=["is_pinned", "seq", "updated_at"])
    log_action(
        "conversations.answer." + ("pinned" if pinned else "unpinned"), actor=actor, target=answer
    )


@transaction.atomic
def set_slow_mode(conversation: Conversation, *, actor: Any, seconds: int) -> None:
    """Turn slow mode on (one answer per `seconds` per person) or off (0)."""
    _require_manager(conversation, actor)
    if conversation.is_closed:
        raise DomainError("This conversation has closed.")
    if not 0 <= seconds <= 3600:
        raise DomainError("Choose an interval between 0 and 3600 seconds.")
    conversation.slow_mode_seconds = seconds
    conversation.save(update_fields=["slow_mode_seconds", "updated_at"])
    _bump(conversation.pk)
    log_action(
        "conversations.conversation.slow_mode",
        actor=actor,
        target=conversation,
        data={"seconds": seconds},
    )


@transaction.atomic
def close_conversation(conversation: Conversation, *, actor: Any) -> None:
    """Close now (early), or cancel one that has not started. No answers are taken after."""
    _require_manager(conversation, actor)
    if conversation.is_closed:
        raise DomainError("This conversation is already closed.", code="closed")
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["closed_at", "updated_at"])
    _bump(conversation.pk)
    log_action("conversations.conversation.closed", actor=actor, target=conversation)


def save_summary(conversation: Conversation, *, actor: Any, summary: str) -> None:
    """The host's summary (Markdown), once the conversation has closed."""
    _require_manager(conversation, actor)
    if not conversation.is_closed:
        raise DomainError("You can write the summary once the conversation has closed.")
    conversation.summary = summary.strip()
    conversation.summary_updated_at = timezone.now()
    conversation.save(update_fields=["summary", "summary_updated_at", "updated_at"])
    log_action("conversations.conversation.summarised", actor=actor, target=conversation)


def publish_transcript(conversation: Conversation, *, actor: Any) -> None:
    """Make the transcript downloadable by anyone; closes the choice to join it.

    Only answers of participants who chose to be included appear in it (see queries).
    """
    _require_manager(conversation, actor)
    if not conversation.is_closed:
        raise DomainError("The transcript can be published once the conversation has closed.")
    if conversation.transcript_published_at is not None:
        raise DomainError("The transcript is already published.", code="published")
    conversation.transcript_published_at = timezone.now()
    conversation.save(update_fields=["transcript_published_at", "updated_at"])
    log_action("conversations.conversation.transcript_published", actor=actor, target=conversation)


def _counter(kind: str) -> str:
    return f"{kind}_count"


@transaction.atomic
def toggle_reaction(answer: Answer, *, user: Any, kind: str) -> bool:
    """Add `user`'s supportive reaction of `kind`, or take it back; return whether it is on.

    Only while the conversation is open (afterwards the counts stay as a record). One of
    each kind per person (unique constraint, so double clicks never count twice);
    the counter moves in the same transaction as the row, and live readers see the count.
    """
    if kind not in ReactionKind.values:
        raise DomainError("That reaction does not exist.")
    if not can_take_part(user):
        raise PermissionRefused("Sign in to send support.")
    if not answer.is_visible:
        raise DomainError("You can react to visible answers only.")
    if answer.conversation.status_at(timezone.now()) != ConversationStatus.OPEN:
        raise DomainError("Support can be sent while the conversation is open.", code="not_open")
    deleted, _ = Reaction.objects.filter(answer=answer, user=user, kind=kind).delete()
    if deleted:
        delta = -1
    else:
        try:
            with transaction.atomic():
                Reaction.objects.create(answer=answer, user=user, kind=kind)
        except IntegrityError:
            return True  # a concurrent request added it: it is on, counted once
        delta = 1
    seq = _bump(answer.conversation_id)
    Answer.objects.filter(pk=answer.pk).update(
        **{_counter(kind): F(_counter(kind)) + delta}, seq=seq
    )
    return delta == 1
