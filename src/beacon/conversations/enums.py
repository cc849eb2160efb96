"""Vocabularies of guided conversations and the answer state machine's allowed transitions."""

from __future__ import annotations

from django.db import models


class ConversationStatus(models.TextChoices):
    """Where a conversation is in time. Derived from the clock, never stored."""

    SCHEDULED = "scheduled", "Coming up"
    OPEN = "open", "Open now"
    CLOSED = "closed", "Closed"


class AnswerState(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Held for a moderator"
    REMOVED = "removed", "Removed by a moderator"


# (from, to) pairs that services.set_answer_state accepts; everything else is refused.
ANSWER_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("held", "published"),  # a moderator read it and publishes it
        ("held", "removed"),
        ("published", "removed"),
    }
)


class Byline(models.TextChoices):
    DISPLAY_NAME = "display_name", "My display name"
    PEN_NAME = "pen_name", "A pen name for this conversation"


class ReactionKind(models.TextChoices):
    """A small fixed set of supportive reactions: no dislikes, no scores."""

    WITH_YOU = "with_you", "With you"
    THANK_YOU = "thank_you", "Thank you"
    ME_TOO = "me_too", "Me too"


# Slow-mode choices a host can pick, in seconds (0 = off).
SLOW_MODE_CHOICES = [
    (0, "Off"),
    (30, "One answer every 30 seconds"),
    (60, "One answer a minute"),
    (120, "One answer every 2 minutes"),
    (300, "One answer every 5 minutes"),
]
