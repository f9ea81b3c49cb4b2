"""SEV-2..SEV-7: the SLA report reads the counts the database keeps a day and group (AttainmentDay)
for whole days, and the incidents themselves only for a partial first or last day; either way it
says what counting every incident says — after openings, responses in and out of time, breaches
found by the worker, a severity changed (SEV-8) and a closure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from tests.incident_support import OPERATOR, contoso_incident
from unisupport.incidents import services
from unisupport.incidents.models import AttainmentDay, Incident
from unisupport.incidents.selectors import attainment_report
from unisupport.incidents.worker import process_due

pytestmark = pytest.mark.django_db
FRIDAY = dt.datetime(2026, 12, 18, 16, 0, tzinfo=dt.UTC)  # 17:00 in Paris


def _counted_one_by_one(start: dt.datetime, end: dt.datetime) -> dict[str, object]:
    """Return the report's figures counted from every incident (what the report said before rollups)."""
    rows = Incident.objects.filter(opened_at__gte=start, opened_at__lt=end, kind="problem-resolution")
    figures = rows.aggregate(
        incidents=Count("id", filter=Q(response_met__isnull=False)),
        met=Count("id", filter=Q(response_met=True)),
        pending=Count("id", filter=Q(response_met__isnull=True)),
    )
    by_severity = {
        row["severity"]: (row["d"], row["m"], row["p"])
        for row in rows.values("severity").annotate(
            d=Count("id", filter=Q(response_met__isnull=False)),
            m=Count("id", filter=Q(response_met=True)),
            p=Count("id", filter=Q(response_met__isnull=True)),
        )
    }
    return {**figures, "by_severity": by_severity}


def _said(report: dict[str, object]) -> dict[str, object]:
    severities = report["by_severity"]
    return {
        "incidents": report["incidents"], "met": report["met"], "pending": report["pending"],
        "by_severity": {k: (v["incidents"], v["met"], v["pending"]) for k, v in severities.items()},
    }  # fmt: skip


@pytest.fixture
def worked(demo_orders):
    """Return nothing; incidents on three days, answered in time, late, breached, changed and closed."""
    met = contoso_incident(title="met", at=FRIDAY)
    services.respond(scope=OPERATOR, incident_id=met.pk, channel="phone", at=FRIDAY + dt.timedelta(minutes=5))
    late = contoso_incident(title="late", at=FRIDAY + dt.timedelta(hours=1))
    services.respond(scope=OPERATOR, incident_id=late.pk, channel="phone", at=FRIDAY + dt.timedelta(hours=3))
    breached = contoso_incident(title="breached", severity="C", at=FRIDAY + dt.timedelta(days=1))
    process_due(now=FRIDAY + dt.timedelta(days=6))  # its response came due meanwhile: breached
    changed = contoso_incident(title="changed", at=FRIDAY + dt.timedelta(days=2, hours=3))
    services.change_severity(
        scope=OPERATOR, incident_id=changed.pk, to="B", reason="customer-responses",
        at=FRIDAY + dt.timedelta(days=2, hours=3, minutes=10),
    )  # fmt: skip
    services.close(scope=OPERATOR, incident_id=met.pk, at=FRIDAY + dt.timedelta(days=3))
    contoso_incident(title="pending", at=FRIDAY + dt.timedelta(days=2, hours=5))
    Incident.objects.filter(pk=breached.pk).update(title="renamed")  # not counted: moves nothing


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.datetime(2026, 12, 18, tzinfo=dt.UTC), dt.datetime(2026, 12, 21, tzinfo=dt.UTC)),  # whole days
        (FRIDAY + dt.timedelta(minutes=30), dt.datetime(2026, 12, 21, 3, tzinfo=dt.UTC)),  # partial edges
        (FRIDAY - dt.timedelta(hours=1), FRIDAY + dt.timedelta(hours=2)),  # within one day
    ],
)
def test_sev2_the_report_from_daily_counts_is_the_count_of_every_incident(worked, start, end):
    assert _said(attainment_report(OPERATOR, order=None, start=start, end=end)) == _counted_one_by_one(
        start, end
    )


def test_sev8_a_severity_changed_moves_the_incident_between_groups(worked):
    kept = {
        (row.day, row.severity): (row.decided, row.met, row.pending)
        for row in AttainmentDay.objects.filter(order__number="ESO-2026-001")
    }
    assert sum(p for _d, _m, p in kept.values()) == Incident.objects.filter(response_met__isnull=True).count()
    assert (
        sum(d for d, _m, _p in kept.values()) == Incident.objects.filter(response_met__isnull=False).count()
    )
    assert kept[(dt.date(2026, 12, 20), "A")] == (0, 0, 1)  # the pending Sev A; the changed one left
    assert kept[(dt.date(2026, 12, 20), "B")] == (0, 0, 1)
