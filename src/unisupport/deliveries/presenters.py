"""Deliveries as plain data for the CLI's --json and the API (one shape for both)."""

from __future__ import annotations

from decimal import Decimal

from unisupport.deliveries.models import AssessmentWork, Delivery
from unisupport.domain.deliverables import NOTICE
from unisupport.domain.delivery_prices import paid
from unisupport.domain.fees import CancellationFee, cost_text
from unisupport.domain.money import plain
from unisupport.incidents.presenters import iso


def _text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(plain(value))


def delivery_json(delivery: Delivery, *, timeline: bool = False) -> dict[str, object]:
    """Return a delivery: what, where, how paid, its state and date; its timeline when asked."""
    rules = (["DEL-1"] if delivery.best_effort else []) + (["DEL-5"] if delivery.travel_and_expenses else [])
    data: dict[str, object] = {
        "id": delivery.pk,
        "order": delivery.order.number,
        "site": delivery.site,
        "service": delivery.service_id,
        "quantity": _text(delivery.quantity),
        "state": delivery.state,
        "pay": delivery.pay,
        "cost": cost_text(paid(delivery.pay, delivery.cost, delivery.unit)),
        "unit": delivery.unit,
        "payment": delivery.payment.uid,
        "language": delivery.language,
        "on_site": delivery.on_site,
        "travel_and_expenses": delivery.travel_and_expenses,
        "best_effort": delivery.best_effort,
        "requested_at": iso(delivery.requested_at),
        "on": delivery.scheduled_on.isoformat() if delivery.scheduled_on else None,
        "start": delivery.start.isoformat(timespec="minutes") if delivery.start else None,
        "hours": _text(delivery.hours),
        "engineer": delivery.engineer.get_username() if delivery.engineer else None,
        "reschedules": delivery.reschedules,
        "cancelled_by": delivery.cancelled_by or None,
        "refused_under": delivery.refusal_rule or None,
        "reason": delivery.reason or None,
        "delivered_at": iso(delivery.delivered_at),
        "rules": [*rules, delivery.payment.rule, *([delivery.refusal_rule] if delivery.refusal_rule else [])],
    }
    if delivery.minimum or delivery.capacity:
        data |= {
            "capacity": delivery.capacity,
            "minimum": delivery.minimum,
            "registration_deadline": delivery.registration_deadline.isoformat()
            if delivery.registration_deadline
            else None,
        }
    if timeline:
        data["registered"] = delivery.registrations.count()
        files = list(delivery.deliverables.all())
        data["deliverables"] = [
            {"n": n, "name": f.name, "size": f.size, "content_type": f.content_type, "sha256": f.sha256}
            for n, f in enumerate(files, start=1)
        ]
        if files:
            data["notice"] = NOTICE
        work = list(delivery.assessment_work.all())
        if work:
            data["assessment"] = [assessment_work_json(w) for w in work]
        data["timeline"] = [
            {"at": iso(e.at), "kind": e.kind, "actor": e.actor_name or None, "rule": e.rule or None, **e.data}
            for e in delivery.timeline.all()
        ]
    return data


def assessment_work_json(work: AssessmentWork) -> dict[str, object]:
    """Return setup assistance or an analysis resource given to an on-demand assessment (DEL-6)."""
    return {
        "kind": work.kind,
        "starts_at": iso(work.starts_at),
        "ends_at": iso(work.ends_at),
        "hours": _text(work.hours),
        "days": _text(work.days),
        "on_site": work.on_site,
        "charge": work.charge.uid if work.charge is not None else None,
        "rules": ["DEL-6"],
    }


def fee_json(delivery: Delivery, fee: CancellationFee) -> dict[str, object]:
    """Return a delivery after a cancellation or a reschedule, with what it cost (DEL-2, DEL-3, DEL-4)."""
    decision = fee.as_dict()
    return delivery_json(delivery) | {
        "fee_percent": decision["fee_percent"],
        "fee": decision["fee"],
        "refund": decision["refund"],
        "rules": [fee.rule],
    }


def refusal_json(delivery: Delivery, fee: CancellationFee) -> dict[str, object]:
    """Return a delivery refused by the vendor: the rule it cited, and DEL-4's full refund."""
    return fee_json(delivery, fee) | {"rules": list(dict.fromkeys([delivery.refusal_rule, fee.rule]))}
