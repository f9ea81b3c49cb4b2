"""RSP-6: the vendor asks an incident's reactive contacts to perform diagnostics (network traces,
error captures, configuration, changes); the customer says when they are provided. Both are in the
incident's timeline, naming RSP-6; the ask is e-mailed to the incident's contacts, its opener and the
order's reactive support contacts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from unisupport.accounts.permissions import can_ask_rca_documents, can_follow_up_incidents, require
from unisupport.accounts.scope import Scope
from unisupport.domain.contacts import ContactRole
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.incidents import TimelineKind
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.texts import clean_text
from unisupport.incidents.models import DiagnosticRequest
from unisupport.incidents.selectors import incident_for
from unisupport.incidents.services.common import FOLLOW_UP_REFUSAL, actor_of, record, require_aware
from unisupport.incidents.services.customer_mail import tell_customer
from unisupport.orders.models import OrderContact

ASK_REFUSAL = Message(gettext_noop("only the vendor's staff ask the customer for diagnostics"))


@transaction.atomic
def ask_diagnostics(*, scope: Scope, incident_id: int, what: str, at: dt.datetime) -> DiagnosticRequest:
    """Return the diagnostics asked of the incident's reactive contacts (RSP-6), e-mailed to them."""
    at = require_aware(at, field="at")
    require(scope, can_ask_rca_documents, ASK_REFUSAL)
    text = clean_text(what, field="what", limit=300, required=True)
    incident = incident_for(scope, incident_id=incident_id, for_update=True)
    actor = actor_of(scope)
    row = DiagnosticRequest.objects.create(
        organisation_id=incident.organisation_id, incident=incident, what=text, asked_at=at,
        asked_by=actor.get_username() if actor else "",
    )  # fmt: skip
    record(incident, kind=TimelineKind.DIAGNOSTICS_ASKED, at=at, actor=actor, rule="RSP-6", what=text)
    # The incident's customer recipients and the order's reactive support contacts (RSP-2), each in
    # their language.
    reactive = OrderContact.objects.filter(order_id=incident.order_id, role=ContactRole.REACTIVE, active=True)
    tell_customer(
        incident, event="diagnostics", at=at, also=reactive.values_list("email", flat=True),
        key=f"diagnostics:{row.pk}", what=text,
    )  # fmt: skip
    return row


@transaction.atomic
def provide_diagnostics(
    *, scope: Scope, request_id: int, at: dt.datetime, note: str = ""
) -> DiagnosticRequest:
    """Return the diagnostics request marked provided by the customer (RSP-6); provided once."""
    at = require_aware(at, field="at")
    require(scope, can_follow_up_incidents, FOLLOW_UP_REFUSAL)
    row = DiagnosticRequest.objects.select_related("incident").filter(pk=request_id).first()
    if row is None or not scope.sees(row.organisation_id):
        raise NotFound(Message(gettext_noop("no diagnostics request #{id}"), id=request_id), field="request")
    if row.provided_at is not None:
        raise InvalidInput("request", Message(gettext_noop("provided already, on {at}"), at=row.provided_at))
    row.provided_at, row.note = at, clean_text(note, field="note", limit=2000)
    row.save(update_fields=["provided_at", "note"])
    record(
        row.incident,
        kind=TimelineKind.DIAGNOSTICS_PROVIDED,
        at=at,
        actor=actor_of(scope),
        rule="RSP-6",
        what=row.what,
    )
    return row
