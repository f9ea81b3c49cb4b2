"""The JSON shape of a programme's records, the same for the API and the CLI."""

from __future__ import annotations

import datetime as dt

from unisupport.accounts.scope import Scope
from unisupport.domain.programmes import state_at
from unisupport.programmes.models import ImprovementPlan, Milestone, MonitoringScenario


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
