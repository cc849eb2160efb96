"""HSDS 3.0 code lists used by the directory, and Beacon's report reasons."""

from django.db import models


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class PhoneType(models.TextChoices):
    TEXT = "text", "Text (SMS)"
    VOICE = "voice", "Voice"
    FAX = "fax", "Fax"
    CELL = "cell", "Cell"
    VIDEO = "video", "Video"
    PAGER = "pager", "Pager"
    TEXTPHONE = "textphone", "Textphone"


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class Channel(models.TextChoices):
    """How a person reaches a service; also scopes schedules (per-channel hours)."""

    CALL = "call", "Call"
    TEXT = "text", "Text"
    CHAT = "chat", "Chat"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"


class ReportReason(models.TextChoices):
    NUMBER_FAILED = "number_failed", "The number didn't work"
    CLOSED = "closed", "It has closed"
    WRONG_HOURS = "wrong_hours", "The hours are wrong"
    OTHER = "other", "Something else"


class ReportState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
