"""The incident detail that the API and the portal both show: RCAs (RCA-5), review (INC-8), advisory time (HRS-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.incident_support import OPERATOR
from tests.incident_support import vm_incident as open_
from unisupport.accounts.scope import scope_of
from unisupport.incidents import services
from unisupport.incidents.selectors import NotFound, incident_detail


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def test_rca5_inc8_the_detail_holds_the_rcas_with_their_documents_and_the_review(demo_orders):
    sev1 = open_(severity="1", product="Exchange Online")
    services.request_rca(scope=OPERATOR, incident_id=sev1.pk, via="csam", at=at("2026-12-18T18:00:00+01:00"))
    for what, when in (("network trace", "18:05"), ("event logs", "18:10")):
        services.ask_rca_document(
            scope=OPERATOR, incident_id=sev1.pk, what=what, at=at(f"2026-12-18T{when}:00+01:00")
        )
    services.request_post_incident_review(
        scope=OPERATOR, incident_id=sev1.pk, at=at("2026-12-20T10:00:00+01:00")
    )

    detail = incident_detail(OPERATOR, incident_id=sev1.pk)

    assert detail.incident.pk == sev1.pk
    assert [r.rule for r in detail.rcas] == ["RCA-1"]
    assert [d.what for d in detail.rcas[0].documents.all()] == ["network trace", "event logs"]
    assert detail.review is not None
    assert detail.review.incident_id == sev1.pk
    assert detail.advisory_hours == Decimal(0)


def test_hrs3_the_detail_sums_the_advisory_time_logged(demo_orders):
    advisory = open_(kind="advisory", channel="email", title="Best practice for AKS upgrades")
    for hours, when in (("4.5", "18:00"), ("1.5", "19:00")):
        services.log_advisory_time(
            scope=OPERATOR,
            incident_id=advisory.pk,
            hours=Decimal(hours),
            at=at(f"2026-12-18T{when}:00+01:00"),
        )

    detail = incident_detail(OPERATOR, incident_id=advisory.pk)

    assert detail.advisory_hours == Decimal(6)
    assert detail.rcas == []
    assert detail.review is None


def test_the_detail_of_another_organisations_incident_is_not_found(demo_orders, charlie):
    incident = open_()
    with pytest.raises(NotFound):
        incident_detail(scope_of(charlie), incident_id=incident.pk)
