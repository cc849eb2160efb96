"""The resource directory, one model per HSDS 3.0 object (ids are UUIDs, as HSDS requires).

Field names follow HSDS so the API, import and export are projections of these rows
(`hsds.py`). Beacon adds a few fields HSDS lacks, all optional in the output: an IANA time
zone and country per service, "national" coverage, per-channel schedules and closed days.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from beacon.directory.enums import (
    Channel,
    Frequency,
    LocationType,
    PhoneType,
    ReportReason,
    ReportState,
    ServiceStatus,
)


class HsdsModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Taxonomy(HsdsModel):
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    language = models.CharField(max_length=10, blank=True)
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["taxonomy__name", "code", "name"]

    def __str__(self) -> str:
        return self.name


class Organization(HsdsModel):
    name = models.CharField(max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    year_incorporated = models.PositiveIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=200, blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        # The API's list order: its pages are read over this index, not sorted.
        indexes = [models.Index(fields=["name", "id"], name="dir_org_name_id")]

    def __str__(self) -> str:
        return self.name


class Service(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE, db_index=True
    )
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.TextField(blank=True)
    assured_date = models.DateField(
        null=True, blank=True, help_text="When a curator last checked this entry"
    )
    assurer_email = models.EmailField(blank=True)
    last_modified = models.DateTimeField(auto_now=True, db_index=True)
    # Beacon additions
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone of the service's hours"
    )
    country = models.CharField(max_length=2, blank=True, db_index=True)
    is_national = models.BooleanField(
        default=False, help_text="Serves the whole country (e.g. a helpline)"
    )
    chat_url = models.URLField(blank=True, help_text="Web chat, when the service offers one")

    class Meta:
        ordering = ["name"]
        # The API's list order: its pages are read over this index, not sorted; with
        # `last_modified` in it, `modified_after` is tested on the entries as they are walked.
        indexes = [models.Index(fields=["name", "id", "last_modified"], name="dir_service_list")]

    def __str__(self) -> str:
        return self.name


class Location(HsdsModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    url = models.URLField(blank=True)
    name = models.CharField(max_length=255, blank=True)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True, db_index=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="directory_sal_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Address(HsdsModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    address_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(HsdsModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(HsdsModel):
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=10, choices=PhoneType.choices, blank=True)
    description = models.TextField(blank=True)
    # Beacon additions
    text_keyword = models.CharField(
        max_length=30, blank=True, help_text="Word to start a text conversation, e.g. HOME"
    )
    app = models.CharField(
        max_length=20, blank=True, help_text='Messaging app for this number, e.g. "whatsapp"'
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return self.number


class Schedule(HsdsModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True, help_text="HSDS: UTC offset (hours)")
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    byweekno = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    byyearday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    # Beacon additions: hours for one contact channel only, and closed days (holidays).
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    closed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday} {self.opens_at}-{self.closes_at}"


class Language(HsdsModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True, db_index=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Accessibility(HsdsModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class ServiceArea(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.name


class Attribute(HsdsModel):
    """A taxonomy term (or free value) attached to any HSDS object (`link_entity`, `link_id`)."""

    link_id = models.UUIDField(db_index=True)
    link_entity = models.CharField(max_length=30)
    link_type = models.CharField(max_length=50, blank=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    value = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["taxonomy_term", "link_entity", "link_id"])]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.taxonomy_term or self.value}"


class Metadata(HsdsModel):
    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=30)
    last_action_date = models.DateTimeField()
    last_action_type = models.CharField(max_length=30)
    field_name = models.CharField(max_length=100)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "metadata"

    def __str__(self) -> str:
        return f"{self.resource_type} {self.field_name} {self.last_action_type}"


class DirectoryReport(models.Model):
    """A reader's "something wrong?" note about a service, for directory curators."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(blank=True, max_length=1000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=ReportState.choices, default=ReportState.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.service}"


class HoursPattern(models.Model):
    """A distinct set of opening-hours rules in a time zone (derived, like the index).

    Directories hold many services but few distinct timetables, so a search decides
    "open now" once per pattern (cached for the minute) and filters index rows by pattern
    in SQL. Rows are only added (by `indexing`), never changed: `digest` names the content.
    """

    digest = models.CharField(max_length=64, unique=True)
    rules = models.TextField(help_text="Schedule rules as JSON (see indexing.rules_to_json)")
    time_zone = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.digest[:10]} ({self.time_zone})"


class ServiceIndex(models.Model):
    """One searchable row per service and place it is offered (derived, rebuilt from the rows
    above by `indexing.reindex_services`; never edited by hand).

    A service with several physical locations has one row per location; a national or
    online-only service has one row without coordinates per country it serves. Search
    narrows rows in SQL (country, bounding box, tags, words) and ranks the few left in Python.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="index_rows")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    reach = models.CharField(max_length=10)  # "local", "national" or "online"
    regions = models.CharField(
        max_length=400,
        blank=True,
        help_text='National/online rows: the regions served (" OR WA "), "" for the whole country',
    )
    primary = models.BooleanField(
        default=False, help_text="One row per service is primary (searches without a place)"
    )
    name_key = models.CharField(max_length=255)
    org_key = models.CharField(max_length=255)
    words = models.TextField(help_text="Folded words of names, description and terms")
    tags = models.TextField(help_text='" kind:… aud:… ch:… cost:… " (spaces around each)')
    languages = models.TextField(blank=True, help_text='" en es … " (spaces around each)')
    # "Open now" and "24/7" are not stored: they change with the clock, so searches decide
    # them per hours pattern (search.open_patterns / always_patterns).
    has_hours = models.BooleanField(default=False)
    # No index: searches filter by a list of open patterns, which an index on this column
    # would tempt the planner to use instead of the coordinates or tags indexes.
    hours = models.ForeignKey(
        HoursPattern,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    assured_date = models.DateField(null=True, blank=True)
    also_wide = models.BooleanField(
        default=False, help_text="Local rows: the service also has national or online rows"
    )
    # Besides these indexes, the term index of migration 0009 (`terms.py`): words, tags,
    # languages, reach and country (SQLite FTS5 table; PostgreSQL GIN indexes).

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="dir_index_geo"),
            # The API's `search=` walks primary rows in this order (queries.services_for_api).
            models.Index(fields=["primary", "name_key", "service_id"], name="dir_index_name_id"),
            # Serves national and online rows (no coordinates to narrow by): "open now" is
            # an index condition (hours IN the open patterns) and the tag tests can run on
            # the narrow index entries rather than on the wide table rows.
            models.Index(
                fields=["reach", "country", "has_hours", "hours", "tags"], name="dir_index_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_key} ({self.reach})"
