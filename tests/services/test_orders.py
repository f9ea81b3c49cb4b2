"""Importing orders into the database: atomic, versioned (ORD-9), scoped to the organisation."""

from __future__ import annotations

import pytest

from tests.domain.test_order_rules import BASE, FR_FOUNDATIONAL, THE_ISSUE_EXAMPLE, order
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.orders.models import Agreement, Order, OrderLine, OrderVersion, Site
from unisupport.orders.services import import_order_file, validate_order_file

pytestmark = pytest.mark.django_db


def test_import_stores_the_order_with_sites_lines_and_allocation(catalog_db):
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=THE_ISSUE_EXAMPLE)
    assert result.verdict.valid
    assert result.orders == [
        {"order": "ESO-2026-001", "agreement": "CONTOSO-UNIFIED", "version": 1, "created": True}
    ]
    version = OrderVersion.objects.get(order__number="ESO-2026-001")
    sites = {s.country: s for s in version.sites.all()}
    assert sites["FR"].role == "host"
    assert sites["DE"].role == "downstream"
    assert sites["DE"].timezone == "Europe/Berlin"
    assert sorted(sites["FR"].lines.values_list("service_id", flat=True)) == [
        "foundational",
        "proactive-credits",
        "workshop",
    ]
    assert version.allocation.amount == 240000
    assert version.allocation.assignments.count() == 2
    # Every customer-owned row carries its organisation key.
    org = Agreement.objects.get().organisation
    assert {s.organisation_id for s in Site.objects.all()} == {org.pk}
    assert {line.organisation_id for line in OrderLine.objects.all()} == {org.pk}


def test_an_invalid_file_writes_nothing(catalog_db):
    text = (
        THE_ISSUE_EXAMPLE
        + "---\n"
        + order(
            "- country: DE\n  lines:\n    - {service: unified-enhanced-response}\n",
            base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
        )
    )
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=text)
    assert [e.rule for e in result.verdict.errors] == ["MC-10"]
    assert result.orders == []
    assert Order.objects.count() == 0
    assert Agreement.objects.count() == 0


def test_ord9_reimporting_with_changes_creates_a_new_version_and_keeps_the_old(catalog_db):
    import_order_file(scope=OPERATOR, at=clock.now(), text=THE_ISSUE_EXAMPLE)
    changed = THE_ISSUE_EXAMPLE.replace("quantity: 500", "quantity: 800")
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=changed)
    assert result.orders[0]["version"] == 2
    assert result.orders[0]["created"] is True
    found = Order.objects.get(number="ESO-2026-001")
    assert found.current_version == 2
    v1, v2 = found.versions.order_by("version")
    assert v1.sites.get(country="FR").lines.get(service_id="proactive-credits").quantity == 500
    assert v2.sites.get(country="FR").lines.get(service_id="proactive-credits").quantity == 800


def test_ord9_reimporting_the_same_order_unchanged_writes_no_version(catalog_db):
    import_order_file(scope=OPERATOR, at=clock.now(), text=THE_ISSUE_EXAMPLE)
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=THE_ISSUE_EXAMPLE)
    assert result.orders[0] == {
        "order": "ESO-2026-001",
        "agreement": "CONTOSO-UNIFIED",
        "version": 1,
        "created": False,
    }
    assert OrderVersion.objects.count() == 1


def test_mc1_a_decentralized_add_on_order_is_validated_against_the_stored_foundational_order(catalog_db):
    addon = order(
        "- country: DE\n  lines:\n    - {service: workshop}\n",
        base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
    )
    assert [e.rule for e in validate_order_file(scope=OPERATOR, text=addon).verdict.errors] == ["ORD-1"]
    import_order_file(scope=OPERATOR, at=clock.now(), text=order(FR_FOUNDATIONAL))
    assert validate_order_file(scope=OPERATOR, text=addon).verdict.valid


def test_ord8_lines_subject_to_availability_are_stored_awaiting_acceptance(catalog_db):
    import_order_file(
        scope=OPERATOR,
        at=clock.now(),
        text=order(FR_FOUNDATIONAL + "    - {service: azure-rapid-response}\n"),
    )
    line = OrderLine.objects.get(service_id="azure-rapid-response")
    assert line.status == "pending"
    assert OrderLine.objects.get(service_id="foundational").status == "active"


def test_catalog_edits_in_the_admin_apply_to_validation_at_once(catalog_db):
    """CAT-2: a service marked as not sold in a country in the database is refused there."""
    from unisupport.catalog.models import ServiceRecord

    hackathon = ServiceRecord.objects.get(code="hackathon")
    hackathon.not_sold_in = ["FR"]
    hackathon.save()
    verdict = validate_order_file(
        scope=OPERATOR, text=order(FR_FOUNDATIONAL + "    - {service: hackathon}\n")
    ).verdict
    assert [e.rule for e in verdict.errors] == ["CAT-2"]
