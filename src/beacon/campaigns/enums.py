"""Vocabularies of campaigns and pledges, and the campaign state machine's transitions."""

from __future__ import annotations

from django.db import models


class CampaignState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# (from, to) pairs that services.set_campaign_state accepts; everything else is refused.
CAMPAIGN_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("draft", "published"),
        ("published", "draft"),  # taken down to rework
        ("published", "archived"),  # over, or removed by a moderator
        ("archived", "published"),
        ("archived", "draft"),
    }
)


class PledgeKind(models.TextChoices):
    PERSONAL = "personal", "People sign it"
    ORGANISATIONAL = "organisational", "Organisations commit to it with an action plan"


class CommitmentState(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Declined"
    REMOVED = "removed", "Removed by a moderator"


COMMITMENT_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("pending", "published"),
        ("pending", "declined"),
        ("published", "removed"),
    }
)


class CheckInState(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Held for a moderator"
    REMOVED = "removed", "Removed by a moderator"


# A check-in the engine reads as crisis is held until a moderator has read it.
CHECK_IN_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("held", "published"),
        ("held", "removed"),
        ("published", "removed"),
    }
)


class FollowUp(models.TextChoices):
    """The follow-up emails a signer gets, named by the day after signing they are due."""

    DAY_7 = "7", "After 7 days"
    DAY_30 = "30", "After 30 days"


FOLLOW_UP_DAYS = {FollowUp.DAY_7: 7, FollowUp.DAY_30: 30}
