"""Admin for accounts. The email address is never displayed, even to admins: they can find
an account by typing its exact address into the search box."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from beacon.accounts.models import User
from beacon.core.audit import log_action


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("display_name", "code", "role", "is_active", "verified", "date_joined")
    list_filter = ("role", "is_active")
    fields = (
        "display_name",
        "code",
        "role",
        "is_active",
        "country",
        "date_joined",
        "email_verified_at",
        "last_login",
    )
    readonly_fields = ("code", "date_joined", "email_verified_at", "last_login")
    search_fields = ("display_name", "code")
    ordering = ("-date_joined",)

    @admin.display(boolean=True, description="Email verified")
    def verified(self, obj: User) -> bool:
        return obj.is_email_verified

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:  # exact address lookup, never shown back
            results = results | queryset.filter(email__iexact=search_term.strip())
        return results, may_have_duplicates

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            log_action(
                "accounts.user.changed_by_admin",
                actor=request.user,
                target=obj,
                data={"fields": sorted(form.changed_data), "role": obj.role},
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People create their own accounts; admins use `manage.py createsuperuser` if needed.
        return False
