"""Vocabularies of the help app."""

from django.db import models


class ChannelKind(models.TextChoices):
    CALL = "call", "Call"
    TEXT = "text", "Text"
    CHAT = "chat", "Chat"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class LineStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Verified"
    UNVERIFIED = "unverified", "Not yet verified"


class Origin(models.TextChoices):
    SHIPPED = "shipped", "From Beacon's data file"
    LOCAL = "local", "Added on this site"
