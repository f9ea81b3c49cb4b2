"""Who may do what: one named permission per kind of write, each a yes or no on the caller's scope.

The services that write ask these before they write and raise Forbidden when the answer is no;
interfaces ask them only to show or hide an action. Whose rows a caller reaches is the scope's own
question (``Scope.sees``): a permission says what a role may do, the scope to which customers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import Forbidden
from unisupport.domain.messages import Message, gettext_noop

# The vendor's staff who work incidents; with the customer's reactive contacts and administrators,
# those who open them (RSP-1, RSP-2).
INCIDENT_WORKERS = frozenset({Role.SUPPORT_ENGINEER, Role.INCIDENT_MANAGER, Role.CSAM, Role.BACK_OFFICE})
INCIDENT_OPENERS = frozenset({Role.CUSTOMER_ADMIN, Role.REACTIVE_CONTACT}) | INCIDENT_WORKERS


def can_open_incidents(scope: Scope) -> bool:
    """Return whether ``scope`` may open incidents (RSP-2: reactive contacts and administrators; vendor staff)."""
    return scope.has(*INCIDENT_OPENERS)


def can_follow_up_incidents(scope: Scope) -> bool:
    """Return whether ``scope`` may act on an incident for the customer.

    Answer a customer action (SEV-9), request an RCA (RCA-1) or a post-incident review (INC-8),
    provide an RCA document (RCA-5): those who may open incidents, not a read-only viewer.
    """
    return can_open_incidents(scope)


def can_work_incidents(scope: Scope) -> bool:
    """Return whether ``scope`` works incidents: responds, changes severity and state, logs time."""
    return scope.has(*INCIDENT_WORKERS)


def can_relay_rca(scope: Scope) -> bool:
    """Return whether ``scope`` may relay an RCA request as the CSAM (RCA-3) or the MCS engineer (RCA-2)."""
    return can_work_incidents(scope)


def can_ask_rca_documents(scope: Scope) -> bool:
    """Return whether ``scope`` may ask the customer for documents for an RCA (RCA-5)."""
    return can_work_incidents(scope)


def can_record_past_events(scope: Scope) -> bool:
    """Return whether ``scope`` may record an event at an instant of its choosing rather than now."""
    return scope.is_vendor


def can_post_to_ledger(scope: Scope) -> bool:
    """Return whether ``scope`` may post redemptions, consumption, exchanges and fees to the ledger."""
    return scope.is_vendor


def can_audit_ledger(scope: Scope) -> bool:
    """Return whether ``scope`` may audit the whole ledger."""
    return scope.is_vendor


def can_manage_orders(scope: Scope) -> bool:
    """Return whether ``scope`` may validate and import orders, approve CRD-3 exceptions and corrections."""
    return scope.can_manage_orders()


def can_manage_calendars(scope: Scope) -> bool:
    """Return whether ``scope`` may change the support locations' calendars (closures, working days, hours)."""
    return scope.can_manage_orders()


# Proactive deliveries (DEL-*): the customer's support services administrator asks (RSP-1, RSP-5)
# and may cancel; the vendor's CSAMs, schedulers and back office do everything; engineers deliver.
DELIVERY_REQUESTERS = frozenset({Role.CUSTOMER_ADMIN, Role.CSAM, Role.DELIVERY_SCHEDULER, Role.BACK_OFFICE})
DELIVERY_SCHEDULERS = frozenset({Role.CSAM, Role.DELIVERY_SCHEDULER, Role.BACK_OFFICE})


EVENT_BOOKERS = frozenset({Role.CUSTOMER_ADMIN, Role.CSAM, Role.BACK_OFFICE})


def can_book_events(scope: Scope) -> bool:
    """Return whether ``scope`` may book an event's coverage: the customer's administrator or the CSAM."""
    return scope.has(*EVENT_BOOKERS)


def can_request_deliveries(scope: Scope) -> bool:
    """Return whether ``scope`` may request (and cancel) proactive deliveries for its organisation."""
    return scope.has(*DELIVERY_REQUESTERS)


def can_schedule_deliveries(scope: Scope) -> bool:
    """Return whether ``scope`` may schedule, reschedule and cancel deliveries as the vendor."""
    return scope.has(*DELIVERY_SCHEDULERS)


def can_deliver(scope: Scope) -> bool:
    """Return whether ``scope`` may record a delivery as delivered (the vendor's engineers and schedulers)."""
    return scope.has(*DELIVERY_SCHEDULERS, Role.SUPPORT_ENGINEER)


PAST_EVENTS_REFUSAL = Message(
    gettext_noop("only the vendor's staff log events after the fact (at): leave it out to record now")
)


def instant_of(scope: Scope, *, given: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """Return the instant an event is recorded at: ``given`` if ``scope`` may log events after the
    fact (can_record_past_events), else now — a customer's events are recorded when they happen."""
    if given is None:
        return now
    require(scope, can_record_past_events, PAST_EVENTS_REFUSAL)
    return given


def require(
    scope: Scope, allowed: Callable[[Scope], bool], refusal: Message, *, field: str | None = "actor"
) -> None:
    """Return None if ``allowed(scope)``, else raise Forbidden with ``refusal`` (the services' one check)."""
    if not allowed(scope):
        raise Forbidden(refusal, field=field)


# iCalendar feeds of deliveries: the customer's administrator keeps their own organisation's, the
# vendor's schedulers any; an engineer keeps the feed of the deliveries they deliver.
def can_keep_organisation_feed(scope: Scope, organisation_id: int) -> bool:
    """Return whether ``scope`` may create or revoke the delivery feed of ``organisation_id``."""
    if scope.has(*DELIVERY_SCHEDULERS):
        return True
    return scope.has(Role.CUSTOMER_ADMIN) and organisation_id in scope.organisation_ids


def can_keep_engineer_feed(scope: Scope, engineer_id: int) -> bool:
    """Return whether ``scope`` may create or revoke the delivery feed of engineer ``engineer_id``."""
    return scope.has(*DELIVERY_SCHEDULERS) or (scope.is_vendor and scope.user_id == engineer_id)


# Enhanced programmes (MCS-*, UER-*, REDE-1): the customer's administrator and the vendor's CSAMs,
# incident managers and back office mark milestones done and ask for plans; only the vendor waives a
# milestone, agrees monitoring scenarios (their telemetry is confidential) and declares outages.
PROGRAMME_RUNNERS = frozenset({Role.CUSTOMER_ADMIN, Role.CSAM, Role.INCIDENT_MANAGER, Role.BACK_OFFICE})
PROGRAMME_MANAGERS = frozenset({Role.CSAM, Role.INCIDENT_MANAGER, Role.BACK_OFFICE})


def can_run_programmes(scope: Scope) -> bool:
    """Return whether ``scope`` may mark a programme's milestones done, request a SIP or name outage contacts."""
    return scope.has(*PROGRAMME_RUNNERS)


def can_manage_programmes(scope: Scope) -> bool:
    """Return whether ``scope`` may waive milestones, agree monitoring scenarios and declare outages (vendor)."""
    return scope.has(*PROGRAMME_MANAGERS)


# The customer's contacts named on an order (RSP-1, RSP-2, RSP-3): their administrator manages
# them; the vendor's CSAMs and back office may too, and see every change.
CONTACT_MANAGERS = frozenset({Role.CUSTOMER_ADMIN, Role.CSAM, Role.BACK_OFFICE})


def can_manage_contacts(scope: Scope) -> bool:
    """Return whether ``scope`` may add, change or deactivate the contacts named on an order."""
    return scope.has(*CONTACT_MANAGERS)


WEBHOOK_MANAGERS = frozenset({Role.CUSTOMER_ADMIN, Role.CSAM, Role.BACK_OFFICE})


def can_manage_webhooks(scope: Scope) -> bool:
    """Return whether ``scope`` may register, rotate, disable and test webhook endpoints."""
    return scope.has(*WEBHOOK_MANAGERS)


def can_edit_success_plans(scope: Scope) -> bool:
    """Return whether ``scope`` may edit a success plan: the vendor's CSAMs and back office (SM-3)."""
    return scope.has(Role.CSAM, Role.BACK_OFFICE)


def can_comment_success_plans(scope: Scope) -> bool:
    """Return whether ``scope`` may comment a success plan: the customer's administrator or the vendor's CSAMs."""
    return scope.has(Role.CUSTOMER_ADMIN, Role.CSAM, Role.BACK_OFFICE)


def can_manage_rosters(scope: Scope) -> bool:
    """Return True for the back office, who keeps the on-call rosters the escalation assigns from (INC-2, INC-4)."""
    return scope.has(Role.BACK_OFFICE)


def can_manage_vendor_people(scope: Scope) -> bool:
    """Return True for the back office, who invites the vendor's own people with vendor roles (role_fits)."""
    return scope.has(Role.BACK_OFFICE)
