from datetime import date
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited
from unisupport.orders.event_services import record_event_coverage
from unisupport.orders.models import (
    Agreement,
    AllocationAssignment,
    AzureSubscription,
    EnrolledSubscription,
    EventCoverage,
    FlexibleAllocation,
    LineStatus,
    Order,
    OrderLine,
    OrderVersion,
    Site,
)
from unisupport.orders.services import decide_line, terminate_agreement
from unisupport.readonly_admin import ReadOnlyAdmin


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """An agreement's CSAM is edited here; a termination goes through the orders' service (ORD-2)."""

    list_display = ["code", "organisation", "host_country", "terminated_on", "created_at"]
    search_fields = ["code", "organisation__name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Agreement | None = None) -> list[str]:
        # An agreement never moves to another customer. Once terminated, it stays so: ORD-2 ended its
        # add-ons and forfeited what was left.
        fixed = ["code", "organisation", "host_country"] if obj is not None else []
        return fixed + (["terminated_on"] if obj is not None and obj.terminated_on else [])

    def has_delete_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.terminated_on:
            return form

        class TerminatedByTheService(form):  # type: ignore[misc, valid-type]
            """A termination date set here is the orders' service's: the same checks as `order terminate`."""

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                if self.errors or not data.get("terminated_on"):
                    return data
                try:
                    terminate_agreement(scope=scope_of(request.user), code=obj.code, on=data["terminated_on"])
                except DomainError as exc:
                    raise ValidationError(cited(exc)) from None
                return data

        return TerminatedByTheService


class VersionInline(admin.TabularInline):
    model = OrderVersion
    extra = 0
    fields = ["version", "start", "end", "currency", "imported_at", "imported_by"]
    readonly_fields = ["version", "start", "end", "currency", "imported_at", "imported_by"]
    can_delete = False
    show_change_link = True


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: an order is written by importing its file (ORD-9), ended by a termination (ORD-2);
    it never moves to another customer nor disappears here (issue 17 §0)."""

    list_display = ["number", "agreement", "organisation", "current_version"]
    search_fields = ["number", "agreement__code", "organisation__name"]
    readonly_fields = ["number", "agreement", "organisation", "current_version"]
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


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
        "on_site",
        "position",
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form

        class DecidedByTheService(form):  # type: ignore[misc, valid-type]
            """The vendor's ORD-8 decision, through the service: a line accepted grants what it bought."""

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                if self.errors or "status" not in self.changed_data:
                    return data
                if data["status"] not in (LineStatus.ACCEPTED, LineStatus.REFUSED):
                    raise ValidationError(
                        {
                            "status": "ORD-8: a line's status changes only by the vendor's decision: accepted or refused"
                        }
                    )
                try:
                    self.instance = decide_line(
                        scope=scope_of(request.user),
                        at=clock.now(),
                        order_number=obj.site.order_version.order.number,
                        site_country=obj.site.country,
                        service=obj.service_id,
                        accept=data["status"] == LineStatus.ACCEPTED,
                    )
                except DomainError as exc:
                    raise ValidationError(cited(exc)) from None
                return data

        return DecidedByTheService


@admin.register(AzureSubscription)
class AzureSubscriptionAdmin(admin.ModelAdmin):
    """A customer's Azure subscriptions (DEL-6); `unisupport azure-subscription add` records them too."""

    list_display = ["subscription_id", "organisation", "active_from", "active_until", "recorded_by"]
    search_fields = ["subscription_id", "organisation__name"]
    readonly_fields = ["recorded_at", "recorded_by"]

    def save_model(self, request: HttpRequest, obj: AzureSubscription, form: Any, change: bool) -> None:
        """Return nothing; the row records when and by whom, as the CLI's does."""
        obj.recorded_at, obj.recorded_by = clock.now(), request.user.get_username()
        super().save_model(request, obj, form, change)


# Part of an order version: changed by importing an amendment (ORD-9), never edited here.
admin.site.register(FlexibleAllocation, ReadOnlyAdmin)
admin.site.register(AllocationAssignment, ReadOnlyAdmin)
admin.site.register(EnrolledSubscription, ReadOnlyAdmin)  # written by `mcs enrol` (MCS-6)


@admin.register(EventCoverage)
class EventCoverageAdmin(admin.ModelAdmin):
    """MCS for Azure Events coverage windows (EVT-1, EVT-2): the days an event is covered."""

    list_display = ["name", "order", "service", "needs_vendor_approval", "cancelled_at", "created_at"]
    search_fields = ["name", "order__number"]
    # The window's own fields; a booking's (products, approval, cancellation) are written by
    # `event book`, `event approve` and `event cancel`, and shown here only.
    WINDOW = ["order", "service", "name", "scenario", "days", "timezone"]
    BOOKING = [
        "products",
        "needs_vendor_approval",
        "approved_by",
        "reduced_scope",
        "booked_by",
        "cancelled_by",
    ]
    readonly_fields = BOOKING

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.WINDOW + (self.BOOKING if obj is not None else [])

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
                        at=clock.now(),
                        event=obj,
                    )
                except DomainError as exc:
                    raise ValidationError(cited(exc)) from None
                return data

        return WrittenByTheService

    def save_model(self, request: HttpRequest, obj: EventCoverage, form: Any, change: bool) -> None:
        # Written by the service when the form was cleaned (get_form).
        return
