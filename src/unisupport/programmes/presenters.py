"""The JSON shape of a programme's records, the same for the API and the CLI."""

from __future__ import annotations

import datetime as dt

from unisupport.accounts.scope import Scope
from unisupport.domain.programmes import state_at
from unisupport.ledger.models import LedgerEntry
from unisupport.orders.models import EnrolledSubscription
from unisupport.programmes.models import (
    ImprovementPlan,
    Milestone,
    MonitorAlert,
    MonitoringScenario,
    Outage,
    OutageNotice,
    PreSignatureAuthorisation,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def milestone_json(milestone: Milestone, *, now: dt.datetime) -> dict[str, object]:
    """Return one milestone; ``state`` is "late" at ``now`` for a pending one whose day has passed."""
    return {
        "id": milestone.pk,
        "order": milestone.order.number,
        "key": milestone.key,
        "offering": milestone.offering,
        "rule": milestone.rule,
        "name": str(milestone.title),
        "due": _iso(milestone.due),
        "state": state_at(milestone.state, milestone.late_from, now),
        "done_at": _iso(milestone.done_at),
        "done_by": milestone.done_by or None,
        "evidence": milestone.evidence or None,
        "evidence_file": milestone.evidence_name or None,
        "waived_at": _iso(milestone.waived_at),
        "waived_by": milestone.waived_by or None,
        "waive_reason": milestone.waive_reason or None,
        "reminded_at": _iso(milestone.reminded_at),
    }


def scenario_json(scenario: MonitoringScenario, *, scope: Scope) -> dict[str, object]:
    """Return one monitoring scenario; its monitors and thresholds only for the vendor (MCS-3: confidential)."""
    data: dict[str, object] = {
        "id": scenario.pk,
        "order": scenario.order.number,
        "name": scenario.name,
        "operational_at": _iso(scenario.operational_at),
        "created_at": _iso(scenario.created_at),
        "rule": "MCS-3",
    }
    if scope.is_vendor:
        data |= {"monitors": scenario.monitors, "thresholds": scenario.thresholds}
    return data


def plan_json(plan: ImprovementPlan) -> dict[str, object]:
    """Return one service improvement plan (MCS-4)."""
    return {
        "id": plan.pk,
        "order": plan.order.number,
        "requested_on": _iso(plan.requested_on),
        "requested_by": plan.requested_by or None,
        "topic": plan.topic or None,
        "rule": "MCS-4",
    }


def alert_json(alert: MonitorAlert) -> dict[str, object]:
    """Return a fired monitor: the incident it joined, or whether the customer was asked to open one (MCS-3)."""
    return {
        "id": alert.pk,
        "scenario": alert.scenario_id,
        "incident": alert.incident_id,
        "customer_asked": alert.customer_asked_at is not None,
        "rule": "MCS-3",
    }


def outage_json(outage: Outage, sent: list[OutageNotice]) -> dict[str, object]:
    """Return a declared outage and the communications this declaration sent (MCS-5)."""
    return {
        "id": outage.pk,
        "title": outage.title,
        "communications": [{"order": n.order.number, "email": n.email} for n in sent],
        "rule": "MCS-5",
    }


def enrolment_json(enrolled: EnrolledSubscription) -> dict[str, object]:
    """Return a subscription enrolled on an order (MCS-6)."""
    return {
        "order": enrolled.order.number,
        "subscription": enrolled.subscription_id,
        "region": enrolled.region,
        "rule": "MCS-6",
    }


def authorisation_json(authorised: PreSignatureAuthorisation) -> dict[str, object]:
    """Return the customer's authorisation of MSCIR work before signature (MCS-9)."""
    return {
        "order": authorised.order.number,
        "authorised_by": authorised.authorised_by,
        "authorised_at": _iso(authorised.authorised_at),
        "rule": "MCS-9",
    }


def bill_json(order: str, entry: LedgerEntry) -> dict[str, object]:
    """Return the entry billing MSCIR work before signature (MCS-9)."""
    return {"order": order, "entry": entry.uid, "amount": str(entry.amount), "rule": entry.rule}
