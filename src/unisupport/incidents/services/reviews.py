"""Root cause analyses (RCA-1..RCA-5) and UER post-incident reviews (INC-8)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.permissions import (
    can_ask_rca_documents,
    can_follow_up_incidents,
    can_relay_rca,
    require,
)
from unisupport.accounts.scope import Scope
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.errors import InvalidInput
from unisupport.domain.incidents import TimelineKind, check_post_incident_review
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.rca import RequestedVia, decide_rca, open_routes, rca2_due
from unisupport.domain.sla import Severity, scope_refusal
from unisupport.incidents.models import (
    Attachment,
    Incident,
    Milestone,
    MilestoneKind,
    MilestoneState,
    PostIncidentReview,
    RcaDocument,
    RcaRequest,
)
from unisupport.incidents.selectors import incident_for
from unisupport.incidents.services.common import (
    FOLLOW_UP_REFUSAL,
    actor_of,
    record,
    require_aware,
    site_calendar,
)


@transaction.atomic
def request_rca(
    *, scope: Scope, incident_id: int, at: dt.datetime, via: str = RequestedVia.CUSTOMER
) -> RcaRequest:
    """Return the accepted RCA request, or raise RuleViolation naming the rule that refuses it."""
    at = require_aware(at)
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    try:
        via_ = RequestedVia(via)
    except ValueError:
        raise InvalidInput(
            "via",
            Message(gettext_noop("unknown requester {via!r} (customer, csam or mcs-engineer)"), via=via),
        ) from None
    if via_ is not RequestedVia.CUSTOMER:
        relay = gettext_noop("only the vendor's staff relay an RCA request (via csam or mcs-engineer)")
        require(scope, can_relay_rca, Message(relay))
    if incident.rca_requests.exists():
        raise InvalidInput(
            "rca", Message(gettext_noop("an RCA was already requested for incident #{id}"), id=incident.pk)
        )
    calendar = site_calendar(country=incident.site_country, timezone=incident.site_timezone)
    decision = decide_rca(
        served=_covering(incident),
        severity=Severity(incident.severity),
        requested_at=at,
        via=via_,
        closed_at=incident.closed_at,
        mitigated_at=incident.mitigated_at,
        production_impact=incident.production_impact,
        calendar=calendar,
    )
    rca = RcaRequest.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        requested_at=at,
        via=via_,
        rule=decision.rule,
        due_at=decision.due_at,
        note=decision.note,
        requested_by=actor_of(scope),
    )
    if decision.due_at is not None:
        Milestone.objects.create(
            organisation_id=incident.organisation_id,
            incident=incident,
            kind=MilestoneKind.RCA_DUE,
            due_at=decision.due_at,
            data={"rca": rca.pk},
        )
    record(
        incident,
        kind=TimelineKind.RCA_REQUESTED,
        at=at,
        actor=actor_of(scope),
        rule=decision.rule,
        via=via_.value,
        due=decision.due_at,
        note=decision.note,
    )
    return rca


def move_rca2_due(incident: Incident, *, mitigated_at: dt.datetime, actor: User | None) -> None:
    """Move the due date of the incident's pending RCA-2 analysis when it is mitigated after the request.

    RCA-2: due 10 business days after the later of the request and the mitigation. Called inside
    the mitigation's transaction: the analysis, its RCA_DUE milestone and the timeline move together.
    """
    pending = list(
        incident.rca_requests.filter(rule="RCA-2", delivered_at__isnull=True, due_at__isnull=False)
    )
    if not pending:
        return
    calendar = site_calendar(country=incident.site_country, timezone=incident.site_timezone)
    for rca in pending:
        due = rca2_due(requested_at=rca.requested_at, mitigated_at=mitigated_at, calendar=calendar)
        if due == rca.due_at:
            continue
        previous, rca.due_at = rca.due_at, due
        rca.save(update_fields=["due_at"])
        Milestone.objects.filter(
            incident=incident, kind=MilestoneKind.RCA_DUE, state=MilestoneState.PENDING, data__rca=rca.pk
        ).update(due_at=due)
        record(
            incident,
            kind=TimelineKind.RCA_DUE_MOVED,
            at=mitigated_at,
            actor=actor,
            rule="RCA-2",
            previous=previous,
            due=due,
            note=gettext_noop("due 10 business days after the mitigation, later than the request"),
        )


@transaction.atomic
def ask_rca_document(*, scope: Scope, incident_id: int, what: str, at: dt.datetime) -> RcaDocument:
    """Return the record of a document asked of the customer for the RCA (RCA-5)."""
    at = require_aware(at)
    asking = gettext_noop("only the vendor's staff ask the customer for RCA documents")
    require(scope, can_ask_rca_documents, Message(asking))
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    rca = incident.rca_requests.first()
    if rca is None:
        raise InvalidInput(
            "rca", Message(gettext_noop("no RCA was requested for incident #{id}"), id=incident.pk)
        )
    doc = RcaDocument.objects.create(
        organisation_id=incident.organisation_id, rca=rca, what=what, asked_at=at
    )
    record(
        incident, kind=TimelineKind.RCA_DOCUMENT_ASKED, at=at, actor=actor_of(scope), rule="RCA-5", what=what
    )
    return doc


@transaction.atomic
def provide_rca_document(
    *, scope: Scope, document_id: int, at: dt.datetime, attachment: Attachment | None = None
) -> RcaDocument:
    """Return the document marked as provided by the customer (RCA-5), with the incident's file that
    answers it when there is one."""
    at = require_aware(at)
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    doc = RcaDocument.objects.select_related("rca__incident").filter(pk=document_id).first()
    if doc is None or not scope.sees(doc.organisation_id):
        raise InvalidInput("document", Message(gettext_noop("no RCA document #{id}"), id=document_id))
    if attachment is not None and doc.attachment_id is None:
        if attachment.incident_id != doc.rca.incident_id:
            raise InvalidInput(
                "document",
                Message(gettext_noop("RCA document #{id} belongs to another incident"), id=document_id),
            )
        doc.attachment = attachment
        doc.save(update_fields=["attachment"])
    if doc.provided_at is not None:
        return doc  # provided already: a retry records nothing more
    doc.provided_at = at
    doc.save(update_fields=["provided_at"])
    record(
        doc.rca.incident,
        kind=TimelineKind.RCA_DOCUMENT_PROVIDED,
        at=at,
        actor=actor_of(scope),
        rule="RCA-5",
        what=doc.what,
        **({"file": attachment.number} if attachment is not None else {}),
    )
    return doc


@transaction.atomic
def request_post_incident_review(
    *, scope: Scope, incident_id: int, at: dt.datetime, scheduled_for: dt.datetime | None = None
) -> PostIncidentReview:
    """Return the UER post-incident review of a Sev 1 incident, on request (INC-8)."""
    at = require_aware(at)
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    opened_at_sev1 = incident.severity == Severity.SEV_1 or (
        incident.timeline.filter(kind=TimelineKind.OPENED, data__severity="1").exists()
    )
    check_post_incident_review(served_by=incident.served_by, sev1=opened_at_sev1)
    review, _ = PostIncidentReview.objects.update_or_create(
        incident=incident,
        defaults={
            "organisation_id": incident.organisation_id,
            "requested_at": at,
            "scheduled_for": require_aware(scheduled_for, "scheduled_for") if scheduled_for else None,
        },
    )
    record(
        incident,
        kind=TimelineKind.POST_INCIDENT_REVIEW,
        at=at,
        actor=actor_of(scope),
        rule="INC-8",
        scheduled_for=review.scheduled_for,
    )
    return review


def _covering(incident: Incident) -> list[str]:
    """Return the offerings serving ``incident`` that cover its product: RCA-2 is MCS for Azure
    Platform's, and counts only where MCS covers the product (SEV-6, MCS-6)."""
    product = current_catalog().product(incident.product)
    return [code for code in incident.served_by if scope_refusal(code, product) is None]


def rca_routes(incident: Incident, *, at: dt.datetime) -> list[str]:
    """Return the routes (customer, csam, mcs-engineer) an RCA request on ``incident`` would be accepted
    through at ``at`` (the same decision as :func:`request_rca`'s)."""
    return [
        via.value
        for via in open_routes(
            served=_covering(incident), severity=Severity(incident.severity), at=at, closed_at=incident.closed_at,
            mitigated_at=incident.mitigated_at, production_impact=incident.production_impact,
            calendar=site_calendar(country=incident.site_country, timezone=incident.site_timezone),
        )
    ]  # fmt: skip
