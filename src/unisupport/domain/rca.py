"""Root cause analysis requests (RCA-1..RCA-5): who may ask, until when, and when it is due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from unisupport.domain.calendar import Clock
from unisupport.domain.errors import RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import PLATFORM_TIERS, REDE, UER
from unisupport.domain.sla import Severity

MCS_REQUEST_WINDOW = timedelta(days=7)  # RCA-2: calendar days after closure
MCS_DELIVERY_DAYS = 10  # RCA-2: business days


class RequestedVia(StrEnum):
    """Who relays the request."""

    CUSTOMER = "customer"
    CSAM = "csam"  # RCA-3: under UER, through the CSAM
    MCS_ENGINEER = "mcs-engineer"  # RCA-2: the customer's aligned MCS engineer


@dataclass(frozen=True, slots=True)
class RcaDecision:
    """An accepted RCA request: the rule it stands on, and when the analysis is due (if stated)."""

    rule: str
    due_at: datetime | None
    note: str  # English; a constant template, so the portal can translate the stored text

    def as_dict(self) -> dict[str, object]:
        """Return the decision as JSON."""
        return {"rule": self.rule, "due_at": self.due_at, "note": self.note}


def decide_rca(
    *,
    served: Iterable[str],
    severity: Severity,
    requested_at: datetime,
    via: RequestedVia,
    closed_at: datetime | None,
    mitigated_at: datetime | None,
    production_impact: bool,
    calendar: Clock,
    business_day: timedelta = timedelta(hours=8, minutes=30),
) -> RcaDecision:
    """Return the decision on an RCA request, or raise RuleViolation naming the rule that refuses it.

    Under MCS for Azure Platform, RCA-2 applies when its conditions hold; otherwise the
    foundational RCA-1 (before closure) still can. UER includes no RCA (RCA-3): requested
    through the CSAM, RCA-1 applies.
    """
    offerings = set(served)
    refusals: list[tuple[str, Message]] = []
    if offerings & set(PLATFORM_TIERS):
        problem = _mcs_problem(severity, requested_at, via, closed_at, production_impact)
        if problem is None:
            start = max(requested_at, mitigated_at) if mitigated_at else requested_at
            return RcaDecision(
                "RCA-2",
                # Ten business days: ten full days of the site's business hours (09:00–17:30 by
                # default), so that a request at 10:00 is due at 10:00 ten working days later.
                calendar.add_business_time(start, business_day * MCS_DELIVERY_DAYS),
                Message(
                    gettext_noop(
                        "MCS for Azure Platform: delivered within 10 business days of the later of the request "
                        "and the mitigation"
                    )
                ),
            )
        refusals.append(("RCA-2", problem))
    if REDE in offerings and severity in (Severity.SEV_1, Severity.A):
        return RcaDecision(
            "RCA-4",
            None,
            Message(
                gettext_noop(
                    "performed by the REDE engineer for an incident with critical business impact, where "
                    "possible for the products concerned"
                )
            ),
        )
    if UER in offerings and via is not RequestedVia.CSAM and via is not RequestedVia.MCS_ENGINEER:
        refusals.append(
            (
                "RCA-3",
                Message(
                    gettext_noop("Unified Enhanced Response includes no RCA: ask for one through your CSAM")
                ),
            )
        )
    elif closed_at is not None and closed_at <= requested_at:
        refusals.append(
            (
                "RCA-1",
                Message(gettext_noop("an RCA must be requested explicitly before the incident is closed")),
            )
        )
    else:
        note = (
            gettext_noop(
                "through the CSAM (RCA-3); requested before closure; available for some technologies only and "
                "may carry a fee"
            )
            if UER in offerings
            else gettext_noop(
                "requested before closure; available for some technologies only and may carry a fee"
            )
        )
        return RcaDecision("RCA-1", None, Message(note))
    # Name the first rule tried (the offering's own, e.g. RCA-2), and say what else was tried.
    (rule, message), *others = refusals
    for other_rule, other in others:
        message = Message(
            gettext_noop("{refusal}; {rule}: {other}"), refusal=message, rule=other_rule, other=other
        )
    raise RuleViolation(rule, message, field="rca")


def _mcs_problem(
    severity: Severity, requested_at: datetime, via: RequestedVia, closed_at: datetime | None, impact: bool
) -> Message | None:
    if severity not in (Severity.SEV_1, Severity.A):
        return Message(gettext_noop("MCS for Azure Platform provides RCAs for Sev 1 and A incidents only"))
    if not impact:
        return Message(
            gettext_noop("MCS for Azure Platform provides RCAs only for incidents with production impact")
        )
    if via is not RequestedVia.MCS_ENGINEER:
        return Message(
            gettext_noop(
                "an MCS for Azure Platform RCA is requested through the customer's aligned MCS engineer"
            )
        )
    if closed_at is not None and requested_at > closed_at + MCS_REQUEST_WINDOW:
        return Message(
            gettext_noop("an MCS for Azure Platform RCA can be requested up to 7 calendar days after closure")
        )
    return None
