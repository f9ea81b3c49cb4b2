"""The ledger in the back office: accounts and entries read-only (CRD-4), rates and CRD-3 approvals editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from unisupport.accounts.scope import scope_of
from unisupport.admin_widgets import LABELLED_DATETIMES, LabelledTabularInline
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited
from unisupport.ledger.models import (
    CreditException,
    ExchangeRate,
    IdempotencyKey,
    LedgerAccount,
    LedgerEntry,
    RateCard,
    RateCardCredit,
)
from unisupport.ledger.services import record_credit_exception
from unisupport.readonly_admin import ReadOnlyAdmin

# View only: the ledger changes by postings (services), never by hand (CRD-4).


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organisation", "kind", "balance", "currency"]
    list_filter = ["kind", "site"]
    search_fields = ["order__number", "organisation__name", "service"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Entries are append-only: a correction is a compensating entry (`unisupport ledger compensate`)."""

    list_display = [
        "serial",
        "account",
        "effective_on",
        "amount",
        "balance_after",
        "rule",
        "actor",
        "posted_at",
    ]
    list_filter = ["rule", "account__kind"]
    search_fields = ["uid", "account__order__number", "reason", "cause"]
    list_select_related = ["account", "account__order"]


class RateCardCreditInline(LabelledTabularInline):
    model = RateCardCredit
    extra = 1


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    """Credits per unit of each service at a site, from a date on (CRD-1); import with `unisupport rates import`."""

    list_display = ["site", "effective_from", "created_at"]
    list_filter = ["site"]
    inlines = [RateCardCreditInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Credit exchange rates and fees between two sites, from a date on (MC-7)."""

    list_display = ["from_site", "to_site", "effective_from", "rate", "fee_kind", "fee"]
    list_filter = ["from_site", "to_site"]


@admin.register(CreditException)
class CreditExceptionAdmin(admin.ModelAdmin):
    """CRD-3 approvals: recorded once (who, when, terms, in writing), never edited afterwards."""

    formfield_overrides = LABELLED_DATETIMES

    list_display = ["order", "site", "approved_by", "approved_at", "in_writing", "credit_limit"]
    search_fields = ["order__number", "approved_by", "reference"]

    def get_readonly_fields(self, request: HttpRequest, obj: CreditException | None = None) -> list[str]:
        if obj is None:
            return ["recorded_by", "recorded_at"]
        return [f.name for f in CreditException._meta.fields]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form

        class RecordedByTheService(form):  # type: ignore[misc, valid-type]
            """An approval recorded by the ledger's service: the same checks as the CLI and the API (CRD-3)."""

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                if self.errors:
                    return data
                try:
                    self.instance = record_credit_exception(
                        scope=scope_of(request.user),
                        order=data["order"].number,
                        site=data.get("site") or "",
                        approved_by=data.get("approved_by") or "",
                        approved_at=data["approved_at"],
                        terms=data.get("terms") or "",
                        in_writing=bool(data.get("in_writing")),
                        reference=data.get("reference") or "",
                        credit_limit=data.get("credit_limit"),
                        actor=request.user,
                    )
                except DomainError as exc:
                    raise ValidationError(cited(exc)) from None
                return data

        return RecordedByTheService

    def save_model(self, request: HttpRequest, obj: CreditException, form: Any, change: bool) -> None:
        # Written by the service when the form was cleaned (get_form); an approval is never edited.
        return

    def get_exclude(self, request: HttpRequest, obj: CreditException | None = None) -> list[str]:
        return ["organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: CreditException | None = None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["key", "user", "endpoint", "status", "created_at"]
    search_fields = ["key"]
