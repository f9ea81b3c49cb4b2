"""The programmes in the back office: read here, written by the services (the CLI, the API, the
portal), which keep the rules — a milestone is done with evidence or waived with a reason, the 8th
scenario and the 3rd SIP are refused, an outage is told once."""

from __future__ import annotations

from django.contrib import admin

from unisupport.programmes.models import (
    ImprovementPlan,
    Milestone,
    MonitorAlert,
    MonitoringScenario,
    Outage,
    OutageNotice,
    PreSignatureAuthorisation,
)
from unisupport.readonly_admin import ReadOnlyAdmin


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Milestones of every programme; `unisupport programme done|waive` changes them."""

    list_display = ["order", "key", "rule", "due", "state", "reminded_at"]
    list_filter = ["state", "rule", "offering"]
    search_fields = ["order__number", "key"]
    date_hierarchy = "due"


@admin.register(MonitoringScenario)
class MonitoringScenarioAdmin(ReadOnlyAdmin):
    """MCS Plus monitoring scenarios (MCS-3): the vendor's staff only reach the admin."""

    list_display = ["order", "name", "created_at", "operational_at"]
    search_fields = ["order__number", "name"]


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    """Declared Azure outages (MCS-5)."""

    list_display = ["title", "started_at", "ended_at", "declared_by"]


for model in (ImprovementPlan, MonitorAlert, OutageNotice, PreSignatureAuthorisation):
    admin.site.register(model, ReadOnlyAdmin)
