"""Events of initiatives: a series (one-off or repeating), its materialised occurrences,
RSVPs with a fair waiting list, and personal calendar-feed tokens.

State changes go through `services` only (`set_occurrence_status`, `set_rsvp_state`,
`cancel_series`); see docs/developer/events.md for the model and the state machines.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from beacon.core.models import PublicCodeModel, TimestampedModel
from beacon.events.enums import (
    EventFormat,
    EventKind,
    OccurrenceStatus,
    Recurrence,
    RsvpState,
    SeriesStatus,
)
from beacon.events.recurrence import Schedule, describe
from beacon.initiatives.enums import Audience
from beacon.initiatives.models import Initiative


class EventSeries(PublicCodeModel, TimestampedModel):
    """What an initiative runs: a one-off event or a repeating meeting, in its own zone."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="event_series"
    )
    title = models.CharField(max_length=140)
    description = models.TextField(blank=True, help_text="Markdown")
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    format = models.CharField(
        max_length=10, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    place_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Shown only to people with a confirmed place (never on the public page or feeds).
    online_url = models.URLField(blank=True, max_length=500)
    time_zone = models.CharField(max_length=64, help_text="IANA name, e.g. America/Los_Angeles")
    start_date = models.DateField(help_text="The first date, in the event's time zone.")
    start_time = models.TimeField(help_text="Local wall time; it stays the same across DST.")
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    recurrence = models.CharField(
        max_length=15, choices=Recurrence.choices, default=Recurrence.NONE
    )
    until = models.DateField(null=True, blank=True, help_text="The last possible date.")
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    # ISO dates ("2025-03-11") the series does not meet, in its own time zone.
    skipped_dates = models.JSONField(default=list, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    audience = models.CharField(max_length=30, choices=Audience.choices, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_series",
    )
    confirm_day_before = models.BooleanField(
        default=False, help_text="Ask attendees “still coming?” the day before."
    )
    status = models.CharField(
        max_length=10, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    is_hidden = models.BooleanField(default=False, help_text="Hidden after reports, until reviewed")
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    materialised_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "event series"
        ordering = ["start_date", "start_time", "id"]
        indexes = [models.Index(fields=["initiative", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def skipped(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(d) for d in self.skipped_dates)

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            start_date=self.start_date,
            start_time=self.start_time,
            duration=self.duration,
            time_zone=self.time_zone,
            recurrence=self.recurrence,
            until=self.until,
            count=self.count,
            skipped=self.skipped,
        )

    @property
    def schedule_text(self) -> str:
        return describe(self.schedule)

    @property
    def repeats(self) -> bool:
        return self.recurrence != Recurrence.NONE

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)


class Occurrence(PublicCodeModel):
    """One meeting of a series, materialised for the horizon, with its own changes and counts.

    `day` and `original_start` are the rule's date and instant (the calendar's
    RECURRENCE-ID); `starts_at`/`ends_at` are when it really happens (changed when an
    organiser moves this one meeting). Place fields hold the series' place unless
    `place_changed`. The counters are kept in step by the services in the transaction
    that changes an RSVP; after retention pruning they are all that remains.
    """

    series = models.ForeignKey(EventSeries, on_delete=models.CASCADE, related_name="occurrences")
    day = models.DateField()
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    time_changed = models.BooleanField(default=False)
    place_changed = models.BooleanField(default=False)
    change_note = models.CharField(max_length=300, blank=True)
    place_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    confirmed_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    waitlist_seq = models.PositiveIntegerField(default=0, help_text="Last position handed out.")
    attended_count = models.PositiveIntegerField(default=0)
    returning_count = models.PositiveIntegerField(default=0)
    attendance_recorded = models.BooleanField(default=False)
    counted_at = models.DateTimeField(null=True, blank=True, help_text="When counts were taken")
    rsvps_pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "day"], name="events_one_meeting_a_day"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="events_places_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="events_occ_upcoming"),
            models.Index(fields=["latitude", "longitude", "starts_at"], name="events_occ_place"),
            models.Index(fields=["series", "starts_at"], name="events_occ_series"),
        ]

    def __str__(self) -> str:
        return f"{self.series.title} ({self.day:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("events:occurrence", args=[self.code])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.series.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def when_text(self) -> str:
        """ "Tuesday 14 January 2025, 7:00 PM – 8:30 PM PST", in the event's own zone."""
        start, end = self.local_start, self.local_end
        text = f"{start:%A} {start.day} {start:%B %Y}, {_clock(start)} – "
        if end.date() != start.date():
            text += f"{end:%A} {end.day} {end:%B}, "
        return text + f"{_clock(end)} {end:%Z}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def attendance_from_rsvps(self) -> tuple[int, int]:
        """(attendance, returning attendees) read from the RSVPs still kept.

        Attendance is the people marked attended; when nobody recorded attendance, the
        people who held a place. A returning attendee also came to (or held a place at) an
        earlier, not cancelled meeting of the same initiative whose RSVPs are still kept.
        """
        if self.status == OccurrenceStatus.CANCELLED:
            return 0, 0
        states = (
            (RsvpState.ATTENDED,)
            if self.attendance_recorded
            else (RsvpState.CONFIRMED, RsvpState.ATTENDED)
        )
        present = list(self.rsvps.filter(state__in=states).values_list("user_id", "email"))
        earlier = Rsvp.objects.filter(
            occurrence__series__initiative_id=self.series.initiative_id,
            occurrence__starts_at__lt=self.starts_at,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            state__in=(RsvpState.CONFIRMED, RsvpState.ATTENDED),
        )
        user_ids = {u for u, _ in present if u}
        emails = {e for u, e in present if not u}
        seen_users = (
            set(earlier.filter(user_id__in=user_ids).values_list("user_id", flat=True))
            if user_ids
            else set()
        )
        seen_emails = (
            set(earlier.filter(user=None, email__in=emails).values_list("email", flat=True))
            if emails
            else set()
        )
        returning = sum(1 for u, e in present if (u in seen_users if u else e in seen_emails))
        return len(present), returning


class Rsvp(PublicCodeModel, TimestampedModel):
    """A person's answer to one occurrence: a member (user) or a guest (email only).

    The name is for the organisers of the initiative and the series' facilitator, the email
    for mail only; everyone else sees only counts. Deleted BEACON_RSVP_RETENTION_DAYS after the
    event, leaving the occurrence's counters.
    """

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_rsvps",
    )
    email = models.EmailField(blank=True, help_text="Guests only; lower-cased.")
    name = models.CharField(max_length=80, blank=True, help_text="Guests only.")
    state = models.CharField(max_length=15, choices=RsvpState.choices)
    position = models.PositiveIntegerField(null=True, blank=True, help_text="Waiting-list order")
    remind_day_before = models.BooleanField(default=True)
    remind_hour_before = models.BooleanField(default=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    day_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    hour_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    reconfirm_sent_at = models.DateTimeField(null=True, blank=True)
    reconfirmed_at = models.DateTimeField(null=True, blank=True)
    # When a guest's request was last answered by mail (the confirmation link, or "you
    # already answered"): asking again within GUEST_MAIL_INTERVAL sends nothing new.
    guest_mail_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"],
                condition=Q(user__isnull=False),
                name="events_rsvp_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "email"],
                condition=Q(user__isnull=True),
                name="events_rsvp_once_per_guest",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "position"],
                condition=Q(state="waitlisted"),
                name="events_one_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="events_rsvp_has_someone"
            ),
        ]
        indexes = [
            models.Index(fields=["occurrence", "state", "position"], name="events_rsvp_state"),
            models.Index(fields=["user", "state"], name="events_rsvp_user"),
        ]

    def __str__(self) -> str:
        return f"RSVP {self.code} ({self.state})"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def holds_place(self) -> bool:
        return self.state in (RsvpState.CONFIRMED, RsvpState.ATTENDED, RsvpState.NO_SHOW)

    @property
    def person_name(self) -> str:
        """The name organisers see (a guest's typed name, or the member's display name)."""
        if self.user_id is not None:
            return self.user.display_name
        return self.name or "Guest (no name given)"

    @property
    def mail_to(self) -> str:
        return self.user.email if self.user_id is not None else self.email


def _clock(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's personal calendar-feed URL; regenerate to revoke the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
