from datetime import date
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited
from unisupport.orders.event_services import record_event_coverage
from unisupport.orders.models import (
    Agreement,
    AllocationAssignment,
    EventCoverage,
    FlexibleAllocation,
    Order,
    OrderLine,
    OrderVersion,
    Site,
)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["code", "organisation", "host_country", "created_at"]
    search_fields = ["code", "organisation__name"]


class VersionInline(admin.TabularInline):
    model = OrderVersion
    extra = 0
    fields = ["version", "start", "end", "currency", "imported_at", "imported_by"]
    readonly_fields = ["version", "start", "end", "currency", "imported_at", "imported_by"]
    can_delete = False
    show_change_link = True


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "agreement", "organisation", "current_version"]
    search_fields = ["number", "agreement__code", "organisation__name"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    readonly_fields = ["country", "timezone", "role", "position"]
    can_delete = False


@admin.register(OrderVersion)
class OrderVersionAdmin(admin.ModelAdmin):
    """Versions are immutable (ORD-9): an amendment is a new import, never an edit here."""

    list_display = ["order", "version", "start", "end", "currency", "imported_at"]
    search_fields = ["order__number"]
    inlines = [SiteInline]

    def has_change_permission(self, request: HttpRequest, obj: OrderVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OrderVersion | None = None) -> bool:
        return False


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    """Only the ORD-8 decision (status) of a line may change after import."""

    list_display = ["site", "service", "quantity", "price", "status"]
    list_filter = ["status", "service"]
    readonly_fields = [
        "organisation",
        "site",
        "service",
        "quantity",
        "price",
        "list_price",
        "timezone",
        "position",
    ]


admin.site.register(FlexibleAllocation)
admin.site.register(AllocationAssignment)


@admin.register(EventCoverage)
class EventCoverageAdmin(admin.ModelAdmin):
    """MCS for Azure Events coverage windows (EVT-1, EVT-2): the days an event is covered."""

    list_display = ["name", "order", "service", "timezone", "created_at"]
    search_fields = ["name", "order__number"]
    exclude = ["organisation"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class WrittenByTheService(form):  # type: ignore[misc, valid-type]
            """A coverage window written by the orders' service: the same EVT-1/EVT-2 checks as everywhere."""

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                if self.errors:
                    return data
                try:
                    days = [date.fromisoformat(str(d)) for d in data.get("days") or []]
                except ValueError:
                    raise ValidationError({"days": "expected a list of dates, YYYY-MM-DD"}) from None
                try:
                    self.instance = record_event_coverage(
                        scope=scope_of(request.user),
                        order=data["order"].number,
                        service=data["service"].code,
                        name=data.get("name") or "",
                        days=days,
                        timezone=data.get("timezone") or None,
                        scenario=data.get("scenario") or "",
                        event=obj,
                    )
                except DomainError as exc:
                    raise ValidationError(cited(exc)) from None
                return data

        return WrittenByTheService

    def save_model(self, request: HttpRequest, obj: EventCoverage, form: Any, change: bool) -> None:
        # Written by the service when the form was cleaned (get_form).
        return
