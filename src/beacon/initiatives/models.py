"""Grassroots initiatives: the groups, their members, training, volunteer roles and hours.

`Initiative.status` changes only through `services.set_initiative_status`; see
docs/developer/initiatives.md for the data model and the state machines.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.core.models import PublicCodeModel, TimestampedModel
from beacon.initiatives.enums import (
    Activity,
    ApplicationState,
    Audience,
    InitiativeStatus,
    MemberRole,
    MembershipState,
    Setting,
    TrainingKind,
)


class Initiative(PublicCodeModel, TimestampedModel):
    """A grassroots group: peer-support circles, community projects, online spaces."""

    name = models.CharField(max_length=120)
    mission = models.TextField(max_length=600, help_text="One or two sentences.")
    description = models.TextField(blank=True, help_text="Markdown")
    setting = models.CharField(max_length=10, choices=Setting.choices, default=Setting.URBAN)
    place_name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    areas_served = models.TextField(max_length=1000, blank=True)
    partners = models.TextField(max_length=1000, blank=True)
    # The group's public contact points, never a person's account details.
    contact_url = models.URLField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PENDING,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_created",
    )
    moderator_message = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    listed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden after reports, until reviewed")
    # The engine's latest reading of mission and description, for organisers and moderators.
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    # New words (name, mission, description) for a listed initiative, waiting for a
    # moderator; the listed words stay public meanwhile. Empty when nothing waits.
    pending_edit = models.JSONField(default=dict, blank=True)
    pending_assessment = models.JSONField(default=dict, blank=True)
    edit_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="initiatives_lat_lon"),
            models.Index(fields=["status", "is_hidden", "setting"], name="initiatives_public"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == InitiativeStatus.LISTED and not self.is_hidden

    @property
    def has_pending_edit(self) -> bool:
        return bool(self.pending_edit)

    @property
    def review_risk(self) -> str:
        """The engine's reading of the words waiting for review (a pending edit, or the
        initiative's own words)."""
        if self.pending_edit:
            return str(self.pending_assessment.get("risk", "none"))
        return self.risk

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def audience_values(self) -> list[str]:
        return [a.audience for a in self.audiences.all()]

    @property
    def activity_values(self) -> list[str]:
        return [a.activity for a in self.activities.all()]

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(v).label for v in sorted(self.audience_values)]

    @property
    def activity_labels(self) -> list[str]:
        return [Activity(v).label for v in sorted(self.activity_values)]


class InitiativeAudience(models.Model):
    """One audience an initiative serves (a row per value, so filters work on every DB)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(max_length=30, choices=Audience.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "audience"], name="initiatives_audience_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_audience_display()


class InitiativeActivity(models.Model):
    """One activity an initiative runs."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="activities")
    activity = models.CharField(max_length=30, choices=Activity.choices, db_index=True)

    class Meta:
        verbose_name_plural = "initiative activities"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "activity"], name="initiatives_activity_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_activity_display()


class Membership(TimestampedModel):
    """A person's place in an initiative; only `active` memberships carry a role's rights."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_memberships"
    )
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    state = models.CharField(
        max_length=10, choices=MembershipState.choices, default=MembershipState.REQUESTED
    )
    message = models.TextField(
        max_length=1000, blank=True, help_text="What the person wrote when asking to join."
    )

    class Meta:
        ordering = ["initiative", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiatives_member_once")
        ]
        indexes = [models.Index(fields=["user", "state", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.initiative} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self, *, on: date) -> TrainingRecordQuerySet:
        """Records in force on `on`: completed by then and not yet expired (expiry day counts)."""
        return self.filter(completed_on__lte=on).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on)
        )


class TrainingRecord(TimestampedModel):
    """A training a person completed, recorded by an organiser (or an admin)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records"
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_records",
        help_text="The initiative whose organiser recorded it; empty for site-wide records.",
    )
    kind = models.CharField(max_length=15, choices=TrainingKind.choices)
    title = models.CharField(max_length=120, blank=True, help_text="Course name, if useful.")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["user", "kind", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="initiatives_training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.completed_on:%Y-%m-%d})"


class VolunteerRole(PublicCodeModel, TimestampedModel):
    """A way to help an initiative, that people can apply for."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="volunteer_roles"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=3000, blank=True)
    # Training kinds (TrainingKind values) a volunteer must hold, current, to be approved.
    requirements = models.JSONField(default=list, blank=True)
    time_commitment = models.CharField(max_length=120, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_open", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def requirement_labels(self) -> list[str]:
        return [TrainingKind(k).label for k in self.requirements if k in TrainingKind.values]


class VolunteerApplication(TimestampedModel):
    """A person's offer to take on a volunteer role."""

    role = models.ForeignKey(VolunteerRole, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_applications"
    )
    state = models.CharField(
        max_length=10, choices=ApplicationState.choices, default=ApplicationState.REQUESTED
    )
    message = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "user"], name="initiatives_apply_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.role} ({self.state})"


class VolunteerShift(TimestampedModel):
    """Hours a person gave an initiative on one day, for the impact figures."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="volunteer_shifts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_shifts",
    )
    role = models.ForeignKey(
        VolunteerRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["initiative", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="initiatives_shift_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.date:%Y-%m-%d}"
