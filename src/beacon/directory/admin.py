from django.contrib import admin

from beacon.directory import models


class PhoneInline(admin.TabularInline):
    model = models.Phone
    extra = 0
    fk_name = "service"
    fields = ("number", "type", "description")


class ScheduleInline(admin.StackedInline):
    model = models.Schedule
    extra = 0
    fk_name = "service"
    fields = (
        ("freq", "byday", "opens_at", "closes_at"),
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


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "location_type", "latitude", "longitude")
    search_fields = ("name",)


admin.site.register([models.Taxonomy, models.TaxonomyTerm, models.DirectoryReport])
