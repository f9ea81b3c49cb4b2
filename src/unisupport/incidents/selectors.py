"""Reads for incidents, always through the caller's scope; the attainment report runs in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from unisupport.accounts.scope import Scope, scoped
from unisupport.domain.errors import NotFound
from unisupport.domain.incidents import IncidentState
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.models import AttainmentDay, Incident, PostIncidentReview, RcaDocument, RcaRequest


def incidents_for(scope: Scope) -> QuerySet[Incident]:
    """Return the incidents ``scope`` may see."""
    return scoped(Incident.objects.select_related("order", "organisation"), scope)


def incident_for(scope: Scope, *, incident_id: int, for_update: bool = False) -> Incident:
    """Return incident ``incident_id`` if ``scope`` sees it, else raise NotFound (a 404)."""
    rows = incidents_for(scope)
    if for_update:
        # Lock the incident row for the rest of the transaction: two engineers acting at once
        # are applied one after the other.
        rows = scoped(Incident.objects.select_for_update(of=("self",)), scope).select_related(
            "order", "organisation"
        )
    found = rows.filter(pk=incident_id).first()
    if found is None:
        raise NotFound(Message(gettext_noop("no incident #{incident_id}"), incident_id=incident_id))
    return found


@dataclass(frozen=True)
class IncidentDetail:
    """An incident with what its detail shows beside it: RCAs (RCA-1), the review (INC-8), advisory time (HRS-3)."""

    incident: Incident
    rcas: list[RcaRequest]
    review: PostIncidentReview | None
    advisory_hours: Decimal  # zero when none is logged


def incident_detail(scope: Scope, *, incident_id: int) -> IncidentDetail:
    """Return incident ``incident_id`` with its RCAs, review and advisory time, if ``scope`` sees it."""
    incident = incident_for(scope, incident_id=incident_id)
    documents = Prefetch(
        "documents", queryset=RcaDocument.objects.select_related("attachment").order_by("asked_at", "pk")
    )
    rcas = list(incident.rca_requests.prefetch_related(documents).order_by("requested_at", "pk"))
    total = incident.advisory_time.aggregate(total=Sum("hours"))["total"]
    return IncidentDetail(
        incident=incident,
        rcas=rcas,
        review=PostIncidentReview.objects.filter(incident=incident).first(),
        advisory_hours=Decimal(total or 0),
    )


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the queue is narrowed to (an empty value narrows nothing)."""

    customer: int | None = None
    customer_name: str = ""  # the API's and the CLI's way to name a customer (case-insensitive)
    order: str = ""
    state: str = ""
    severity: str = ""
    site: str = ""
    breached: bool = False
    open_only: bool = False
    sort: str = "time-left"


def matching(scope: Scope, filters: QueueFilters) -> QuerySet[Incident]:
    """Return the visible incidents matching ``filters`` (unsorted)."""
    rows = incidents_for(scope)
    if filters.customer is not None:
        rows = rows.filter(organisation_id=filters.customer)
    if filters.customer_name:
        rows = rows.filter(organisation__name__iexact=filters.customer_name.strip())
    if filters.order:
        rows = rows.filter(order__number=filters.order)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.severity:
        rows = rows.filter(severity=filters.severity.upper())
    if filters.site:
        rows = rows.filter(site_country=filters.site.upper())
    if filters.breached:
        rows = rows.filter(response_met=False)
    if filters.open_only:
        rows = rows.exclude(state=IncidentState.CLOSED.value)
    return rows


def filtered(
    scope: Scope,
    *,
    order: str | None = None,
    breached: bool = False,
    state: str | None = None,
    severity: str | None = None,
    open_only: bool = False,
) -> QuerySet[Incident]:
    """Return the visible incidents matching the filters, newest first (the queue's filters, one home)."""
    chosen = QueueFilters(
        order=order or "", breached=breached, state=state or "", severity=severity or "", open_only=open_only
    )
    return matching(scope, chosen).order_by("-opened_at", "-pk")


@dataclass(frozen=True, slots=True)
class Attainment:
    """Met over decided (met or breached) first responses."""

    incidents: int
    met: int
    pending: int

    @property
    def attainment(self) -> float | None:
        """Return met / incidents, or None when no response was decided."""
        return self.met / self.incidents if self.incidents else None

    def as_dict(self) -> dict[str, object]:
        """Return the figures as JSON."""
        return {
            "incidents": self.incidents,
            "met": self.met,
            "pending": self.pending,
            "attainment": self.attainment,
        }


def _whole_days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """Return the UTC days [first, last) wholly inside [start, end), or None when there is none."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    first = start.date() if start.time() == dt.time(0) else start.date() + dt.timedelta(days=1)
    last = end.date()
    return (first, last) if first < last else None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), dt.UTC)


def attainment_report(
    scope: Scope, *, order: str | None, start: dt.datetime, end: dt.datetime
) -> dict[str, object]:
    """Return SLA attainment over incidents opened in [start, end): overall, by severity, offering and site.

    The whole UTC days of the period are read from the counts the database keeps a day and group
    (``AttainmentDay``: a row a day, whatever the number of incidents); only the incidents of a
    partial first or last day are counted from the incidents themselves. An incident counts once its
    first response is decided (met, or breached by the due time); those still running are pending.
    """
    days = _whole_days(start, end)
    edges = [(start, end)] if days is None else [(start, _midnight(days[0])), (_midnight(days[1]), end)]
    counted = ("severity", "offering", "site_country")
    groups: list[dict[str, Any]] = []
    for since, until in edges:
        if since >= until:
            continue
        rows = incidents_for(scope).filter(
            opened_at__gte=since, opened_at__lt=until, kind="problem-resolution"
        )
        if order:
            rows = rows.filter(order__number=order)
        groups += (
            rows.order_by()
            .values(*counted)
            .annotate(
                decided=Count("id", filter=Q(response_met__isnull=False)),
                met=Count("id", filter=Q(response_met=True)),
                pending=Count("id", filter=Q(response_met__isnull=True)),
            )
        )
    if days is not None:
        kept = scoped(AttainmentDay.objects.all(), scope).filter(
            day__gte=days[0], day__lt=days[1], kind="problem-resolution"
        )
        if order:
            kept = kept.filter(order__number=order)
        groups += (
            kept.order_by()
            .values(*counted)
            .annotate(decided=Sum("decided"), met=Sum("met"), pending=Sum("pending"))
        )
    totals: dict[str, dict[str, list[int]]] = {"by_severity": {}, "by_offering": {}, "by_site": {}}
    overall = [0, 0, 0]
    for group in groups:
        counts = (group["decided"], group["met"], group["pending"])
        if not any(counts):
            continue  # a group every incident left (a severity changed, SEV-8)
        overall = [a + b for a, b in zip(overall, counts, strict=True)]
        for name, column in (
            ("by_severity", "severity"),
            ("by_offering", "offering"),
            ("by_site", "site_country"),
        ):
            bucket = totals[name].setdefault(group[column], [0, 0, 0])
            totals[name][group[column]] = [a + b for a, b in zip(bucket, counts, strict=True)]
    breakdowns = {
        name: {key: Attainment(*values).as_dict() for key, values in sorted(buckets.items())}
        for name, buckets in totals.items()
    }
    return {"order": order, "from": start, "to": end, **Attainment(*overall).as_dict(), **breakdowns}


def rca_document_for(scope: Scope, *, incident_id: int, document_id: int) -> RcaDocument:
    """Return RCA document ``document_id`` of incident ``incident_id`` if ``scope`` sees it, else raise NotFound."""
    incident = incident_for(scope, incident_id=incident_id)
    found = RcaDocument.objects.filter(pk=document_id, rca__incident=incident).first()
    if found is None:
        text = gettext_noop("no RCA document #{document_id} on incident #{incident_id}")
        raise NotFound(Message(text, document_id=document_id, incident_id=incident_id))
    return found
