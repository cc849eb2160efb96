"""Admin for crisis lines.

A line's name, description, numbers and hours are its directory service: edit them under
Directory › Services (an edit there marks the line locally modified, see handlers.py). Here
are the help page's own settings (country, verified or not, source, order, hidden), the
"revert to the shipped version" and "reload the data file" actions, and adding a line: pick
a directory service and it is tagged as a crisis helpline and listed (`origin=local`).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from beacon.help.enums import Origin
from beacon.help.models import CrisisListing, HelpCountry
from beacon.help.services import (
    list_as_crisis_line,
    mark_locally_modified,
    revert_to_shipped,
    sync_crisis_lines,
)


@admin.register(CrisisListing)
class CrisisListingAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "country",
        "status",
        "verified_on",
        "origin",
        "locally_modified",
        "is_hidden",
    )
    list_filter = ("country", "status", "origin", "locally_modified", "is_hidden")
    search_fields = ("slug", "service__name", "service__description")
    list_select_related = ("service", "country")
    autocomplete_fields = ("service",)
    fields = (
        "service",
        "directory_entry",
        "slug",
        "country",
        "status",
        "source",
        "unverified_contacts",
        "position",
        "is_hidden",
        "origin",
        "locally_modified",
        "data_version",
    )
    readonly_fields = ("directory_entry", "origin", "locally_modified", "data_version")
    actions = ["revert", "reload_file"]

    @admin.display(description="Name", ordering="service__name")
    def name(self, obj: CrisisListing) -> str:
        return obj.service.name

    @admin.display(description="Verified on", ordering="service__assured_date")
    def verified_on(self, obj: CrisisListing) -> object:
        return obj.service.assured_date

    @admin.display(description="Numbers, hours and wording")
    def directory_entry(self, obj: CrisisListing) -> str:
        if not obj.pk:
            return "Choose the directory service above."
        url = reverse("admin:directory_service_change", args=[obj.service_id])
        return format_html('<a href="{}">Edit {} in the directory</a>', url, obj.service.name)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.origin == Origin.SHIPPED:
            return (*fields, "service", "slug")  # the data file owns these
        return fields

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            obj.origin = Origin.LOCAL
        super().save_model(request, obj, form, change)
        if not change:
            list_as_crisis_line(obj.service)
        elif form.changed_data:
            mark_locally_modified(obj)

    @admin.action(description="Revert to the version in Beacon's data file")
    def revert(self, request: HttpRequest, queryset: QuerySet[CrisisListing]) -> None:
        for listing in queryset.filter(origin=Origin.SHIPPED).select_related("service"):
            revert_to_shipped(listing, actor=request.user)
        report = sync_crisis_lines(actor=request.user)
        self.message_user(request, report.summary(), messages.SUCCESS)

    @admin.action(description="Reload Beacon's data file now (keeps local changes)")
    def reload_file(self, request: HttpRequest, queryset: QuerySet[CrisisListing]) -> None:
        self.message_user(request, sync_crisis_lines(actor=request.user).summary())


@admin.register(HelpCountry)
class HelpCountryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "origin", "locally_modified")
    readonly_fields = ("origin",)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if change and obj.origin == Origin.SHIPPED:
            obj.locally_modified = True
        if not change:
            obj.origin = Origin.LOCAL
        super().save_model(request, obj, form, change)
