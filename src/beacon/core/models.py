"""Base models shared by every app, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from beacon.core.codes import CODE_LENGTH, new_code


class TimestampedModel(models.Model):
    """Adds `created_at` and `updated_at`, maintained by the database layer."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicCodeModel(models.Model):
    """Adds a random, unique `code` used in public URLs instead of the primary key."""

    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which object, and when.

    Written only through `beacon.core.audit.log_action`. The actor is kept as a foreign key
    (nulled when an account is deleted) so the log itself never stores an email address.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}".strip()
