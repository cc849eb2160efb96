from django.contrib import admin

from beacon.moderation.models import Case, Decision


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    readonly_fields = ("created_at", "moderator", "action", "message")
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("code", "lane", "state", "risk", "waiting_since", "report_count")
    list_filter = ("lane", "state", "risk")
    readonly_fields = (
        "code",
        "content_type",
        "object_id",
        "assessment",
        "waiting_since",
        "closed_at",
    )
    inlines = [DecisionInline]
