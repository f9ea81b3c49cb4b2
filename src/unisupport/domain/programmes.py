"""The enhanced offerings' programmes: the dated milestones each one sets from the contract's
execution (MCS-1, MCS-2, MCS-3, UER-2, UER-3, REDE-1) and their states.

Pure: the caller gives the offerings the order holds, its execution date (the order file's
``signed:``, else its start) and its last day. Counting, a Reading the user documentation states:
"the first N days" counts the execution day as day 1 (its last day is execution + N - 1);
"within N days of execution" ends N days after it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import PLATFORM, PLATFORM_PLUS, REDE, UER

ONBOARDING_DAYS = 60  # MCS-1, UER-3: the first 60 days
INITIAL_DOCUMENTATION_DAYS = 14  # MCS-2: within 14 days of contract execution
CUSTOMER_DOCUMENTS_DAYS = 30  # MCS-3: the customer's documents within the first 30 days
MONITORS_READY_DAYS = 30  # MCS-3: monitors ready for testing within 30 days after onboarding ends
MEETINGS_PER_YEAR = 4  # UER-2: quarterly incident-management meetings
REDE_PRIORITIES_DAYS = 30  # REDE-1 Product rule: the source dates no initial meeting (policy.yaml)


class MilestoneState(StrEnum):
    """Where a milestone stands; "late" is not stored: it is a pending one past its date."""

    PENDING = "pending"
    DONE = "done"
    WAIVED = "waived"


LATE = "late"


@dataclass(frozen=True, slots=True)
class PlannedMilestone:
    """One milestone a programme sets: its key (unique in the order), rule, name and due date."""

    key: str
    offering: str
    rule: str
    name: Message  # the portal shows it in its reader's language
    due: date | None  # None: no date (declared when it happens)
    position: int = 0  # the order shown, within a programme


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved ``months`` months on, the 31st becoming the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_milestones(
    *,
    offerings: Iterable[str],
    executed_on: date,
    term_end: date,
    rede_priorities_days: int = REDE_PRIORITIES_DAYS,
) -> list[PlannedMilestone]:
    """Return the milestones the enhanced offerings among ``offerings`` set, by due date."""
    if term_end < executed_on:
        raise InvalidInput(
            "end",
            Message(
                gettext_noop("the order ends ({end}) before it is executed ({on})"),
                end=term_end,
                on=executed_on,
            ),
        )
    held = set(offerings)
    onboarding_end = executed_on + timedelta(days=ONBOARDING_DAYS - 1)
    planned: list[PlannedMilestone] = []

    def add(key: str, offering: str, rule: str, name: Message, due: date | None) -> None:
        planned.append(PlannedMilestone(key, offering, rule, name, due, len(planned)))

    platform = PLATFORM_PLUS if PLATFORM_PLUS in held else PLATFORM if PLATFORM in held else None
    if platform:
        add(
            "mcs-initial-documentation",
            platform,
            "MCS-2",
            Message(gettext_noop("Initial documentation completed with the CSAM")),
            executed_on + timedelta(days=INITIAL_DOCUMENTATION_DAYS),
        )
    if platform == PLATFORM_PLUS:
        add(
            "mcs-customer-documents",
            platform,
            "MCS-3",
            Message(gettext_noop("Customer's documents provided")),
            executed_on + timedelta(days=CUSTOMER_DOCUMENTS_DAYS - 1),
        )
        add(
            "mcs-scenarios-defined",
            platform,
            "MCS-3",
            Message(gettext_noop("Monitoring scenarios defined (during onboarding)")),
            onboarding_end,
        )
    if platform:
        add(
            "mcs-onboarding",
            platform,
            "MCS-1",
            Message(gettext_noop("Onboarding and discovery completed (first 60 days)")),
            onboarding_end,
        )
    if platform == PLATFORM_PLUS:
        add(
            "mcs-monitors-ready",
            platform,
            "MCS-3",
            Message(gettext_noop("Monitors ready for testing")),
            onboarding_end + timedelta(days=MONITORS_READY_DAYS),
        )
        add(
            "mcs-monitors-operational",
            platform,
            "MCS-3",
            Message(gettext_noop("Monitors declared operational (triaged 24x7)")),
            None,
        )
    if REDE in held:
        add(
            "rede-priorities-meeting",
            REDE,
            "REDE-1",
            Message(gettext_noop("Initial priorities meeting, recorded in the service delivery plan")),
            min(executed_on + timedelta(days=rede_priorities_days), term_end),
        )
    if UER in held:
        add(
            "uer-onboarding",
            UER,
            "UER-3",
            Message(gettext_noop("Onboarding documentation provided and onboarding attended")),
            onboarding_end,
        )
        quarter = 1
        # Each quarter's meeting is due by its last day (the day before the quarter's anniversary).
        while (due := add_months(executed_on, 3 * quarter) - timedelta(days=1)) <= term_end:
            year, within = divmod(quarter - 1, MEETINGS_PER_YEAR)
            add(
                f"uer-quarterly-meeting-{quarter}",
                UER,
                "UER-2",
                Message(
                    gettext_noop("Quarterly incident-management meeting (year {year}, Q{quarter})"),
                    year=year + 1,
                    quarter=within + 1,
                ),
                due,
            )
            quarter += 1
    return sorted(planned, key=lambda m: (m.due or date.max, m.position))


def late_from(due: date | None, zone: str) -> datetime | None:
    """Return the instant a milestone due on ``due`` turns late: the start of the next day at the
    order's host site (``zone``), in UTC; None for a milestone without a date."""
    if due is None:
        return None
    # Midnight local, converted here once (DST: zoneinfo gives the offset of that very night).
    return datetime.combine(due + timedelta(days=1), time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def state_at(state: str, late_since: datetime | None, now: datetime) -> str:
    """Return ``state`` as shown at ``now``: a pending milestone whose day has passed is "late"."""
    if state == MilestoneState.PENDING and late_since is not None and late_since <= now:
        return LATE
    return state
