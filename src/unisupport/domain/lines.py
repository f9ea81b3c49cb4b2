"""An order line's status and whether it serves (ORD-8): the one home of that decision.

A line for a service subject to resource availability awaits the vendor's acceptance; until it is
accepted (or if it is refused) it serves nothing: no grant, no offering, no response target.
"""

from __future__ import annotations

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
