"""Admin for crisis lines: edits mark a shipped line as locally modified so data-file
updates never overwrite them; an action reverts to the shipped version."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from beacon.help.enums import Origin
from beacon.help.models import CrisisChannel, CrisisLine, HelpCountry
from beacon.help.services import mark_locally_modified, revert_to_shipped, sync_crisis_lines


class CrisisChannelInline(admin.TabularInline):
    model = CrisisChannel
    extra = 0
    fields = (
        "kind",
        "value",
        "display",
        "url",
        "keyword",
        "hours",
        "open_24_7",
        "verified",
        "position",
    )


@admin.register(CrisisLine)
class CrisisLineAdmin(admin.ModelAdmin):
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
    search_fields = ("name", "slug", "description")
    inlines = [CrisisChannelInline]
    readonly_fields = ("origin", "locally_modified", "data_version")
    actions = ["revert", "reload_file"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            obj.origin = Origin.LOCAL
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        if change:
            mark_locally_modified(form.instance)

    @admin.action(description="Revert to the version in Beacon's data file")
    def revert(self, request: HttpRequest, queryset: QuerySet[CrisisLine]) -> None:
        for line in queryset.filter(origin=Origin.SHIPPED):
            revert_to_shipped(line, actor=request.user)
        report = sync_crisis_lines(actor=request.user)
        self.message_user(request, report.summary(), messages.SUCCESS)

    @admin.action(description="Reload Beacon's data file now (keeps local changes)")
    def reload_file(self, request: HttpRequest, queryset: QuerySet[CrisisLine]) -> None:
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
