"""Crisis lines by country, loaded from the shipped data file and editable in the admin.

Rows from the data file are `origin=shipped`. An admin edit marks a row `locally_modified`,
and the loader then leaves it alone; rows an admin adds are `origin=local` and are never
touched by the loader. See services.sync_crisis_lines.
"""

from __future__ import annotations

import phonenumbers
from django.db import models

from beacon.core.models import TimestampedModel
from beacon.help.enums import ChannelKind, LineStatus, Origin


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


class CrisisLine(TimestampedModel):
    slug = models.SlugField(max_length=80, unique=True)
    country = models.ForeignKey(HelpCountry, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=LineStatus.choices, default=LineStatus.UNVERIFIED
    )
    verified_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    audiences = models.JSONField(default=list, blank=True)
    free = models.BooleanField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_hidden = models.BooleanField(default=False, help_text="Hidden lines are not shown.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.LOCAL)
    locally_modified = models.BooleanField(
        default=False, help_text="Edited here: updates of the data file will not overwrite it."
    )
    data_version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["country__name", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def specific_audiences(self) -> list[str]:
        """Audiences other than "everyone", for showing who a line is especially for."""
        return [a for a in self.audiences if a != "everyone"]

    @property
    def is_verified(self) -> bool:
        return self.status == LineStatus.CONFIRMED


class CrisisChannel(models.Model):
    line = models.ForeignKey(CrisisLine, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    value = models.CharField(max_length=40, blank=True, help_text="Number to dial or text")
    display = models.CharField(max_length=100, blank=True)
    url = models.URLField(blank=True)
    keyword = models.CharField(max_length=30, blank=True)
    hours = models.CharField(max_length=100, blank=True)
    open_24_7 = models.BooleanField(default=False)
    verified = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display or self.value or self.url}"

    @property
    def href(self) -> str:
        """The link that starts this channel on a phone or computer, or '' if none."""
        if self.kind == ChannelKind.CALL and self.value:
            return f"tel:{self.value}"
        if self.kind == ChannelKind.TEXT and self.value:
            # `sms:NUMBER?body=KEYWORD` is understood by Android and iOS alike.
            return f"sms:{self.value}?body={self.keyword}" if self.keyword else f"sms:{self.value}"
        if self.kind == ChannelKind.WHATSAPP and self.value:
            return f"https://wa.me/{self._international_digits()}"
        return self.url

    def _international_digits(self) -> str:
        # wa.me needs the full international number without "+" or a national leading 0.
        try:
            number = phonenumbers.parse(self.value, self.line.country.code)
        except phonenumbers.NumberParseException:
            return self.value.lstrip("+")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
