"""Admin: operators edit the set of lenses; conversations are listed read-mostly."""

from django.contrib import admin

from beacon.conversations.models import Conversation, Lens


@admin.register(Lens)
class LensAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "is_active")
    list_editable = ("position", "is_active")
    prepopulated_fields = {"slug": ("name",)}

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A lens used by a question cannot be deleted (PROTECT); untick "active" instead.
        return obj is None or not obj.questions.exists()


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "ends_at", "closed_at", "slow_mode_seconds")
    search_fields = ("title",)
    fields = ("title", "introduction", "time_zone", "starts_at", "ends_at", "closed_at")
    readonly_fields = ("starts_at", "ends_at", "closed_at")
