from django.contrib import admin

from beacon.directory import models
from beacon.directory.indexing import reindex_services


class PhoneInline(admin.TabularInline):
    model = models.Phone
    extra = 0
    fk_name = "service"
    fields = ("number", "type", "text_keyword", "app", "description", "position")


class ScheduleInline(admin.StackedInline):
    model = models.Schedule
    extra = 0
    fk_name = "service"
    fields = (
        ("freq", "interval", "byday", "bymonthday", "opens_at", "closes_at"),
        ("channel", "closed"),
        ("valid_from", "valid_to"),
        "description",
    )


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "country", "assured_date", "last_modified")
    list_filter = ("status", "country", "is_national")
    search_fields = ("name", "description", "organization__name")
    inlines = [PhoneInline, ScheduleInline]

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        reindex_services([form.instance.pk])  # search sees the change at once

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)  # index rows go with it (cascade)


class ReindexesServices(admin.ModelAdmin):
    """Re-indexes the services an edited row shows in (names, places, hours), so search
    sees the change at once; `affected(obj)` names them."""

    def affected(self, obj):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        reindex_services(self.affected(form.instance))

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        ids = self.affected(obj)
        super().delete_model(request, obj)
        reindex_services(ids)  # services left without this row (deleted ones are skipped)


@admin.register(models.Organization)
class OrganizationAdmin(ReindexesServices):
    list_display = ("name", "website")
    search_fields = ("name",)

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return list(obj.services.values_list("id", flat=True))


class AddressInline(admin.StackedInline):
    model = models.Address
    extra = 0


class LocationScheduleInline(ScheduleInline):
    fk_name = "location"


@admin.register(models.Location)
class LocationAdmin(ReindexesServices):
    list_display = ("name", "location_type", "latitude", "longitude")
    search_fields = ("name",)
    inlines = [AddressInline, LocationScheduleInline]

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return list(obj.service_at_locations.values_list("service_id", flat=True))


admin.site.register([models.Taxonomy, models.TaxonomyTerm, models.DirectoryReport])
