from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from unisupport import clock
from unisupport.accounts.models import (
    AccessChange,
    ApiToken,
    EngineerAbsence,
    EngineerProfile,
    Invitation,
    Membership,
    Organisation,
)
from unisupport.readonly_admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is made by the service (`unisupport token create`, the portal), which shows its
        # secret once: one added here would have none. The admin revokes.
        return False


class AbsenceInline(admin.TabularInline):
    model = EngineerAbsence
    extra = 0
    fields = ["first_day", "last_day", "reason", "recorded_at", "recorded_by"]
    readonly_fields = ["recorded_at", "recorded_by"]


@admin.register(EngineerProfile)
class EngineerProfileAdmin(admin.ModelAdmin):
    """A vendor engineer's skills (services), languages and absences, which scheduling checks (DEL-4, DEL-8)."""

    inlines = [AbsenceInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Return nothing; an absence added here records when and by whom, as one recorded by the CLI."""
        for absence in formset.save(commit=False):
            if isinstance(absence, EngineerAbsence) and absence.pk is None:
                absence.recorded_at, absence.recorded_by = clock.now(), request.user.get_username()
            absence.save()
        for gone in formset.deleted_objects:
            gone.delete()

    list_display = ["user", "country", "services", "languages"]
    search_fields = ["user__username"]


@admin.register(AccessChange)
class AccessChangeAdmin(ReadOnlyAdmin):
    """Every change a customer's administrator made to their people: the vendor sees them here."""

    list_display = ["at", "organisation", "by", "what"]
    list_filter = ["organisation"]


admin.site.register(Invitation, ReadOnlyAdmin)
