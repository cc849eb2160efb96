"""Vocabularies of grassroots initiatives and the listing state machine's allowed transitions."""

from __future__ import annotations

from django.db import models


class Setting(models.TextChoices):
    URBAN = "urban", "Urban"
    RURAL = "rural", "Rural"
    ONLINE = "online", "Online"


class InitiativeStatus(models.TextChoices):
    PENDING = "pending_review", "Waiting for review"
    LISTED = "listed", "Listed"
    CHANGES = "changes_requested", "Changes requested"
    DECLINED = "declined", "Declined"
    ARCHIVED = "archived", "Archived"


# (from, to) pairs that set_initiative_status accepts; everything else is refused.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("pending_review", "listed"),
        ("pending_review", "changes_requested"),
        ("pending_review", "declined"),
        ("changes_requested", "pending_review"),  # the organisers edited and resubmitted
        ("changes_requested", "archived"),
        # No ("listed", "pending_review"): new words of a listed initiative wait in
        # `pending_edit` while the listed version stays public (services.update_initiative).
        ("listed", "archived"),  # organisers close the group, or a moderator removes it
        ("declined", "pending_review"),  # organisers fixed it and try again
        ("archived", "pending_review"),  # reopened: reviewed again before it is public
        ("pending_review", "archived"),
    }
)


class Audience(models.TextChoices):
    ADULTS = "adults", "Adults"
    YOUNG_PEOPLE = "young_people", "Young people (under 25)"
    OLDER_ADULTS = "older_adults", "Older adults"
    PARENTS_CARERS = "parents_carers", "Parents and carers"
    LGBTQ = "lgbtq", "LGBTQ+ people"
    VETERANS = "veterans", "Veterans"
    BIPOC = "bipoc", "Black, Indigenous and people of colour"
    MEN = "men", "Men"
    WOMEN = "women", "Women"
    FARMERS = "farmers", "Farmers and rural workers"
    STUDENTS = "students", "Students"
    BEREAVED = "bereaved", "People who are bereaved"


class Activity(models.TextChoices):
    SUPPORT_GROUPS = "support_groups", "Peer support groups"
    COUNSELLING = "counselling", "Counselling"
    WORKSHOPS = "workshops", "Workshops"
    CREATIVE_THERAPIES = "creative_therapies", "Creative therapies"
    SOCIAL_EVENTS = "social_events", "Social events"
    ONLINE_FORUMS = "online_forums", "Online forums"
    AWARENESS = "awareness", "Awareness and education"


class MemberRole(models.TextChoices):
    ORGANISER = "organiser", "Organiser"
    FACILITATOR = "facilitator", "Facilitator"
    VOLUNTEER = "volunteer", "Volunteer"
    MEMBER = "member", "Member"


class MembershipState(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"


# (from, to) pairs that set_membership_state accepts.
MEMBERSHIP_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("requested", "active"),  # an organiser approves
        ("requested", "declined"),  # an organiser declines
        ("requested", "left"),  # the person takes the request back
        ("active", "left"),  # the person leaves, or an organiser removes them
        ("left", "requested"),  # asks to join again
        ("left", "active"),  # re-added directly (volunteer approval)
        ("declined", "active"),  # approved later after all (volunteer approval)
    }
)

# Roles in order of rights; a lower index holds more.
ROLE_ORDER = ("organiser", "facilitator", "volunteer", "member")


class TrainingKind(models.TextChoices):
    FACILITATOR = "facilitator", "Peer-support facilitator"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    FIRST_AID = "first_aid", "Mental-health first aid"
    OTHER = "other", "Other training"


class ApplicationState(models.TextChoices):
    REQUESTED = "requested", "Waiting for an answer"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# (from, to) pairs that set_application_state accepts.
APPLICATION_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("requested", "approved"),
        ("requested", "declined"),
        ("requested", "withdrawn"),
        ("approved", "withdrawn"),  # the volunteer steps down
        ("withdrawn", "requested"),  # offers again
    }
)


# Sets used by the rules, the models and the queries alike (one definition each).
PUBLIC_STATUSES = frozenset({InitiativeStatus.LISTED})
EDITABLE_STATUSES = frozenset(
    {
        InitiativeStatus.PENDING,
        InitiativeStatus.LISTED,
        InitiativeStatus.CHANGES,
        InitiativeStatus.DECLINED,
    }
)
