"""Incident endpoints (RULES.md §8–§10): customers open and follow their incidents, the vendor's staff work them.

Scoped to the caller's organisation: another organisation's incident answers 404. Every action
calls the same service as `unisupport incident …`. A refusal answers 409 naming its rule (SEV-8,
RCA-1 …), input that cannot be read 422 naming its field, a role that may not act 403.
`at` (ISO 8601 with its offset) logs an event after the fact: it defaults to now, and only the
vendor's staff may set it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, Query, Router, Schema
from pydantic import BaseModel, ConfigDict

from unisupport import clock
from unisupport.accounts.permissions import instant_of
from unisupport.accounts.scope import Scope, scope_of
from unisupport.api.errors import answered
from unisupport.api.posting import IDEMPOTENCY, answered_once
from unisupport.api.schemas import ErrorOut
from unisupport.domain.errors import InvalidInput
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.incidents import IncidentState
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import Severity
from unisupport.incidents import services
from unisupport.incidents.models import Incident, PostIncidentReview, RcaDocument, RcaRequest
from unisupport.incidents.presenters import attainment_csv, incident_json, iso
from unisupport.incidents.queue import QueueFilters, queue_slice
from unisupport.incidents.selectors import attainment_report, incident_detail, rca_document_for

router = Router(tags=["incidents"])

ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
AT_HELP = (
    "When it happened, ISO 8601 with its offset (e.g. 2026-12-18T17:00:00+01:00); default: now. "
    "Only the vendor's staff log events after the fact."
)
INSTANT = "UTC, ISO 8601 with a Z"


# -- schemas ------------------------------------------------------------------------------


class ExclusionOut(Schema):
    offering: str
    rule: str = Field(..., description="SEV-10, INC-1 or INC-6")
    reason: str


class TimelineEventOut(BaseModel):
    """One event of the timeline; its other facts (channel, severity, due, reason …) follow as extra keys."""

    # A plain pydantic model: ninja's Schema reads declared fields only, and would drop the extras.
    model_config = ConfigDict(extra="allow")

    at: str = Field(..., description=INSTANT)
    kind: str = Field(..., examples=["opened", "target-set", "first-response", "severity-changed"])
    actor: str = Field(..., description="The person's username, or `system`")
    rule: str | None


class CallbackOut(Schema):
    """How the vendor reaches the person who opened the incident (RSP-6)."""

    phone: str | None
    email: str | None


class IncidentSummaryOut(Schema):
    id: int
    order: str
    organisation: str
    site: str = Field(..., description="Country of the support site, whose calendar runs a business clock")
    site_timezone: str
    product: str
    title: str
    kind: str = Field(..., description="problem-resolution or advisory")
    channel: str = Field(..., description="phone, web, email or chat (INC-1)")
    source_portal: str
    subscription: str | None = Field(None, description="The Azure subscription affected (MCS-6)")
    callback: CallbackOut = Field(..., description="The opener's callback phone and e-mail (RSP-6)")
    language: str = Field(..., description="ISO 639-1 (SEV-10)")
    proposed_severity: str = Field(..., description="What the customer proposed (SEV-1)")
    severity: str = Field(..., description="The agreed severity: 1, A, B or C (SEV-1)")
    option_24x7: bool = Field(..., description="Sev B submitted with the 24x7 option (SEV-7)")
    state: str = Field(..., description="new, in-progress, waiting-on-customer, mitigated or closed")
    opened_at: str = Field(..., description=INSTANT)
    due: str | None = Field(..., description="First response due, " + INSTANT)
    due_local: str | None = Field(..., description="The same instant in the support site's time zone")
    counts_until: str | None = Field(
        ...,
        description="The last instant a first response still meets the target (SEV-2, SEV-7): the due "
        "time, or the next opening when the target ends at a closing (no business time elapses between). "
        + INSTANT,
    )
    target_minutes: int | None
    clock: str | None = Field(..., description="24x7 or business (SEV-7)")
    offering: str | None = Field(..., description="The offering whose target applies (SEV-2)")
    rules: list[str]
    seconds_left: int | None = Field(..., description="Until the due time, while the response is pending")
    first_response_at: str | None
    response_met: bool | None = Field(..., description="null while pending")
    served_by: list[str]
    excluded: list[ExclusionOut]
    escalation: dict[str, Any] = Field(..., description="INC-2..INC-5, INC-9")
    assigned_engineer: str | None
    incident_manager: str | None
    mitigated_at: str | None
    closed_at: str | None


class RcaDocumentOut(Schema):
    id: int
    what: str
    asked_at: str
    provided_at: str | None
    attachment: int | None = Field(
        None, description="The number of the incident's file that answered it (…/attachments/{number})"
    )


class RcaOut(Schema):
    id: int
    incident: int
    rule: str = Field(..., description="RCA-1 or RCA-2: the rule it stands on")
    via: str
    requested_at: str
    due_at: str | None = Field(..., description="RCA-2: 10 business days after the request or mitigation")
    note: str
    delivered_at: str | None
    documents: list[RcaDocumentOut] = Field(
        ..., description="Asked of the customer, and when provided (RCA-5)"
    )


class ReviewOut(Schema):
    incident: int
    requested_at: str
    scheduled_for: str | None
    held_at: str | None


class IncidentOut(IncidentSummaryOut):
    timeline: list[TimelineEventOut]
    rca: list[RcaOut]
    review: ReviewOut | None = Field(..., description="UER post-incident review (INC-8)")
    advisory_hours: str | None = Field(..., description="Advisory time logged (HRS-3: 6 hours at most)")


class OpenIn(Schema):
    order: str = Field(..., examples=["ESO-2026-001"])
    site: str = Field(..., description="Country of the support site on the order", examples=["FR"])
    severity: str = Field(..., description="1, A, B or C", examples=["B"])
    product: str = Field(..., description="As the product catalogue names it", examples=["Exchange Online"])
    title: str
    description: str = ""
    channel: str = Field("web", description="phone or web (advisory: email, chat or phone) (INC-1)")
    kind: Literal["problem-resolution", "advisory"] = "problem-resolution"
    option_24x7: bool = Field(False, description="Sev B with continuous 24x7 engagement (SEV-7)")
    language: str = Field("en", description="ISO 639-1 language asked for (SEV-10)")
    source_portal: str = Field("", description="e.g. `Azure portal` (INC-1)")
    proposed_severity: str | None = Field(
        None, description="What the customer proposed, if different (SEV-1)"
    )
    production_impact: bool = Field(True, description="For RCA-2")
    contacts: list[str] = []
    subscription: str = Field(
        "",
        description="The Azure subscription affected; required under MCS once the order enrols some (MCS-6)",
    )
    callback_phone: str = Field(
        "", description="The phone number the vendor calls back (RSP-6): digits, spaces and + ( ) . -"
    )
    callback_email: str = Field("", description="The e-mail address the vendor writes back to (RSP-6)")
    at: dt.datetime | None = Field(None, description=AT_HELP)


class AtIn(Schema):
    at: dt.datetime | None = Field(None, description=AT_HELP)


class RespondIn(AtIn):
    channel: Literal["phone", "email"] = Field(..., description="A first response is by phone or e-mail")
    automated: bool = Field(
        False, description="An automatic acknowledgement: logged, does not stop the clock"
    )


class SeverityIn(AtIn):
    to: str = Field(..., description="1, A, B or C", examples=["C"])
    reason: str | None = Field(
        None,
        description="Required for a downgrade (SEV-8): customer-resources, customer-responses or obligation-missed",
    )
    option_24x7: bool | None = Field(None, description="Sev B only; default: keep the current choice")


class StateIn(AtIn):
    state: Literal["in-progress", "waiting-on-customer", "mitigated", "closed"]


class CustomerActionIn(AtIn):
    what: str = Field("", description="What is asked of the customer (SEV-9)")


class RcaIn(AtIn):
    via: Literal["customer", "csam", "mcs-engineer"] = Field(
        "customer", description="Who relays the request (RCA-2: the aligned MCS engineer; RCA-3: the CSAM)"
    )


class DocumentIn(AtIn):
    what: str = Field(..., description="What the customer is asked for: log files, network traces … (RCA-5)")


class AdvisoryIn(AtIn):
    hours: Decimal = Field(..., description="Hours spent (HRS-3: 6 per incident at most)", examples=["1.5"])
    note: str = ""


class ReviewIn(AtIn):
    scheduled_for: dt.datetime | None = Field(None, description="When the review takes place (ISO 8601)")


# Bodies whose every field is optional may be left out altogether.
NOTHING = Body(AtIn.model_validate({}))
NOTHING_ASKED = Body(CustomerActionIn.model_validate({}))
CUSTOMER_RCA = Body(RcaIn.model_validate({}))
UNSCHEDULED = Body(ReviewIn.model_validate({}))


class ListQuery(Schema):
    order: str | None = None
    customer: str | None = Field(None, description="The customer organisation's name (vendor staff)")
    site: str | None = Field(None, description="The site's country code (FR, DE …)")
    breached: bool = Field(False, description="Only incidents whose first response was late")
    state: str | None = Field(None, description="new, in-progress, waiting-on-customer, mitigated or closed")
    severity: str | None = Field(None, description="1, A, B or C")
    open: bool = Field(False, description="Only incidents not closed")
    sort: Literal["newest", "time-left", "severity"] = Field(
        "newest",
        description="newest first; time-left: the queue's order, breached first then by response due time "
        "(SEV-2..SEV-7); severity",
    )
    limit: int = Field(200, ge=1, le=1000)
    after: int | None = Field(
        None,
        description="The id of the last incident of the page before: the next page starts after it, in the "
        "same order (a keyset: the same cost on page 1 and on page 10,000)",
    )
    offset: int = Field(0, ge=0, description="Rows to skip; `after` is the cheaper way to page")


class FiguresOut(Schema):
    incidents: int = Field(..., description="First responses decided (met or breached)")
    met: int
    pending: int = Field(..., description="Still running")
    attainment: float | None = Field(..., description="met / incidents; null when nothing was decided")


class AttainmentOut(FiguresOut):
    order: str | None
    start: str = Field(..., alias="from")
    end: str = Field(..., alias="to")
    by_severity: dict[str, FiguresOut]
    by_offering: dict[str, FiguresOut]
    by_site: dict[str, FiguresOut]


class ReportQuery(Schema):
    order: str | None = None
    start: str = Field(..., alias="from", description="ISO date (00:00 UTC) or instant, inclusive")
    end: str = Field(..., alias="to", description="ISO date (00:00 UTC) or instant, exclusive")
    format: Literal["json", "csv"] = "json"


# -- helpers ------------------------------------------------------------------------------


def _when(scope: Scope, at: dt.datetime | None) -> dt.datetime:
    """Return ``at`` if the caller may log after the fact, else now (accounts.permissions.instant_of)."""
    return instant_of(scope, given=at, now=clock.now())


def _rca_json(rca: RcaRequest) -> dict[str, object]:
    return {
        "id": rca.pk,
        "incident": rca.incident_id,
        "rule": rca.rule,
        "via": rca.via,
        "requested_at": iso(rca.requested_at),
        "due_at": iso(rca.due_at),
        "note": rca.note,
        "delivered_at": iso(rca.delivered_at),
        "documents": [
            _document_json(d) for d in rca.documents.select_related("attachment").order_by("asked_at", "pk")
        ],
    }


def _document_json(doc: RcaDocument) -> dict[str, object]:
    return {
        "id": doc.pk,
        "what": doc.what,
        "asked_at": iso(doc.asked_at),
        "provided_at": iso(doc.provided_at),
        "attachment": doc.attachment.number if doc.attachment is not None else None,
    }


def _review_json(review: PostIncidentReview) -> dict[str, object]:
    return {
        "incident": review.incident_id,
        "requested_at": iso(review.requested_at),
        "scheduled_for": iso(review.scheduled_for),
        "held_at": iso(review.held_at),
    }


def incident_answer(body: dict[str, object], *, status: int = 200) -> HttpResponse:
    """Return ``body`` (an incident as ``_detail_json`` shows it) as the JSON answer, sent as is.

    Ninja would check a returned dict against IncidentOut, field by field (a fifth of a
    millisecond on every incident opened), and send the result: the same document, since
    IncidentOut describes the presenter's output exactly. Every endpoint that answers with the
    incident sends it this way; tests hold the answers to IncidentOut, with and without an RCA
    (test_api_incident_opening.py, test_api_incidents.py), so the OpenAPI document stays true.
    """
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


def _detail(scope: Scope, incident_id: int, *, status: int = 200) -> HttpResponse:
    """Return the answer of every endpoint that shows the incident (as GET /api/incidents/{id})."""
    return incident_answer(_detail_body(scope, incident_id), status=status)


def _detail_body(scope: Scope, incident_id: int) -> dict[str, object]:
    detail = incident_detail(scope, incident_id=incident_id)
    return _detail_json(
        detail.incident, rcas=detail.rcas, review=detail.review, advisory_hours=detail.advisory_hours
    )


def _then_detail(
    request: HttpRequest,
    endpoint: str,
    scope: Scope,
    incident_id: int,
    write: Callable[[], object],
    *,
    status: int = 200,
) -> HttpResponse:
    """Return the incident after ``write``, once per Idempotency-Key (a retry writes nothing more)."""

    def run() -> tuple[int, dict[str, Any]]:
        write()
        return status, _detail_body(scope, incident_id)

    return answered_once(request, endpoint, run)


def _detail_json(
    incident: Incident,
    *,
    rcas: Iterable[RcaRequest],
    review: PostIncidentReview | None,
    advisory_hours: Decimal | None,
) -> dict[str, object]:
    data = incident_json(incident, now=clock.now())
    data["rca"] = [_rca_json(r) for r in rcas]
    data["review"] = _review_json(review) if review else None
    total = Decimal(advisory_hours or 0).quantize(Decimal("0.01"))
    data["advisory_hours"] = str(total) if incident.kind == "advisory" else None
    return data


def _bound(text: str, field: str) -> dt.datetime:
    """Return an ISO date (00:00 UTC) or an ISO instant with its offset, in UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=dt.UTC)
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, Message(gettext_noop("{text!r} is not an ISO 8601 date or instant"), text=text)
        ) from None
    if instant.utcoffset() is None:
        raise InvalidInput(
            field, Message(gettext_noop("{text!r} has no UTC offset: add one (e.g. +01:00) or Z"), text=text)
        )
    return instant.astimezone(dt.UTC)


# -- reads --------------------------------------------------------------------------------


@router.get("/incidents", response={200: list[IncidentSummaryOut], 422: ErrorOut})
def list_incidents(request: HttpRequest, filters: Query[ListQuery]) -> list[dict[str, object]]:
    """Return the incidents the caller may see, newest first or in the queue's order (as
    `unisupport incident list --json`)."""
    if filters.state and filters.state not in {s.value for s in IncidentState}:
        raise InvalidInput("state", Message(gettext_noop("unknown state {state!r}"), state=filters.state))
    chosen = QueueFilters(
        order=filters.order or "",
        customer_name=filters.customer or "",
        site=filters.site or "",
        breached=filters.breached,
        state=filters.state or "",
        severity=Severity.parse(filters.severity).value if filters.severity else "",
        open_only=filters.open,
        sort=filters.sort,
    )
    now = clock.now()
    found = queue_slice(
        scope_of(request.user), chosen, at=now, after=filters.after, size=filters.offset + filters.limit,
        count=False, related=("assigned_engineer", "incident_manager"),
    ).incidents[filters.offset :]  # fmt: skip
    return [incident_json(i, now=now, timeline=False) for i in found]


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS})
def get_incident(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Return an incident: target, due time (UTC and the site's time), time left, outcome, timeline, RCA."""
    return _detail(scope_of(request.user), incident_id)


# -- opening and working an incident ------------------------------------------------------


@router.post("/incidents", response={201: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY)
def open_incident(request: HttpRequest, data: OpenIn) -> HttpResponse:
    """Open an incident (customers' reactive contacts and administrators for their own organisation, the
    vendor's staff for any): the agreed severity fixes the response target and due time (SEV-1..SEV-7)."""
    scope = scope_of(request.user)

    def run() -> tuple[int, dict[str, Any]]:
        created = services.open_incident(
            scope=scope,
            command=OpenIncident.parse(
                order_number=data.order,
                site_country=data.site,
                severity=data.severity,
                proposed_severity=data.proposed_severity,
                product=data.product,
                channel=data.channel,
                title=data.title,
                description=data.description,
                kind=data.kind,
                option_24x7=data.option_24x7,
                language=data.language,
                source_portal=data.source_portal,
                production_impact=data.production_impact,
                contacts=data.contacts,
                subscription=data.subscription,
                callback_phone=data.callback_phone,
                callback_email=data.callback_email,
            ),
            at=_when(scope, data.at),
            actor=request.user if isinstance(request.user, User) else None,
        )
        # The same body as GET /api/incidents/{id}, built from what the service wrote (it returns the
        # incident with its timeline) rather than read back: a new incident has no RCA, review or time.
        return 201, _detail_json(created, rcas=(), review=None, advisory_hours=None)

    return answered_once(request, "incidents.open", run)


@router.post(
    "/incidents/{incident_id}/respond", response={200: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def respond(request: HttpRequest, incident_id: int, data: RespondIn) -> HttpResponse:
    """Record a contact with the customer; the first non-automated one by phone or e-mail is the first response."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.respond", scope, incident_id,
        lambda: services.respond(
            scope=scope, incident_id=incident_id, channel=data.channel, automated=data.automated,
            at=_when(scope, data.at),
        ),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/severity", response={200: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def change_severity(request: HttpRequest, incident_id: int, data: SeverityIn) -> HttpResponse:
    """Change the severity (SEV-8): a downgrade needs its reason (409 SEV-8 without); the clock carries on."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.severity", scope, incident_id,
        lambda: services.change_severity(
            scope=scope, incident_id=incident_id, to=data.to, reason=data.reason,
            option_24x7=data.option_24x7, at=_when(scope, data.at),
        ),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/mitigate", response={200: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def mitigate(request: HttpRequest, incident_id: int, data: AtIn = NOTHING) -> HttpResponse:
    """Mark the incident mitigated (the later of this and an RCA-2 request starts its delivery clock)."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.mitigate", scope, incident_id,
        lambda: services.mitigate(scope=scope, incident_id=incident_id, at=_when(scope, data.at)),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/close", response={200: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def close(request: HttpRequest, incident_id: int, data: AtIn = NOTHING) -> HttpResponse:
    """Close the incident (a foundational RCA must be requested before, RCA-1)."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.close", scope, incident_id,
        lambda: services.close(scope=scope, incident_id=incident_id, at=_when(scope, data.at)),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/state", response={200: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def set_state(request: HttpRequest, incident_id: int, data: StateIn) -> HttpResponse:
    """Move the incident to another state (e.g. back in progress after a mitigation that did not hold)."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.state", scope, incident_id,
        lambda: services.set_state(scope=scope, incident_id=incident_id, state=data.state, at=_when(scope, data.at)),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/customer-action",
    response={200: IncidentOut, **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def request_customer_action(
    request: HttpRequest, incident_id: int, data: CustomerActionIn = NOTHING_ASKED
) -> HttpResponse:
    """Ask the customer for something: the incident waits on the customer and the SEV-9 clock starts
    (Sev B: change approval within 4 business hours; Sev C: a response within 24 hours)."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.customer-action", scope, incident_id,
        lambda: services.request_customer_action(
            scope=scope, incident_id=incident_id, what=data.what, at=_when(scope, data.at)
        ),
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/customer-action/answered",
    response={200: IncidentOut, **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def customer_answered(request: HttpRequest, incident_id: int, data: AtIn = NOTHING) -> HttpResponse:
    """Record the customer's answer (SEV-9): the incident is back in progress."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.customer-action.answered", scope, incident_id,
        lambda: services.fulfil_customer_action(scope=scope, incident_id=incident_id, at=_when(scope, data.at)),
    )  # fmt: skip


# -- root cause analysis, advisory time, post-incident review -----------------------------


@router.post("/incidents/{incident_id}/rca", response={201: RcaOut, **ERRORS}, openapi_extra=IDEMPOTENCY)
def request_rca(request: HttpRequest, incident_id: int, data: RcaIn = CUSTOMER_RCA) -> HttpResponse:
    """Request a root cause analysis; a refusal answers 409 naming RCA-1, RCA-2 or RCA-3."""
    scope = scope_of(request.user)

    def run() -> tuple[int, dict[str, Any]]:
        rca = services.request_rca(
            scope=scope, incident_id=incident_id, via=data.via, at=_when(scope, data.at)
        )
        return 201, _rca_json(rca)

    return answered_once(request, "incidents.rca", run)


@router.post(
    "/incidents/{incident_id}/rca/documents",
    response={201: RcaDocumentOut, **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def ask_rca_document(request: HttpRequest, incident_id: int, data: DocumentIn) -> HttpResponse:
    """Record a document asked of the customer for the RCA (RCA-5)."""
    scope = scope_of(request.user)

    def run() -> tuple[int, dict[str, Any]]:
        doc = services.ask_rca_document(
            scope=scope, incident_id=incident_id, what=data.what, at=_when(scope, data.at)
        )
        return 201, _document_json(doc)

    return answered_once(request, "incidents.rca.documents", run)


@router.post(
    "/incidents/{incident_id}/rca/documents/{document_id}/provided",
    response={200: RcaDocumentOut, **ERRORS},
    openapi_extra=IDEMPOTENCY,
)
def provide_rca_document(
    request: HttpRequest, incident_id: int, document_id: int, data: AtIn = NOTHING
) -> HttpResponse:
    """Record when the customer provided an RCA document (RCA-5)."""
    scope = scope_of(request.user)

    def run() -> tuple[int, dict[str, Any]]:
        rca_document_for(scope, incident_id=incident_id, document_id=document_id)
        doc = services.provide_rca_document(scope=scope, document_id=document_id, at=_when(scope, data.at))
        return 200, _document_json(doc)

    return answered_once(request, "incidents.rca.documents.provided", run)


@router.post(
    "/incidents/{incident_id}/advisory-time", response={201: IncidentOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def log_advisory_time(request: HttpRequest, incident_id: int, data: AdvisoryIn) -> HttpResponse:
    """Log time on an advisory request; refused past 6 hours per incident (409 HRS-3)."""
    scope = scope_of(request.user)
    return _then_detail(
        request, "incidents.advisory-time", scope, incident_id,
        lambda: services.log_advisory_time(
            scope=scope, incident_id=incident_id, hours=data.hours, note=data.note, at=_when(scope, data.at)
        ),
        status=201,
    )  # fmt: skip


@router.post(
    "/incidents/{incident_id}/review", response={201: ReviewOut, **ERRORS}, openapi_extra=IDEMPOTENCY
)
def request_review(request: HttpRequest, incident_id: int, data: ReviewIn = UNSCHEDULED) -> HttpResponse:
    """Request UER's post-incident review of a Sev 1 incident (INC-8; 409 INC-8 otherwise)."""
    scope = scope_of(request.user)

    def run() -> tuple[int, dict[str, Any]]:
        review = services.request_post_incident_review(
            scope=scope, incident_id=incident_id, at=_when(scope, data.at), scheduled_for=data.scheduled_for
        )
        return 201, _review_json(review)

    return answered_once(request, "incidents.review", run)


# -- the SLA attainment report ------------------------------------------------------------

CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "The report as JSON, or as CSV with `format=csv`",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/sla/attainment",
    response={200: AttainmentOut, 404: ErrorOut, 422: ErrorOut},
    by_alias=True,
    openapi_extra=CSV_RESPONSE,
)
def attainment(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Return the SLA attainment of first responses over incidents opened in [from, to): overall, per
    severity, offering and site, computed in the database (as `unisupport sla report --json`)."""
    report = attainment_report(
        scope_of(request.user),
        order=query.order,
        start=_bound(query.start, "from"),
        end=_bound(query.end, "to"),
    )
    if query.format == "csv":
        response = HttpResponse(attainment_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sla-attainment.csv"'
        return response
    return {**report, "from": iso(report["from"]), "to": iso(report["to"])}  # type: ignore[arg-type]


class DiagnosticsIn(Schema):
    what: str = Field(..., description="What the reactive contacts are asked to perform (RSP-6)")


class DiagnosticsDoneIn(Schema):
    note: str = ""


@router.post(
    "/incidents/{incident_id}/diagnostics",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=IDEMPOTENCY,
)
def ask_for_diagnostics(request: HttpRequest, incident_id: int, data: DiagnosticsIn) -> Any:
    """Ask the incident's reactive contacts to perform diagnostics (the vendor; RSP-6): e-mailed to them."""
    from unisupport.incidents.services.diagnostics import ask_diagnostics

    def run() -> tuple[int, dict[str, Any]]:
        row = ask_diagnostics(
            scope=scope_of(request.user), incident_id=incident_id, what=data.what, at=clock.now()
        )
        return 201, {"id": row.pk, "incident": incident_id, "what": row.what, "rule": "RSP-6"}

    return answered_once(request, "incidents.diagnostics", run)


@router.post(
    "/incidents/diagnostics/{request_id}/provided",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def diagnostics_provided(request: HttpRequest, request_id: int, data: DiagnosticsDoneIn) -> Any:
    """Say the diagnostics asked were performed (the customer; RSP-6)."""
    from unisupport.incidents.services.diagnostics import provide_diagnostics

    def run() -> dict[str, Any]:
        row = provide_diagnostics(
            scope=scope_of(request.user), request_id=request_id, note=data.note, at=clock.now()
        )
        return {
            "id": row.pk,
            "incident": row.incident_id,
            "provided_at": row.provided_at.isoformat() if row.provided_at else None,
            "rule": "RSP-6",
        }

    return answered(run)
