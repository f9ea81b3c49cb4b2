"""Writes of a programme's milestones: planned when an order buys an enhanced offering, marked done
with evidence by those who do them, waived by the vendor with a reason (MCS-1..MCS-3, UER-2,
UER-3, REDE-1)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from unisupport.accounts.permissions import can_manage_programmes, can_run_programmes, require
from unisupport.accounts.scope import Scope
from unisupport.deliveries.deliverables import Upload, checked
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.lines import SERVING_STATUSES
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.programmes import MilestoneState, PlannedMilestone, late_from, plan_milestones
from unisupport.domain.texts import clean_text
from unisupport.files import store
from unisupport.orders.models import OrderLine, OrderVersion
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import host_zone
from unisupport.programmes.models import Milestone

RUNNER_REFUSAL = Message(
    gettext_noop(
        "only the customer's administrator and the vendor's CSAMs, incident managers and back office do this"
    )
)
MANAGER_REFUSAL = Message(gettext_noop("only the vendor's CSAMs, incident managers and back office do this"))
NOTE_LENGTH = 4000


def serving_offerings(version: OrderVersion) -> set[str]:
    """Return the service codes of ``version``'s lines that serve (ORD-8: not one awaiting the vendor)."""
    return set(
        OrderLine.objects.filter(
            site__order_version=version, status__in=[s.value for s in SERVING_STATUSES]
        ).values_list("service_id", flat=True)
    )


def plan_on_purchase(sender: object, *, version: OrderVersion, at: dt.datetime, **_: object) -> None:
    """Plan the milestones of what ``version`` bought when the orders app announces it (orders.events)."""
    plan_programme(version=version)


def plan_programme(*, version: OrderVersion) -> list[Milestone]:
    """Return the milestones added for the enhanced offerings ``version`` holds (those already
    planned, done or waived are kept as they are)."""
    planned: list[PlannedMilestone] = plan_milestones(
        offerings=serving_offerings(version),
        executed_on=version.executed_on,
        term_end=version.end,
        rede_priorities_days=current_policy().rede_priorities_meeting_days,
    )
    if not planned:
        return []
    existing = set(Milestone.objects.filter(order=version.order).values_list("key", flat=True))
    zone = host_zone(version)
    rows = [
        Milestone(
            organisation_id=version.organisation_id,
            order=version.order,
            key=p.key,
            offering=p.offering,
            rule=p.rule,
            name=p.name.as_json(),
            position=p.position,
            due=p.due,
            late_from=late_from(p.due, zone),
            remind_at=late_from(p.due, zone),
        )
        for p in planned
        if p.key not in existing
    ]
    return Milestone.objects.bulk_create(rows)


def _pending(scope: Scope, milestone_id: int) -> Milestone:
    found = Milestone.objects.select_for_update().select_related("order").filter(pk=milestone_id).first()
    if found is None or not scope.sees(found.organisation_id):
        raise NotFound(Message(gettext_noop("no milestone M-{id}"), id=milestone_id), field="milestone")
    if found.state != MilestoneState.PENDING:
        raise InvalidInput(
            "milestone",
            Message(gettext_noop("M-{id} is already {state}"), id=milestone_id, state=found.state),
        )
    return found


@transaction.atomic
def complete_milestone(
    *,
    scope: Scope,
    milestone_id: int,
    at: dt.datetime,
    note: str = "",
    evidence: Upload | None = None,
    actor: str = "",
) -> Milestone:
    """Return the milestone marked done, with its evidence: a note, a file (its name and bytes, checked
    like a deliverable), or both; one is required."""
    require(scope, can_run_programmes, RUNNER_REFUSAL, field=None)
    text = clean_text(note, field="note", limit=NOTE_LENGTH)
    if not text and evidence is None:
        raise InvalidInput("note", Message(gettext_noop("say what was done, or attach the evidence")))
    accepted = checked([evidence]) if evidence is not None else []
    found = _pending(scope, milestone_id)
    found.state, found.done_at, found.done_by, found.evidence = MilestoneState.DONE, at, actor, text
    found.remind_at = None
    for name, content_type, data in accepted:
        found.evidence_name, found.evidence_type, found.evidence_sha256 = name, content_type, store(data)
    found.save()
    return found


@transaction.atomic
def waive_milestone(
    *, scope: Scope, milestone_id: int, reason: str, at: dt.datetime, actor: str = ""
) -> Milestone:
    """Return the milestone waived by the vendor, with the reason (never late, never reminded)."""
    require(scope, can_manage_programmes, MANAGER_REFUSAL, field=None)
    text = clean_text(reason, field="reason", limit=NOTE_LENGTH)
    if not text:
        raise InvalidInput("reason", Message(gettext_noop("say why the milestone is waived")))
    found = _pending(scope, milestone_id)
    found.state, found.waived_at, found.waived_by, found.waive_reason = MilestoneState.WAIVED, at, actor, text
    found.remind_at = None
    found.save()
    return found
