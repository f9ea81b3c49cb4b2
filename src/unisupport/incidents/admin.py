"""The back office's view of reactive support: rosters are edited here; incidents are worked in the portal."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from unisupport.admin_widgets import LABELLED_DATETIMES
from unisupport.incidents.models import (
    Incident,
    Milestone,
    Notification,
    PostIncidentReview,
    RcaRequest,
    RosterEntry,
    TimelineEvent,
)
from unisupport.incidents.notify import retry_quarantined
from unisupport.readonly_admin import ReadOnlyAdmin


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    """Who is assigned by the escalation (INC-2, INC-4) and who hears of Sev 1 incidents."""

    list_display = ["role", "offering", "user", "priority", "active"]
    list_filter = ["role", "offering", "active"]
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

    def has_delete_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False  # an incident and its timeline are records: nothing deletes them (issue 17 §0)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    formfield_overrides = LABELLED_DATETIMES
    list_display = ["incident", "kind", "due_at", "state", "processed_at"]
    list_filter = ["kind", "state"]

    def has_change_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False


class QuarantinedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("queued", _("queued")), ("sent", _("sent")), ("quarantined", _("quarantined"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        wanted = {
            "queued": {"sent_at__isnull": True, "failed_at__isnull": True},
            "sent": {"sent_at__isnull": False},
            "quarantined": {"failed_at__isnull": False, "sent_at__isnull": True},
        }.get(self.value() or "")
        return queryset.filter(**wanted) if wanted else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox; a quarantined e-mail (its own content failed) is retried from here by hand."""

    formfield_overrides = LABELLED_DATETIMES

    list_display = ["recipient", "subject", "created_at", "sent_at", "failed_at", "error"]
    list_filter = [QuarantinedFilter]
    search_fields = ["recipient", "subject"]
    actions = ["retry"]

    @admin.action(description=_("Put the selected quarantined e-mails back in the queue"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        """Return nothing; the selected quarantined e-mails are queued again, for the next worker pass."""
        count = retry_quarantined(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": count})

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


# Written by the incident's actions (RCA-*, INC-8), which keep the timeline.
admin.site.register(RcaRequest, ReadOnlyAdmin)
admin.site.register(PostIncidentReview, ReadOnlyAdmin)
