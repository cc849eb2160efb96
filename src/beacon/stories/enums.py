"""Vocabularies and the story state machine's allowed transitions."""

from __future__ import annotations

from django.db import models


class StoryKind(models.TextChoices):
    RECOVERY = "recovery", "Recovery story"
    TRIBUTE = "tribute", "Hero tribute"


class StoryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending_review", "Waiting for review"
    CHANGES = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REMOVED = "removed", "Removed by a moderator"


# (from, to) pairs that set_story_state accepts; everything else is refused.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("draft", "pending_review"),
        ("draft", "published"),  # trusted authors, when the site allows it
        ("pending_review", "published"),
        ("pending_review", "changes_requested"),
        ("pending_review", "declined"),
        ("pending_review", "draft"),  # the author takes it back to edit
        ("pending_review", "withdrawn"),
        ("changes_requested", "pending_review"),
        ("changes_requested", "draft"),
        ("changes_requested", "withdrawn"),
        ("published", "withdrawn"),
        ("published", "removed"),
        ("published", "pending_review"),  # edited after publishing: reviewed again
        ("withdrawn", "draft"),
        ("declined", "draft"),
    }
)


class Theme(models.TextChoices):
    VULNERABILITY = "vulnerability", "Vulnerability"
    BREAKING_STIGMA = "breaking-stigma", "Breaking stigma"
    SUPPORT = "support-and-community", "Support and community"
    HOPE = "hope-and-resilience", "Hope and resilience"
    SELF_CARE = "self-care-and-treatment", "Self-care and treatment"
    SETBACKS = "setbacks-and-relapse", "Setbacks and relapse"
    PURPOSE = "purpose-and-meaning", "Purpose and meaning"
    EVERYDAY = "everyday-life", "Everyday life"
    ADVOCACY = "advocacy", "Advocacy"


class Byline(models.TextChoices):
    DISPLAY_NAME = "display_name", "My display name"
    PEN_NAME = "pen_name", "A pen name for this story"
    ANONYMOUS = "anonymous", "Anonymous"


class HeroCategory(models.TextChoices):
    ADVOCATE = "advocate", "Advocate"
    CAREGIVER = "caregiver", "Caregiver"
    PROFESSIONAL = "professional", "Professional"
    YOUNG_PERSON = "young-person", "Young person"
    COMMUNITY = "community", "Community or group"
    POLICY = "policy-champion", "Policy or institutional champion"


class Consent(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    PENDING = "pending", "Waiting for the hero's answer"
    CONFIRMED = "confirmed", "Confirmed by the hero"
    DECLINED = "declined", "Declined by the hero"


class HeroNaming(models.TextChoices):
    FULL = "full", "My full name"
    FIRST = "first", "My first name only"
    ANONYMOUS = "anonymous", "Don't name me"


class ReactionKind(models.TextChoices):
    THANKS = "thanks", "Thank you for sharing"
    HOPE = "hope", "This gives me hope"
    ME_TOO = "me_too", "Me too"


class CommentState(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Declined"
    REMOVED = "removed", "Removed"


class WarningPreference(models.TextChoices):
    SHOW = "show", "Show"
    BLUR = "blur", "Show behind a warning"
    HIDE = "hide", "Hide"


# Sets used by the rules, the model and the queries alike (one definition each).
EDITABLE_STATES = frozenset(
    {
        StoryState.DRAFT,
        StoryState.PENDING,
        StoryState.CHANGES,
        StoryState.PUBLISHED,
        StoryState.DECLINED,
        StoryState.WITHDRAWN,
    }
)
PUBLIC_CONSENT = (Consent.NOT_NEEDED, Consent.CONFIRMED)
# Warnings next to which a story always shows the help link.
HELP_WARNINGS = frozenset({"suicide", "self-harm"})
