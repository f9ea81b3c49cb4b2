"""Root cause analysis requests (RCA-1..RCA-5): who may ask, until when, and when it is due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from unisupport.domain.calendar import BusinessCalendar
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
    calendar: BusinessCalendar,
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
            return RcaDecision(
                "RCA-2",
                rca2_due(requested_at=requested_at, mitigated_at=mitigated_at, calendar=calendar),
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


def rca2_due(
    *, requested_at: datetime, mitigated_at: datetime | None, calendar: BusinessCalendar
) -> datetime:
    """Return when an RCA-2 analysis is due: 10 business days after the later of the request and the mitigation."""
    start = max(requested_at, mitigated_at) if mitigated_at else requested_at
    return business_days_after(start, MCS_DELIVERY_DAYS, calendar)


def business_days_after(start: datetime, days: int, calendar: BusinessCalendar) -> datetime:
    """Return the instant ``days`` business days after ``start`` on the site's calendar, at the same local time.

    Day arithmetic (RCA-2 *Reading*), not ``days`` × the hours of a day: 10 business days after
    Monday 09:00 is the Monday two weeks later at 09:00. A start outside business hours counts
    from the next opening. A business day is a day open for its full hours: a day closed in whole
    or in part does not count, so a closure moves the due date by a day, never by hours. If the
    due instant falls outside that day's hours, it is the day's last business instant.
    """
    begin = calendar.next_opening(start)  # ``start``, or the next opening
    local = begin.astimezone(calendar.zone)
    day = local.date()
    for _ in range(days):
        day = next_full_business_day(day, calendar)
    due = datetime.combine(day, local.time(), tzinfo=calendar.zone)
    closing = datetime.combine(day, calendar.hours_on(day.weekday())[1], tzinfo=calendar.zone)
    return min(due, closing).astimezone(UTC)


def next_full_business_day(day: date, calendar: BusinessCalendar) -> date:
    """Return the first day after ``day`` that the calendar keeps open for its full hours (its weekday's)."""
    candidate = day
    while True:
        midnight = datetime.combine(candidate + timedelta(days=1), time(0), tzinfo=calendar.zone)
        opening = calendar.next_opening(midnight)
        candidate = opening.astimezone(calendar.zone).date()
        start = datetime.combine(candidate, time(0), tzinfo=calendar.zone)
        end = datetime.combine(candidate + timedelta(days=1), time(0), tzinfo=calendar.zone)
        opening_time, closing_time = calendar.hours_on(candidate.weekday())
        regular = datetime.combine(date.min, closing_time) - datetime.combine(date.min, opening_time)
        if calendar.business_time_between(start, end) >= regular:
            return candidate


def open_routes(
    *,
    served: Iterable[str],
    severity: Severity,
    at: datetime,
    closed_at: datetime | None,
    mitigated_at: datetime | None,
    production_impact: bool,
    calendar: BusinessCalendar,
) -> list[RequestedVia]:
    """Return the routes through which an RCA request would be accepted at ``at`` (RCA-1..RCA-4), in
    RequestedVia's order: what a form offers, decided by :func:`decide_rca` itself."""
    found = []
    for via in RequestedVia:
        try:
            decide_rca(
                served=served, severity=severity, requested_at=at, via=via, closed_at=closed_at,
                mitigated_at=mitigated_at, production_impact=production_impact, calendar=calendar,
            )  # fmt: skip
        except RuleViolation:
            continue
        found.append(via)
    return found
