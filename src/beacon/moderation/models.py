"""Cases in the moderation queue, the decisions taken on them, and readers' reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from beacon.core.models import PublicCodeModel, TimestampedModel
from beacon.moderation.enums import Action, CaseState, Lane, ReportReason


class Case(PublicCodeModel, TimestampedModel):
    """One item waiting for (or having had) a moderator's decision.

    At most one open case exists per item (a database constraint). The engine's assessment
    at the time the item entered the queue is kept in `assessment` (signals with spans and
    reasons), so moderators see why it was flagged.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    lane = models.CharField(max_length=10, choices=Lane.choices, default=Lane.REVIEW)
    priority = models.PositiveSmallIntegerField(default=2, db_index=True)
    state = models.CharField(max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    waiting_since = models.DateTimeField(db_index=True)
    report_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["priority", "waiting_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="open"),
                name="moderation_one_open_case_per_item",
            )
        ]
        indexes = [models.Index(fields=["state", "priority", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.get_lane_display()} case {self.code}"

    @property
    def target(self) -> models.Model | None:
        model = self.content_type.model_class()
        return model.objects.filter(pk=self.object_id).first() if model else None


class Decision(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]


class Report(TimestampedModel):
    """A reader's report about a published item. One per person per item (a constraint)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(blank=True, max_length=1000)
    case = models.ForeignKey(Case, null=True, on_delete=models.SET_NULL, related_name="reports")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                name="moderation_one_report_per_person",
            )
        ]
