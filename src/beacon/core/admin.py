"""Admin for the kernel: the audit log (read-only), and hiding task records that hold
mail arguments (addresses) from the admin, since no page may show an email address."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from beacon.core.models import AuditEntry

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "target_label")
    list_filter = ("action",)
    search_fields = ("action", "target_label", "target_id")
    readonly_fields = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "data",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
