"""What kind of place a gazetteer row is."""

from django.db import models


class PlaceKind(models.TextChoices):
    CITY = "city", "City or town"
    POSTCODE = "postcode", "Postcode"
