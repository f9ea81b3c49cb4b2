"""Severity changes (SEV-8) and the customer's obligations (SEV-9), with their clocks.

SEV-8 Reading (RULES.md): milestones still pending continue under the new severity from the
moment of the change; a first response already due is judged against the severity in force
when it fell due. The product reads "continue" as: the response time already elapsed (on the
old clock) counts against the new target, and the rest runs on the new target's clock from
the change; if nothing is left, the response is due at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from unisupport.domain.calendar import Clock
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import EVENT_TIERS
from unisupport.domain.sla import Severity

# Most severe first: a move to the right is a downgrade.
ORDER = (Severity.SEV_1, Severity.A, Severity.B, Severity.C)


class DowngradeReason(StrEnum):
    """The grounds SEV-8 accepts: the customer does not provide adequate resources or responses."""

    CUSTOMER_RESOURCES = "customer-resources"
    CUSTOMER_RESPONSES = "customer-responses"
    # The customer did not meet a SEV-9 obligation. As in the source, the ground does not need a
    # SEV-9 milestone to have passed in the product; the change records whether one had.
    OBLIGATION_MISSED = "obligation-missed"


def is_downgrade(current: Severity, target: Severity) -> bool:
    """Return True when ``target`` is less severe than ``current``."""
    return ORDER.index(target) > ORDER.index(current)


def check_severity_change(
    *, current: Severity, target: Severity, reason: str | None, offering: str
) -> DowngradeReason | None:
    """Return the accepted downgrade reason (None for an upgrade), or refuse with SEV-8."""
    if current == target:
        raise InvalidInput(
            "to", Message(gettext_noop("the incident is already Sev {severity}"), severity=current)
        )
    if not is_downgrade(current, target):
        return None
    # The source (§2.4, the tables' notes): under MCS for Azure Events the vendor may only « renoncer
    # au suivi 24 h/24, 7 j/7 »; under MCS for Security Cloud, as under Azure Platform and Rapid
    # Response, it may also « offrir des prestations de niveau inférieur ». RULES.md's SEV-8 groups
    # Security Cloud with Events; the source wins (docs/notes.md).
    if offering in EVENT_TIERS:
        raise RuleViolation(
            "SEV-8",
            Message(
                gettext_noop(
                    "under MCS for Azure Events only the 24x7 follow-up can be dropped, not the severity"
                )
            ),
            field="to",
        )
    if not reason or not reason.strip():
        raise RuleViolation(
            "SEV-8",
            Message(
                gettext_noop(
                    "a downgrade needs its reason: the customer does not provide adequate resources or "
                    "responses ({grounds})"
                ),
                grounds=", ".join(r.value for r in DowngradeReason),
            ),
            field="reason",
        )
    try:
        return DowngradeReason(reason.strip())
    except ValueError:
        raise RuleViolation(
            "SEV-8",
            Message(
                gettext_noop("{reason!r} is not a ground for a downgrade; accepted: {grounds}"),
                reason=reason,
                grounds=", ".join(r.value for r in DowngradeReason),
            ),
            field="reason",
        ) from None


def rebased_due(
    *,
    clock_started: datetime,
    changed_at: datetime,
    old_clock: Clock,
    new_clock: Clock,
    new_target: timedelta,
    elapsed_before: timedelta = timedelta(0),
) -> tuple[datetime, timedelta]:
    """Return (due, elapsed) after a severity change at ``changed_at`` (SEV-8 Reading).

    ``elapsed`` is the response time consumed so far: ``elapsed_before`` (up to the previous
    change) plus the old clock's time since ``clock_started``. It counts against
    ``new_target``; the remainder runs on the new clock from ``changed_at``.
    """
    elapsed = elapsed_before + old_clock.business_time_between(clock_started, changed_at)
    remaining = new_target - elapsed
    if remaining <= timedelta(0):
        return changed_at, elapsed
    return new_clock.add_business_time(changed_at, remaining), elapsed


CHANGE_APPROVAL_WINDOW = timedelta(hours=4)  # SEV-9, Sev B: business hours
CUSTOMER_RESPONSE_WINDOW = timedelta(hours=24)  # SEV-9, Sev C: plain hours


def obligation_due(
    *, severity: Severity, requested_at: datetime, calendar: Clock, continuous: Clock
) -> tuple[str, datetime]:
    """Return (what, due) for the customer's SEV-9 obligation once the vendor asks for it.

    Sev B: a change-approval authority within 4 business hours; Sev C: a response within 24 hours.
    """
    if severity is Severity.B:
        return "change-approval", calendar.add_business_time(requested_at, CHANGE_APPROVAL_WINDOW)
    if severity is Severity.C:
        return "customer-response", continuous.add_business_time(requested_at, CUSTOMER_RESPONSE_WINDOW)
    raise RuleViolation(
        "SEV-9",
        Message(
            gettext_noop("Sev 1 and A ask of the customer continuous 24x7 engagement, not a timed milestone")
        ),
        field="severity",
    )
