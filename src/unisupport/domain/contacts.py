"""The customer's contacts named on an order and the reporting of their changes (RSP-1, RSP-2, RSP-3).

Pure: the caller gives the host site's business calendar (weekends, public holidays and closures)
and the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.rca import next_full_business_day

REPORT_BUSINESS_DAYS = 7  # RSP-3


class ContactRole(StrEnum):
    """What a contact is named on the order for."""

    ADMIN = "admin"  # the support services administrator of a host site (RSP-1)
    REACTIVE = "reactive"  # a reactive support contact (RSP-2)
    OUTAGE = "outage"  # told of declared Azure outages (MCS-5)
    ESCALATION = "escalation"


ROLE_RULES = {
    ContactRole.ADMIN: "RSP-1",
    ContactRole.REACTIVE: "RSP-2",
    ContactRole.OUTAGE: "MCS-5",
    ContactRole.ESCALATION: "RSP-1",
}


def parse_role(value: object, *, field: str = "role") -> ContactRole:
    """Return the role named ``value``, or raise InvalidInput naming ``field``."""
    try:
        return ContactRole(str(value or "").strip().lower())
    except ValueError:
        raise InvalidInput(
            field,
            Message(
                gettext_noop("expected one of {roles}, got {value!r}"),
                roles=", ".join(r.value for r in ContactRole),
                value=value,
            ),
        ) from None


def report_deadline(changed_on: date, calendar: BusinessCalendar) -> date:
    """Return the last day a change of a contact made on ``changed_on`` may be reported (RSP-3):
    the 7th business day of the host site counted from the day after the change."""
    day = changed_on
    for _ in range(REPORT_BUSINESS_DAYS):
        day = next_full_business_day(day, calendar)
    return day


@dataclass(frozen=True, slots=True)
class ReportVerdict:
    """When a change had to be reported by, and whether its report came late (RSP-3)."""

    deadline: date
    late: bool
    rules: tuple[str, ...] = ("RSP-3",)


def judge_report(*, changed_on: date, reported_at: datetime, calendar: BusinessCalendar) -> ReportVerdict:
    """Return the verdict on reporting at ``reported_at`` a change made on ``changed_on`` (RSP-3):
    late when the host site's date at the report is after the deadline. A change dated after its
    report is refused."""
    reported_on = reported_at.astimezone(calendar.zone).date()
    if changed_on > reported_on:
        raise InvalidInput(
            "changed_on",
            Message(
                gettext_noop("the change ({changed}) cannot be after its report ({reported})"),
                changed=changed_on,
                reported=reported_on,
            ),
        )
    deadline = report_deadline(changed_on, calendar)
    return ReportVerdict(deadline=deadline, late=reported_on > deadline)
