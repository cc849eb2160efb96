"""Help's own rows: countries (emergency numbers) and the listing of each crisis line.

A crisis line *is* a directory `Service` (HSDS: phones, schedules, languages, attributes);
the directory is the one source of truth for how to reach it. `CrisisListing` keeps only
what HSDS has no place for: the line's slug in Beacon's data file, whether Beacon has
verified it and from which source, its order on the help page, and where it came from.

Listings from the data file are `origin=shipped`. An edit in the admin (to the listing or to
its service, phones or schedules) marks a listing `locally_modified`, and the loader then
leaves the line alone; lines an admin adds are `origin=local` and are never touched by the
loader. See services.sync_crisis_lines and handlers.py.
"""

from __future__ import annotations

from django.db import models

from beacon.core.models import TimestampedModel
from beacon.help.enums import LineStatus, Origin


class HelpCountry(TimestampedModel):
    code = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2 code")
    name = models.CharField(max_length=100)
    emergency = models.JSONField(
        default=list, blank=True, help_text='List of {"number": "...", "label": "..."}'
    )
    outdated_numbers = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.LOCAL)
    locally_modified = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "country"
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class CrisisListing(TimestampedModel):
    """How one directory service appears on the help page and in the crisis panel."""

    service = models.OneToOneField(
        "directory.Service", on_delete=models.CASCADE, related_name="crisis_listing"
    )
    country = models.ForeignKey(HelpCountry, on_delete=models.CASCADE, related_name="listings")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The line's key in Beacon's data file"
    )
    status = models.CharField(
        max_length=12, choices=LineStatus.choices, default=LineStatus.UNVERIFIED
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the line was verified (shown on the page)"
    )
    unverified_contacts = models.JSONField(
        default=list,
        blank=True,
        help_text='Ways of contact not verified yet, as "call:NUMBER", "text:NUMBER", '
        '"whatsapp:NUMBER", "chat", "email" or "web".',
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_hidden = models.BooleanField(default=False, help_text="Hidden lines are not shown.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.LOCAL)
    locally_modified = models.BooleanField(
        default=False, help_text="Edited here: updates of the data file will not overwrite it."
    )
    data_version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["country__name", "position", "slug"]
        verbose_name = "crisis line"

    def __str__(self) -> str:
        return self.slug

    @property
    def is_verified(self) -> bool:
        return self.status == LineStatus.CONFIRMED
