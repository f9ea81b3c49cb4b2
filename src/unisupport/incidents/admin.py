"""The back office's view of reactive support: rosters are edited here; incidents are worked in the portal."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from unisupport.incidents.models import (
    Incident,
    Milestone,
    Notification,
    PostIncidentReview,
    RcaRequest,
    RosterEntry,
    TimelineEvent,
)


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    """Who is assigned by the escalation (INC-2, INC-4) and who hears of Sev 1 incidents."""

    list_display = ["role", "user", "priority", "active"]
    list_filter = ["role", "active"]
    list_editable = ["priority", "active"]
    autocomplete_fields = ["user"]


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "rule", "actor_name", "data"]
    readonly_fields = ("at", "kind", "rule", "actor_name", "data")

    def has_add_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only: an incident changes through its actions (portal, API, CLI), which keep the timeline."""

    list_display = [
        "pk",
        "severity",
        "state",
        "title",
        "organisation",
        "order",
        "response_due_at",
        "response_met",
    ]
    list_filter = ["severity", "state", "response_met", "offering", "organisation"]
    search_fields = ["title", "order__number", "organisation__name"]
    inlines = [TimelineInline]

    def has_change_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["incident", "kind", "due_at", "state", "processed_at"]
    list_filter = ["kind", "state"]

    def has_change_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "created_at", "sent_at"]
    list_filter = ["sent_at"]
    search_fields = ["recipient", "subject"]

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


admin.site.register(RcaRequest)
admin.site.register(PostIncidentReview)
