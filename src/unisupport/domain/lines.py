"""Whether an order line serves on a day (ORD-1, ORD-2, ORD-8): the one home of that decision.

A line serves within its version's term, judged on the site's own date (ORD-1); a line for a
service subject to resource availability awaits the vendor's acceptance, and until it is accepted
(or if it is refused) it serves nothing: no grant, no offering, no response target (ORD-8). When
the foundational package ends early, every add-on ends the same day (ORD-2).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class LineStatus(StrEnum):
    """The status of an order line; the model's choices carry the labels (orders.models.LineStatus)."""

    ACTIVE = "active"
    PENDING_ACCEPTANCE = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


# ORD-8: the statuses in which a line serves (and grants what it bought); pending and refused do not.
SERVING_STATUSES: tuple[LineStatus, ...] = (LineStatus.ACTIVE, LineStatus.ACCEPTED)


def serves(status: str) -> bool:
    """Return whether a line in ``status`` serves (ORD-8)."""
    return status in SERVING_STATUSES


def in_force(*, start: date, end: date, status: str, day: date) -> bool:
    """Return whether a line of a version running ``start``..``end`` serves on the site's date ``day`` (ORD-1, ORD-8)."""
    return start <= day <= end and serves(status)


def ended_by_termination(*, terminated_on: date | None, day: date) -> bool:
    """Return whether the agreement's foundational package, terminated on ``terminated_on``, has ended by ``day`` (ORD-2).

    The termination date is the last day served; every add-on ends with it.
    """
    return terminated_on is not None and day > terminated_on
