"""Vocabularies of the moderation queue."""

from django.db import models


class Lane(models.TextChoices):
    """Why an item is in the queue. The queue shows crisis first, then reports, then reviews."""

    CRISIS = "crisis", "Crisis"
    REPORT = "report", "Reported"
    REVIEW = "review", "Waiting for review"


LANE_PRIORITY = {Lane.CRISIS: 0, Lane.REPORT: 1, Lane.REVIEW: 2}


class CaseState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Decided"


class Action(models.TextChoices):
    APPROVE = "approve", "Approve and publish"
    REQUEST_CHANGES = "request_changes", "Ask the author for changes"
    DECLINE = "decline", "Decline"
    REMOVE = "remove", "Remove"
    KEEP = "keep", "Keep it up (dismiss the reports)"


class ReportReason(models.TextChoices):
    AT_RISK = "at_risk", "The writer may be at risk"
    HARMFUL_DETAIL = "harmful_detail", "It describes methods or graphic detail"
    STIGMA = "stigma", "It is stigmatising or hurtful"
    HARASSMENT = "harassment", "Harassment or personal attack"
    PRIVACY = "privacy", "It reveals someone's identity or private details"
    SPAM = "spam", "Spam or advertising"
    OTHER = "other", "Something else"
