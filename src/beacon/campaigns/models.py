"""Campaigns, their toolkits and calls for stories; pledges, signatures and organisations'
commitments with check-ins.

`Campaign.state` changes only through `services.set_campaign_state`; a signature counts
(`Pledge.signature_count`) only once confirmed, moved in the same transaction as the row.
See docs/developer/campaigns.md.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from beacon.campaigns.enums import CampaignState, CheckInState, CommitmentState, PledgeKind
from beacon.campaigns.validators import validate_share_image, validate_toolkit_file
from beacon.core.codes import new_code
from beacon.core.models import PublicCodeModel, TimestampedModel


def _stored_name(folder: str, campaign_code: str, filename: str) -> str:
    # A random name on disk: nothing typed by a person reaches the file system.
    ext = PurePath(filename).suffix.lower()[:6]
    return f"campaigns/{campaign_code}/{folder}/{new_code(16)}{ext}"


def toolkit_file_path(instance: ToolkitFile, filename: str) -> str:
    return _stored_name("files", instance.campaign.code, filename)


def toolkit_image_path(instance: ToolkitImage, filename: str) -> str:
    return _stored_name("images", instance.campaign.code, filename)


class Campaign(PublicCodeModel, TimestampedModel):
    title = models.CharField(max_length=140)
    goal = models.CharField(max_length=300, help_text="What the campaign wants to change")
    description = models.TextField(help_text="Markdown")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=CampaignState.choices, default=CampaignState.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns_created",
    )
    # Events that are part of the campaign (run by initiatives, in the events app).
    events = models.ManyToManyField("events.EventSeries", blank=True, related_name="campaigns")
    # The engine's latest reading of title + goal + description.
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaigns_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["state", "-starts_on"], name="campaigns_listing")]

    def __str__(self) -> str:
        return self.title


class CallForStories(PublicCodeModel, TimestampedModel):
    """A prompt inviting stories; a story answering it carries this code as `prompt_code`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="calls")
    prompt = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, help_text="Markdown")
    is_open = models.BooleanField(default=True)
    # When the call last closed (None while open): stories sent after it do not answer it.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "calls for stories"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.prompt


class ToolkitFile(PublicCodeModel, TimestampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="toolkit_files")
    title = models.CharField(max_length=140)
    description = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=toolkit_file_path, validators=[validate_toolkit_file])
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return PurePath(self.file.name).suffix.lower().lstrip(".")


class ToolkitSnippet(TimestampedModel):
    """Text ready to copy and share (a post, a message to a representative)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="toolkit_snippets"
    )
    title = models.CharField(max_length=140)
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class ToolkitImage(PublicCodeModel, TimestampedModel):
    """An image to share, always with alt text for people who use screen readers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="toolkit_images")
    image = models.FileField(upload_to=toolkit_image_path, validators=[validate_share_image])
    alt_text = models.CharField(max_length=300)
    caption = models.CharField(max_length=300, blank=True)
    original_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def extension(self) -> str:
        return PurePath(self.image.name).suffix.lower().lstrip(".")


class Pledge(PublicCodeModel, TimestampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pledges")
    kind = models.CharField(max_length=16, choices=PledgeKind.choices, default=PledgeKind.PERSONAL)
    title = models.CharField(max_length=140)
    statement = models.TextField(max_length=2000, help_text="What signers commit to")
    goal = models.PositiveIntegerField(default=100)
    is_open = models.BooleanField(default=True)
    followup_7_action = models.TextField(
        max_length=2000, blank=True, help_text="One concrete action, mailed 7 days after signing"
    )
    followup_30_action = models.TextField(
        max_length=2000, blank=True, help_text="One concrete action, mailed 30 days after signing"
    )
    # Confirmed signatures, moved with F() in the transaction that confirms or erases a row.
    signature_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Signature(PublicCodeModel):
    """One person's signature: with an account (confirmed at once), or a guest's email
    (counted once the emailed link is opened). A name is shown only if `show_name`."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledge_signatures",
    )
    email = models.EmailField(blank=True, help_text="Guests only; never shown")
    name = models.CharField(max_length=60, blank=True, help_text="Guests: first name as typed")
    show_name = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    followup_7_sent_at = models.DateTimeField(null=True, blank=True)
    followup_30_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "user"],
                condition=Q(user__isnull=False),
                name="campaigns_one_signature_per_account",
            ),
            models.UniqueConstraint(
                fields=["pledge", "email"],
                condition=~Q(email=""),
                name="campaigns_one_signature_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["pledge", "-confirmed_at"], name="campaigns_sig_recent"),
            models.Index(fields=["confirmed_at"], name="campaigns_sig_followups"),
        ]

    def __str__(self) -> str:
        return f"Signature {self.code}"

    @property
    def public_name(self) -> str:
        """What readers see: the name only with the signer's consent, else "someone"."""
        if self.show_name:
            if self.user_id is not None and self.user is not None:
                return self.user.display_name
            if self.name:
                return self.name
        return "someone"

    @property
    def address(self) -> str:
        """Where this signer's mail goes (the account's address, or the guest's)."""
        return self.user.email if self.user_id is not None and self.user else self.email


class OrganisationCommitment(PublicCodeModel, TimestampedModel):
    """An organisation signs an organisational pledge with an action plan; its representative
    posts dated check-ins. Public once a moderator has read it."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="commitments")
    organisation_name = models.CharField(max_length=140)
    website = models.URLField(blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation_commitments",
    )
    action_plan = models.TextField(max_length=10000, help_text="Markdown")
    state = models.CharField(
        max_length=12, choices=CommitmentState.choices, default=CommitmentState.PENDING
    )
    moderator_message = models.TextField(blank=True)
    is_hidden = models.BooleanField(default=False)
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("organisation_name"), "pledge", name="campaigns_one_commitment_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.organisation_name

    @property
    def is_public(self) -> bool:
        return self.state == CommitmentState.PUBLISHED and not self.is_hidden


class CheckIn(TimestampedModel):
    """A dated progress update on an organisation's action plan. Public while `published`;
    one the engine reads as crisis is `held` for the moderators' crisis lane."""

    commitment = models.ForeignKey(
        OrganisationCommitment, on_delete=models.CASCADE, related_name="check_ins"
    )
    on = models.DateField()
    progress = models.TextField(max_length=5000, help_text="Markdown")
    state = models.CharField(
        max_length=12, choices=CheckInState.choices, default=CheckInState.PUBLISHED
    )
    moderator_message = models.TextField(blank=True)
    risk = models.CharField(max_length=10, default="none")

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.on:%Y-%m-%d}"

    @property
    def is_public(self) -> bool:
        return self.state == CheckInState.PUBLISHED and self.commitment.is_public
