from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.deliveries.feeds import revoke_feed_token
from unisupport.deliveries.models import Delivery, DeliveryEvent, FeedToken


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


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Calendar feeds: created by `unisupport delivery feed create` (the secret shown once); revoked here."""

    list_display = ["__str__", "organisation", "engineer", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["organisation", "engineer", "prefix", "created_at", "created_by", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected feeds"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        """Revoke each selected feed through the service (its permission checked there)."""
        for token in queryset:
            revoke_feed_token(scope=scope_of(request.user), token_id=token.pk, at=clock.now())
