"""The JSON shape of customer-success records, the same for the API and the CLI."""

from __future__ import annotations

from unisupport.domain.success import DOMAINS
from unisupport.orders.models import ContactChange
from unisupport.success.models import SuccessPlan


def contact_change_json(change: ContactChange) -> dict[str, object]:
    """Return a change of a contact with its RSP-3 verdict: the deadline and whether it came late."""
    return {
        "id": change.pk,
        "contact": change.contact_id,
        "changed_on": change.changed_on.isoformat(),
        "reported_at": change.reported_at.isoformat(),
        "deadline": change.deadline.isoformat(),
        "late": change.late,
        "what": change.what,
        "rules": ["RSP-3"],
    }


def plan_json(plan: SuccessPlan) -> dict[str, object]:
    """Return a success plan: objectives, activities per SM-2 domain, comments, revisions."""
    objectives = [
        {
            "id": o.pk,
            "title": o.title,
            "measure": o.measure or None,
            "target": o.target.isoformat() if o.target else None,
            "state": o.state,
            "outcome": o.outcome or None,
        }
        for o in plan.objectives.order_by("pk")
    ]
    activities = {
        domain: [
            {
                "id": a.pk,
                "activity": a.activity,
                "description": a.description or None,
                "objective": a.objective_id,
                "done": a.done,
                "delivery": a.delivery_id,
                "incident": a.incident_id,
                "milestone": a.milestone_id,
            }
            for a in plan.activities.filter(domain=domain).order_by("pk")
        ]
        for domain in DOMAINS
    }
    return {
        "agreement": plan.agreement.code,
        "csam": plan.agreement.csam.get_username() if plan.agreement.csam else None,
        "objectives": objectives,
        "activities": activities,
        "comments": [{"at": c.at.isoformat(), "by": c.author, "text": c.text} for c in plan.comments.all()],
        "revisions": [{"at": r.at.isoformat(), "by": r.by, "what": r.what} for r in plan.revisions.all()],
        "rules": ["SM-1", "SM-2", "SM-3"],
    }
