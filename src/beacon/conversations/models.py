"""Guided conversations: scheduled, hosted sessions of questions, each tagged with a lens,
answered live by members; replies one level deep, supportive reactions, transcript consent.

Answer states change through `services.set_answer_state` only; see
docs/developer/conversations.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from beacon.conversations.enums import AnswerState, Byline, ConversationStatus, ReactionKind
from beacon.core.models import PublicCodeModel, TimestampedModel


class Lens(models.Model):
    """A way of looking at a question (Self / Society / System by default); admin-editable."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Unticked: hosts can no longer choose it (old questions keep it)."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "lenses"

    def __str__(self) -> str:
        return self.name


class Conversation(PublicCodeModel, TimestampedModel):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_conversations",
    )
    title = models.CharField(max_length=140)
    introduction = models.TextField(help_text="Markdown")
    time_zone = models.CharField(max_length=64, help_text="The host's IANA time zone")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Closed early by the host")
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True, help_text="Markdown, written by the host after close")
    summary_updated_at = models.DateTimeField(null=True, blank=True)
    transcript_published_at = models.DateTimeField(null=True, blank=True)
    # Bumped (in the same transaction, under the row lock) by every change readers see; an
    # answer keeps the value of its last change. Polls ask for "everything after N".
    seq = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="conversations_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status_at(self, now) -> str:  # type: ignore[no-untyped-def]
        if self.closed_at is not None or now >= self.ends_at:
            return ConversationStatus.CLOSED.value
        if now < self.starts_at:
            return ConversationStatus.SCHEDULED.value
        return ConversationStatus.OPEN.value

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == ConversationStatus.CLOSED

    @property
    def closed_time(self):  # type: ignore[no-untyped-def]
        """When it closed (early or at its end), or None while not closed."""
        if self.closed_at is not None:
            return self.closed_at
        return self.ends_at if timezone.now() >= self.ends_at else None


class Question(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    lens = models.ForeignKey(Lens, on_delete=models.PROTECT, related_name="questions")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "position"], name="conversations_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def number(self) -> int:
        return self.position + 1


class Participant(models.Model):
    """A member's place in one conversation: how they are named, slow mode, consent."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_places"
    )
    byline = models.CharField(max_length=15, choices=Byline.choices, default=Byline.DISPLAY_NAME)
    pen_name = models.CharField(max_length=60, blank=True)
    include_in_transcript = models.BooleanField(default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conversations_one_place_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Answer(PublicCodeModel, TimestampedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversation_answers",
    )
    byline = models.CharField(max_length=15, choices=Byline.choices, default=Byline.DISPLAY_NAME)
    pen_name = models.CharField(max_length=60, blank=True)
    body = models.TextField(max_length=2000)
    state = models.CharField(
        max_length=10, choices=AnswerState.choices, default=AnswerState.PUBLISHED
    )
    host_hidden = models.BooleanField(default=False, help_text="Hidden by the host")
    is_hidden = models.BooleanField(default=False, help_text="Hidden after reports")
    is_pinned = models.BooleanField(default=False)
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    moderator_message = models.TextField(blank=True)
    seq = models.BigIntegerField(default=0)
    with_you_count = models.PositiveIntegerField(default=0)
    thank_you_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "seq"], name="conversations_answer_seq"),
            models.Index(fields=["question", "state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Answer to “{self.question}”"

    @property
    def is_visible(self) -> bool:
        """Whether members (not only the author, host or moderators) can read it."""
        return self.state == AnswerState.PUBLISHED and not self.host_hidden and not self.is_hidden

    @property
    def byline_name(self) -> str:
        if self.byline == Byline.PEN_NAME and self.pen_name:
            return self.pen_name
        if self.author is not None:
            return self.author.display_name
        return "A former member"

    def reaction_count(self, kind: str) -> int:
        return getattr(self, f"{kind}_count")


class Reaction(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "user", "kind"], name="conversations_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.answer_id}"


def visible_answer_q() -> Q:
    """The condition an answer meets to be readable by every member."""
    return Q(state=AnswerState.PUBLISHED, host_hidden=False, is_hidden=False)
