"""The incident queue: the visible incidents filtered, sorted by time left (breached first) and paged.

Bounded whatever the volume: one count and one page read (with the order and the customer
joined); the open incidents of a page of agreements are counted in one grouped query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from unisupport.accounts.scope import Scope
from unisupport.domain.incidents import IncidentState
from unisupport.incidents.models import Incident
from unisupport.incidents.selectors import QueueFilters, incidents_for, matching

PAGE_SIZE = 50
CLOSED = IncidentState.CLOSED.value
__all__ = ["QueueFilters", "QueuePage", "matching", "open_counts", "queue_page", "sorted_queue"]


@dataclass(frozen=True, slots=True)
class QueuePage:
    """A page of the queue."""

    incidents: list[Incident] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        """Return the number of pages (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def _urgency(at: dt.datetime) -> Case:
    """Return the queue's first sort key (SEV-2..SEV-7's response clock): 0 open and breached or overdue,
    1 open with a pending response, 2 other open incidents, 3 closed."""
    return Case(
        When(state=CLOSED, then=Value(3)),
        When(response_met=False, then=Value(0)),
        When(response_met__isnull=True, response_due_at__lt=at, then=Value(0)),
        When(response_met__isnull=True, response_due_at__isnull=False, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


SORTS = ("time-left", "newest", "severity")


def sorted_queue(rows: QuerySet[Incident], *, sort: str, at: dt.datetime) -> QuerySet[Incident]:
    """Return ``rows`` in the queue's order: by time left, breached first (the default), newest, or severity."""
    if sort == "newest":
        return rows.order_by("-opened_at", "-pk")
    if sort == "severity":
        return rows.order_by("severity", F("response_due_at").asc(nulls_last=True), "-pk")
    return rows.annotate(urgency=_urgency(at)).order_by(
        "urgency", F("response_due_at").asc(nulls_last=True), "-opened_at", "-pk"
    )


def queue_page(scope: Scope, filters: QueueFilters, *, at: dt.datetime, page: int = 1) -> QueuePage:
    """Return page ``page`` (50 rows) of the queue ``scope`` sees at ``at``."""
    rows = matching(scope, filters)
    total = rows.count()
    last = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), last)
    start = (page - 1) * PAGE_SIZE
    found = list(sorted_queue(rows, sort=filters.sort, at=at)[start : start + PAGE_SIZE])
    return QueuePage(found, total, page)


def open_counts(scope: Scope, *, agreements: Iterable[int]) -> dict[int, int]:
    """Return the number of open incidents of each of ``agreements`` that ``scope`` sees (one query)."""
    rows = (
        incidents_for(scope)
        .filter(order__agreement_id__in=list(agreements))
        .exclude(state=CLOSED)
        .values("order__agreement_id")
        .annotate(n=Count("pk", filter=~Q(state=CLOSED)))
        .order_by()
    )
    return {row["order__agreement_id"]: row["n"] for row in rows}
