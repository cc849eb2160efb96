"""Vocabularies of events and the state machines' allowed transitions."""

from __future__ import annotations

from django.db import models


class EventKind(models.TextChoices):
    SUPPORT_GROUP = "support_group", "Support group"
    WORKSHOP = "workshop", "Workshop"
    AWARENESS = "awareness", "Awareness event"
    SOCIAL = "social", "Social"
    OTHER = "other", "Other"


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person and online"


class Recurrence(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every other week"
    MONTHLY_NTH = "monthly_nth", "Every month on the same weekday (e.g. 2nd Tuesday)"
    MONTHLY_LAST = "monthly_last", "Every month on the last of that weekday (e.g. last Friday)"


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"


SERIES_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("active", "cancelled"),  # the organisers stop the series; future dates are cancelled
    }
)


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


OCCURRENCE_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("scheduled", "cancelled"),
        ("cancelled", "scheduled"),  # reinstated by an organiser (before it starts)
    }
)


class RsvpState(models.TextChoices):
    PENDING_EMAIL = "pending_email", "Waiting for email confirmation"
    CONFIRMED = "confirmed", "Place confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not come"


# (from, to) pairs that services.set_rsvp_state accepts; everything else is refused.
RSVP_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("pending_email", "confirmed"),  # a guest clicked the emailed link, a place was free
        ("pending_email", "waitlisted"),  # … or the event was full
        ("pending_email", "cancelled"),
        ("waitlisted", "confirmed"),  # promoted when a place came free
        ("waitlisted", "cancelled"),
        ("confirmed", "cancelled"),  # the person cancelled, or did not answer "still coming?"
        ("confirmed", "attended"),  # an organiser marks attendance after the start
        ("confirmed", "no_show"),
        ("attended", "no_show"),  # corrections
        ("no_show", "attended"),
        ("cancelled", "pending_email"),  # a guest asks again
        ("cancelled", "confirmed"),  # a member asks again and a place is free
        ("cancelled", "waitlisted"),
    }
)

# States that hold a place (count against capacity).
HOLDS_PLACE = frozenset({RsvpState.CONFIRMED, RsvpState.ATTENDED, RsvpState.NO_SHOW})
# States in which a person is still "going" (they get reminders and cancellation notices).
ACTIVE_STATES = frozenset({RsvpState.CONFIRMED, RsvpState.WAITLISTED})
# Initiative roles that see the names of every event's attendees: the organisers. A
# facilitator sees them only for the series they facilitate (`EventSeries.facilitator`):
# names are for "that event's organisers and facilitators", not the whole group's.
NAME_READER_ROLES = frozenset({"organiser"})

# How far ahead occurrences are materialised as rows.
HORIZON_DAYS = 180
# "Still coming?": asked about a day before; places not confirmed this many hours before
# the start are released to the waiting list.
RECONFIRM_DEADLINE_HOURS = 4
# Everyone asked gets at least this long to answer: the question goes only to meetings
# more than RECONFIRM_DEADLINE_HOURS + this away, and nobody is released sooner than this
# after being asked. People who book (or are promoted) later are not asked at all.
RECONFIRM_GRACE_HOURS = 2

# A guest asking again for the same meeting with the same address gets no new mail within
# this many minutes of the last one (the page still says "check your email").
GUEST_MAIL_INTERVAL_MINUTES = 10
