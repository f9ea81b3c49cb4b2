from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from unisupport.deliveries.models import Delivery, DeliveryEvent


class EventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor_name", "kind", "rule", "data"]
    fields = ["at", "actor_name", "kind", "rule", "data"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Deliveries are changed by their services (CLI, API), each change on the timeline; shown here."""

    list_display = ["__str__", "order", "site", "state", "scheduled_on", "cost", "unit", "best_effort"]
    list_filter = ["state", "best_effort", "pay"]
    search_fields = ["order__number", "service__code"]
    inlines = [EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
