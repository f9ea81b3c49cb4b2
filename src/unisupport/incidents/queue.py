"""The incident queue: the visible incidents filtered, in the queue's order, a slice at a time.

The same cost at a thousand incidents and at a million: a slice continues after the last incident
of the one before (``after``, a keyset), never by skipping rows, and nothing is counted past
COUNT_LIMIT. In the queue's own order, time left (SEV-2..SEV-7), the open incidents come first,
read as sort keys only (the partial index of open incidents; they are few whatever the history),
breached or overdue first, then by their response due time; the closed ones follow, newest first
(the index on the opening time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from unisupport.accounts.scope import Scope
from unisupport.domain.errors import NotFound
from unisupport.domain.incidents import IncidentState
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.models import Incident
from unisupport.incidents.selectors import QueueFilters, incidents_for, matching

PAGE_SIZE = 50
COUNT_LIMIT = 10_000  # incidents counted at most: past it a list says "more than 10,000"
CLOSED = IncidentState.CLOSED.value
__all__ = ["QueueFilters", "QueueSlice", "matching", "open_counts", "queue_slice"]

_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)
_OpenKey = tuple[int, bool, dt.datetime, float, int]


@dataclass(frozen=True, slots=True)
class QueueSlice:
    """A slice of the queue: its incidents, the incident the next one starts after (None at the end),
    and how many incidents match (counted up to COUNT_LIMIT + 1)."""

    incidents: list[Incident] = field(default_factory=list)
    next_after: int | None = None
    counted: int = 0

    @property
    def counted_all(self) -> bool:
        """Return True when ``counted`` is the whole number of matching incidents."""
        return self.counted <= COUNT_LIMIT


def _urgency(met: bool | None, due: dt.datetime | None, at: dt.datetime) -> int:
    """Return the queue's first sort key of an open incident (SEV-2..SEV-7's response clock): 0 breached
    or overdue, 1 a response pending, 2 answered in time or without a target."""
    if met is False or (met is None and due is not None and due < at):
        return 0
    return 1 if met is None and due is not None else 2


def _open_key(
    met: bool | None, due: dt.datetime | None, opened: dt.datetime, pk: int, at: dt.datetime
) -> _OpenKey:
    return (_urgency(met, due, at), due is None, due or _LAST, -opened.timestamp(), -pk)


def _after(scope: Scope, after: int) -> tuple[str, bool | None, dt.datetime | None, dt.datetime, str]:
    """Return (state, response met, response due, opened at, severity) of incident ``after``, which the
    slice before ended on, or raise NotFound naming ``after``."""
    found = (
        incidents_for(scope)
        .filter(pk=after)
        .values_list("state", "response_met", "response_due_at", "opened_at", "severity")
        .first()
    )
    if found is None:
        raise NotFound(Message(gettext_noop("no incident #{id}"), id=after), field="after")
    return found


def _before(opened: dt.datetime, pk: int) -> Q:
    """Return the incidents after (opened, pk) newest first; its leading ``opened_at <=`` is a range
    the index on (opened_at, id) serves, which the bare OR would not give the planner."""
    return Q(opened_at__lte=opened) & (Q(opened_at__lt=opened) | Q(pk__lt=pk))


def _newest(rows: QuerySet[Incident], *, after: int | None, scope: Scope, size: int) -> list[Incident]:
    if after is not None:
        rows = rows.filter(_before(_after(scope, after)[3], after))
    return list(rows.order_by("-opened_at", "-pk")[:size])


def _by_severity(rows: QuerySet[Incident], *, after: int | None, scope: Scope, size: int) -> list[Incident]:
    if after is not None:
        *_, opened, severity = _after(scope, after)
        rows = rows.filter(Q(severity__gte=severity) & (Q(severity__gt=severity) | _before(opened, after)))
    return list(rows.order_by("severity", "-opened_at", "-pk")[:size])


def _by_time_left(
    rows: QuerySet[Incident], *, after: int | None, scope: Scope, at: dt.datetime, size: int, open_only: bool
) -> list[Incident]:
    start: _OpenKey | None = None
    closed_from: tuple[dt.datetime, int] | None = None
    if after is not None:
        state, met, due, opened, _severity = _after(scope, after)
        if state == CLOSED:
            closed_from = (opened, after)
        else:
            start = _open_key(met, due, opened, after, at)
    found: list[Incident] = []
    if closed_from is None:
        keys = [
            (_open_key(met, due, opened, pk, at), pk)
            for pk, met, due, opened in rows.exclude(state=CLOSED)
            .order_by()
            .values_list("pk", "response_met", "response_due_at", "opened_at")
        ]
        chosen = [pk for key, pk in sorted(keys) if start is None or key > start][:size]
        by_pk = rows.in_bulk(chosen)
        found = [by_pk[pk] for pk in chosen]
    if len(found) < size and not open_only:
        closed = rows.filter(state=CLOSED)
        if closed_from is not None:
            closed = closed.filter(_before(*closed_from))
        found += list(closed.order_by("-opened_at", "-pk")[: size - len(found)])
    return found


def queue_slice(
    scope: Scope,
    filters: QueueFilters,
    *,
    at: dt.datetime,
    after: int | None = None,
    size: int = PAGE_SIZE,
    count: bool = True,
    related: tuple[str, ...] = (),
) -> QueueSlice:
    """Return the ``size`` incidents ``scope`` sees after incident ``after`` (from the first when None)
    in the order ``filters.sort`` names, as at ``at``, counted unless not ``count``, with ``related``
    rows joined; NotFound names ``after`` if it is not visible."""
    rows = matching(scope, filters).select_related(*related)
    if filters.sort == "newest":
        found = _newest(rows, after=after, scope=scope, size=size + 1)
    elif filters.sort == "severity":
        found = _by_severity(rows, after=after, scope=scope, size=size + 1)
    else:
        found = _by_time_left(
            rows, after=after, scope=scope, at=at, size=size + 1, open_only=filters.open_only
        )
    more = len(found) > size
    counted = rows.order_by()[: COUNT_LIMIT + 1].count() if count else 0
    return QueueSlice(found[:size], found[size - 1].pk if more else None, counted)


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
