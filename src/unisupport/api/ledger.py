"""Ledger endpoints: customers read their own balances and statements; the vendor's staff post.

Every posting accepts an ``Idempotency-Key`` header: a retry with the same key gets the first
response back and writes nothing more. A refusal is 409 with its ``rule``; bad input is 422 naming
the ``field``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema, Status

from unisupport import clock
from unisupport.accounts.scope import Scope, scope_of
from unisupport.api.errors import answered, no_order
from unisupport.api.posting import IDEMPOTENCY, POSTED, posted
from unisupport.api.schemas import ErrorOut
from unisupport.deliveries.selectors import reserved_by_account, verify_deliveries
from unisupport.domain.errors import DomainError
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.ledger import presenters, selectors, services
from unisupport.ledger.rate_services import import_rates

router = Router(tags=["ledger"])


class AccountOut(Schema):
    site: str
    kind: str
    service: str | None
    balance: str
    reserved: str = Field(
        ..., description="Held by open delivery requests (taken from the balance when requested)"
    )
    available: str = Field(..., description="What can still be spent or requested")


class BalanceOut(Schema):
    order: str
    accounts: list[AccountOut]


class RedeemIn(Schema):
    order: str
    site: str
    service: str
    quantity: Decimal
    on: date | None = None
    delivery_on: date | None = None
    reason: str = ""


class ExchangeIn(Schema):
    order: str
    from_site: str = Field(..., alias="from")
    to_site: str = Field(..., alias="to")
    credits: Decimal
    on: date | None = None
    to_order: str | None = None
    reason: str = ""


class HoursIn(Schema):
    order: str
    site: str
    service: str
    hours: Decimal
    on: date | None = None
    reason: str = ""


class ServiceExchangeIn(Schema):
    """Move ``amount`` of the allocation from ``from_service`` to ``to_service`` at ``site`` (FLX-4, DEL-9)."""

    order: str
    site: str
    from_service: str
    to_service: str
    amount: Decimal
    approved_by: str
    on: date | None = None
    reason: str = ""


class CancellationIn(Schema):
    """Either ``entry`` (what paid: the refund is posted to it), or ``cost`` (with ``order`` and ``site``:
    the fee is charged to the money the order owes; without them: a quote, nothing posted)."""

    delivery: date
    on: date | None = None
    entry: str | None = None
    cost: Decimal | None = None
    currency: str = "USD"
    order: str | None = None
    site: str | None = None


class CompensateIn(Schema):
    reason: str
    on: date | None = None


class ExceptionIn(Schema):
    order: str
    site: str = ""
    approved_by: str
    approved_at: datetime
    terms: str
    in_writing: bool = True
    reference: str = ""
    credit_limit: Decimal | None = None


class ExpireIn(Schema):
    on: date | None = None


@router.get("/orders/{number}/balance", response={200: BalanceOut, 404: ErrorOut})
def balance(request: HttpRequest, number: str, site: str | None = None) -> Status | HttpResponse:
    """Return the balances of an order's accounts (one site's with `?site=FR`), as `ledger balance` prints them."""

    def compute() -> Status:
        try:
            scope = scope_of(request.user)
            held = reserved_by_account(scope, order=number)
            return Status(200, selectors.balances(scope, order=number, site=site, reserved=held))
        except DomainError:
            raise no_order(number, field="number") from None

    return answered(compute)


class StatementQuery(Schema):
    account: str | None = None
    site: str | None = None
    kind: str | None = None
    rule: str | None = None
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    format: str = "json"
    limit: int = Field(1000, ge=0, le=10000)
    offset: int = Field(0, ge=0)


@router.get("/orders/{number}/statement", response={200: list[dict[str, Any]], 404: ErrorOut, 422: ErrorOut})
def statement(request: HttpRequest, number: str, query: Query[StatementQuery]) -> Status | HttpResponseBase:
    """Return the entries of an order in the order written, with the balance after each (filters: account
    SITE/KIND[/SERVICE], site, kind, rule, from, to); `?format=csv` for all of them as CSV."""
    scope = scope_of(request.user)
    return answered(lambda: _statement(scope, number, query))


def _statement(scope: Scope, number: str, query: StatementQuery) -> Status | HttpResponseBase:
    try:
        selectors.scoped_order(scope, number=number)
    except DomainError:
        raise no_order(number, field="number") from None
    filters = selectors.StatementFilter(
        query.account, query.site, query.kind, query.rule, query.date_from, query.date_to
    )
    rows = selectors.statement(scope, order=number, filters=filters)
    if query.format == "csv":
        # Streamed from the database's cursor: a million lines never sit in memory.
        response = StreamingHttpResponse(
            presenters.statement_csv_chunks(rows, order=number), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{number}-statement.csv"'
        return response
    page = rows[query.offset : query.offset + query.limit]
    return Status(200, presenters.statement_rows(page, order=number))


@router.post("/credits/redeem", response=POSTED, openapi_extra=IDEMPOTENCY)
def redeem(request: HttpRequest, payload: RedeemIn) -> Status:
    """Redeem credits for a service at the rate card in force (CRD-1); 409 CRD-2 when the balance is short."""

    def run() -> dict[str, Any]:
        done = services.redeem_credits(scope=scope_of(request.user), at=clock.now(), actor=request.user, command=Redemption.parse(order=payload.order, site=payload.site, service=payload.service, quantity=payload.quantity, on=payload.on, delivery_on=payload.delivery_on, reason=payload.reason))  # fmt: skip
        return presenters.redemption_json(
            done, order=payload.order, site=payload.site, service=payload.service, quantity=payload.quantity
        )

    return posted(request, "credits/redeem", run)


@router.post("/credits/exchange", response=POSTED, openapi_extra=IDEMPOTENCY)
def exchange(request: HttpRequest, payload: ExchangeIn) -> Status:
    """Exchange credits between the host and a downstream site of one order (MC-6) at the rate in force (MC-7)."""

    def run() -> dict[str, Any]:
        done, debited, credited = services.exchange_credits(scope=scope_of(request.user), at=clock.now(),
            order=payload.order, from_site=payload.from_site, to_site=payload.to_site, credits=payload.credits,
            actor=request.user, on=payload.on, to_order=payload.to_order, reason=payload.reason,
        )  # fmt: skip
        return {
            "debited": int(debited.amount),
            "credited": int(credited.amount),
            "rule": done.rule,
            "entries": done.ids,
        }

    return posted(request, "credits/exchange", run)


@router.post("/credits/exceptions", response=POSTED, openapi_extra=IDEMPOTENCY)
def credit_exception(request: HttpRequest, payload: ExceptionIn) -> Status:
    """Record a CRD-3 approval (who, when, terms, in writing) that lets a redemption go below zero."""

    def run() -> dict[str, Any]:
        row = services.record_credit_exception(scope=scope_of(request.user),
            order=payload.order, site=payload.site, approved_by=payload.approved_by,
            approved_at=payload.approved_at, terms=payload.terms, in_writing=payload.in_writing,
            reference=payload.reference, credit_limit=payload.credit_limit, actor=request.user,
        )  # fmt: skip
        return {"id": row.pk, "order": payload.order, "site": row.site or None, "rule": "CRD-3"}

    return posted(request, "credits/exceptions", run)


@router.post("/hours/consume", response=POSTED, openapi_extra=IDEMPOTENCY)
def consume(request: HttpRequest, payload: HoursIn) -> Status:
    """Consume hours from a block (HRS-1); 409 HRS-2 beyond its balance."""

    def run() -> dict[str, Any]:
        done = services.consume_hours(scope=scope_of(request.user), at=clock.now(), actor=request.user, command=Consumption.parse(order=payload.order, site=payload.site, service=payload.service, hours=payload.hours, on=payload.on, reason=payload.reason))  # fmt: skip
        return presenters.consumption_json(
            done, order=payload.order, site=payload.site, service=payload.service
        )

    return posted(request, "hours/consume", run)


@router.post("/allocation/exchange", response=POSTED, openapi_extra=IDEMPOTENCY)
def allocation_exchange(request: HttpRequest, payload: ServiceExchangeIn) -> Status:
    """Exchange a service bought with the allocation for another of equal value (FLX-4), with the service
    delivery manager's agreement (DEL-9); 409 DEL-9, FLX-1 or FLX-4 when refused."""
    from unisupport.ledger.exchange_services import exchange_allocated_service

    def run() -> dict[str, Any]:
        done = exchange_allocated_service(scope=scope_of(request.user), at=clock.now(),
            order=payload.order, site=payload.site, from_service=payload.from_service,
            to_service=payload.to_service, amount=payload.amount, approved_by=payload.approved_by,
            on=payload.on, reason=payload.reason, actor=request.user,
        )  # fmt: skip
        return {"rule": done.rule, "entries": done.ids}

    return posted(request, "allocation/exchange", run)


@router.post("/fees/cancellation", response=POSTED, openapi_extra=IDEMPOTENCY)
def cancellation(request: HttpRequest, payload: CancellationIn) -> Status:
    """The DEL-2 fee for cancelling a delivery: posted to what paid (`entry`), charged to the order's money
    (`cost`, `order`, `site`), or only quoted (`cost`)."""

    def run() -> dict[str, Any]:
        fee, done = services.cancel_delivery(scope=scope_of(request.user), at=clock.now(),
            entry=payload.entry, cost=payload.cost, currency=payload.currency, order=payload.order,
            site=payload.site, delivery=payload.delivery, on=payload.on, actor=request.user,
        )  # fmt: skip
        return presenters.fee_json(fee, done)

    return posted(request, "fees/cancellation", run)


@router.post("/entries/{entry}/compensate", response=POSTED, openapi_extra=IDEMPOTENCY)
def compensate(request: HttpRequest, entry: str, payload: CompensateIn) -> Status:
    """Correct an entry by a compensating entry (CRD-4: never an edit or a delete)."""

    def run() -> dict[str, Any]:
        done = services.compensate_entry(
            scope=scope_of(request.user),
            at=clock.now(),
            entry=entry,
            reason=payload.reason,
            actor=request.user,
            on=payload.on,
        )
        return {"rule": done.rule, "entries": done.ids}

    return posted(request, f"entries/{entry}/compensate", run)


@router.post("/rates/import", response=POSTED, openapi_extra=IDEMPOTENCY)
def rates_import(request: HttpRequest) -> Status:
    """Import rate cards and exchange rates (the YAML file of `unisupport rates import`, as the body)."""
    text = request.body.decode("utf-8", errors="replace")
    return posted(request, "rates/import", lambda: import_rates(text=text))


@router.post("/expire", response=POSTED, openapi_extra=IDEMPOTENCY)
def expire(request: HttpRequest, payload: ExpireIn) -> Status:
    """Forfeit what was not used by its last day (ORD-5, FLX-2); safe to call twice."""

    def run() -> dict[str, Any]:
        on = payload.on or clock.today()
        rows = services.expire_all(scope=scope_of(request.user), at=clock.now(), on=on, actor=request.user)
        return {"on": on.isoformat(), "entries": [r.uid for r in rows]}

    return posted(request, "expire", run)


@router.get("/verify", response={200: dict[str, Any], 403: ErrorOut})
def verify(request: HttpRequest) -> Status:
    """Return the audit of the whole ledger (`ledger verify --json`); `ok` is false on any violation."""

    def compute() -> Status:
        scope = scope_of(request.user)
        data = selectors.verify_ledger(scope=scope).as_dict()
        deliveries = verify_deliveries(scope)  # the reservations that pay for deliveries (DEL-2)
        return Status(200, data | {"ok": data["ok"] and not deliveries, "deliveries": deliveries})

    return answered(compute)
