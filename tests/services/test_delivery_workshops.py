"""Workshops' minimum and deliverables (DEL-4, DEL-7) and on-demand assessments (DEL-6), on Contoso's
ESO-2026-001 (FR site, term 2026-07-01 to 2027-06-30)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest

from tests.scopes import OPERATOR
from unisupport.accounts.scope import scope_of
from unisupport.deliveries import services
from unisupport.deliveries.deliverables import attach_deliverables, deliverable_for
from unisupport.deliveries.models import Deliverable, Delivery
from unisupport.deliveries.presenters import delivery_json
from unisupport.deliveries.workshops import (
    book_analysis_resource,
    cancel_below_minimum,
    log_setup_assistance,
    set_workshop_terms,
)
from unisupport.domain.deliveries import DeliveryRequest
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from unisupport.ledger.models import LedgerAccount
from unisupport.orders.subscription_services import record_azure_subscription

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n" + b"0" * 100
SUBSCRIPTION = "6f1c2a9e-3b4d-4c5e-8f70-123456789abc"


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.UNISUPPORT_FILES_DIR = tmp_path / "files"
    settings.UNISUPPORT_MAX_DELIVERABLE_BYTES = 10_000
    return settings.UNISUPPORT_FILES_DIR


def request(**fields) -> Delivery:
    command = DeliveryRequest.parse(
        **({"order": ORDER, "site": "FR", "service": "workshop", "quantity": 5} | fields)
    )
    return services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)


def scheduled(**fields) -> Delivery:
    delivery = request(**fields)
    return services.schedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 3, 1), at=JAN_4)


def register(delivery: Delivery, n: int) -> None:
    for i in range(n):
        services.register_participant(
            scope=OPERATOR,
            delivery_id=delivery.pk,
            name=f"P{i}",
            email=f"p{i}@contoso.example",
            consents_recording=True,
            consents_name_visible=True,
            at=JAN_4,
        )


def test_del7_a_delivery_leaves_its_deliverables_for_its_customer_and_the_vendor_only(
    rates, alice, charlie, files_dir
):
    """DEL-7, §2.7: a recording and a report attached when delivered are stored outside the web root
    by their SHA-256, downloadable by Contoso's people and the vendor, 404 to Fabrikam's."""
    delivery = scheduled()
    done = services.deliver(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        at=dt.datetime(2027, 3, 1, 17, tzinfo=dt.UTC),
        files=[("report.pdf", PDF), ("../../etc/notes.txt", "Résumé des actions\n".encode())],
    )
    shown = delivery_json(done, timeline=True)
    assert [(f["n"], f["name"]) for f in shown["deliverables"]] == [(1, "report.pdf"), (2, "notes.txt")]
    assert "DEL-7" in shown["notice"]
    assert done.timeline.get(kind="delivered").data["files"] == ["report.pdf", "notes.txt"]
    found, path = deliverable_for(scope_of(alice), delivery_id=delivery.pk, number=1)
    assert found.name == "report.pdf"
    assert path.read_bytes() == PDF
    assert files_dir in path.parents  # not under the web root
    assert deliverable_for(OPERATOR, delivery_id=delivery.pk, number=2)[0].content_type.startswith(
        "text/plain"
    )
    with pytest.raises(NotFound):
        deliverable_for(scope_of(charlie), delivery_id=delivery.pk, number=1)
    with pytest.raises(NotFound):
        deliverable_for(scope_of(alice), delivery_id=delivery.pk, number=3)
    later = attach_deliverables(
        scope=OPERATOR, delivery_id=delivery.pk, files=[("slides.pdf", PDF)], at=JAN_4
    )
    assert [d.name for d in later] == ["slides.pdf"]
    with pytest.raises(Forbidden):
        attach_deliverables(scope=scope_of(alice), delivery_id=delivery.pk, files=[("x.pdf", PDF)], at=JAN_4)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("setup.exe", b"MZ\x90\x00", "only"),
        ("report.pdf", b"<html>not a pdf</html>", "not a pdf file"),
        ("big.pdf", b"%PDF-" + b"0" * 20_000, "at most"),
        ("notes.txt", b"\x00\x01binary", "UTF-8"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_del7_a_bad_file_refuses_the_delivery_and_writes_nothing(rates, name, data, words, files_dir):
    delivery = scheduled()
    with pytest.raises(InvalidInput) as refused:
        services.deliver(
            scope=OPERATOR, delivery_id=delivery.pk, at=JAN_4, files=[("ok.pdf", PDF), (name, data)]
        )
    assert refused.value.field == "file"
    assert words in str(refused.value)
    delivery.refresh_from_db()
    assert delivery.state == "scheduled"
    assert not Deliverable.objects.exists()
    assert not files_dir.exists() or not any(files_dir.rglob("*"))


def test_del4_a_workshop_below_its_minimum_by_the_deadline_is_cancelled_with_everything_returned(rates):
    """DEL-4: minimum 3 by 15 February; with 1 registered, the vendor may not cancel before the
    deadline, may after it (everything returned); a workshop that reached its minimum may not be."""
    credits = LedgerAccount.objects.get(order__number=ORDER, site="FR", kind="credits")
    before = credits.balance
    delivery = scheduled()
    set_workshop_terms(
        scope=OPERATOR, delivery_id=delivery.pk, minimum=3, deadline=date(2027, 2, 15), capacity=4, at=JAN_4
    )
    register(delivery, 1)
    with pytest.raises(RuleViolation) as early:
        cancel_below_minimum(
            scope=OPERATOR, delivery_id=delivery.pk, at=dt.datetime(2027, 2, 15, 12, tzinfo=dt.UTC)
        )
    assert early.value.rule == "DEL-4"
    done, fee = cancel_below_minimum(
        scope=OPERATOR, delivery_id=delivery.pk, at=dt.datetime(2027, 2, 16, 9, tzinfo=dt.UTC)
    )
    assert (done.state, done.cancelled_by, fee.rule, fee.fee_percent) == ("cancelled", "vendor", "DEL-4", 0)
    assert "1 of 3" in done.reason
    credits.refresh_from_db()
    assert credits.balance == before
    full = scheduled()
    set_workshop_terms(scope=OPERATOR, delivery_id=full.pk, minimum=2, deadline=date(2027, 2, 15), at=JAN_4)
    register(full, 2)
    with pytest.raises(RuleViolation) as reached:
        cancel_below_minimum(
            scope=OPERATOR, delivery_id=full.pk, at=dt.datetime(2027, 2, 16, 9, tzinfo=dt.UTC)
        )
    assert "minimum was reached" in str(reached.value)


def test_del7_registrations_stop_at_the_capacity_and_terms_are_checked(rates, alice):
    delivery = scheduled()
    set_workshop_terms(
        scope=OPERATOR, delivery_id=delivery.pk, minimum=None, deadline=None, capacity=2, at=JAN_4
    )
    register(delivery, 2)
    with pytest.raises(RuleViolation) as full:
        register(Delivery.objects.get(pk=delivery.pk), 3)
    assert full.value.rule == "DEL-7"
    with pytest.raises(InvalidInput) as late:
        set_workshop_terms(
            scope=OPERATOR, delivery_id=delivery.pk, minimum=1, deadline=date(2027, 3, 2), at=JAN_4
        )
    assert late.value.field == "deadline"  # after the delivery date
    with pytest.raises(Forbidden):
        set_workshop_terms(
            scope=scope_of(alice), delivery_id=delivery.pk, minimum=1, deadline=date(2027, 2, 1), at=JAN_4
        )


def assessment_rates() -> None:
    from unisupport.ledger.rate_services import import_rates

    import_rates(
        text="rate_cards:\n  - site: FR\n    effective_from: 2027-01-01\n    credits: {on-demand-assessment: 20}\n"
    )


def test_del6_an_on_demand_assessment_needs_an_active_azure_subscription(rates, alice):
    assessment_rates()
    with pytest.raises(RuleViolation) as none:
        request(service="on-demand-assessment", quantity=1)
    assert (none.value.rule, none.value.field) == ("DEL-6", "service")
    with pytest.raises(Forbidden):
        record_azure_subscription(
            scope=scope_of(alice),
            organisation="Contoso SA",
            subscription_id=SUBSCRIPTION,
            active_from=date(2026, 1, 1),
            at=JAN_4,
        )
    with pytest.raises(InvalidInput) as bad:
        record_azure_subscription(
            scope=OPERATOR,
            organisation="Contoso SA",
            subscription_id="not-a-guid",
            active_from=date(2026, 1, 1),
            at=JAN_4,
        )
    assert bad.value.field == "id"
    record_azure_subscription(
        scope=OPERATOR,
        organisation="Contoso SA",
        subscription_id=SUBSCRIPTION,
        active_from=date(2026, 1, 1),
        active_until=date(2027, 1, 3),
        at=JAN_4,
    )
    with pytest.raises(RuleViolation):
        request(service="on-demand-assessment", quantity=1)  # it ended the day before
    record_azure_subscription(
        scope=OPERATOR,
        organisation="Contoso SA",
        subscription_id=SUBSCRIPTION,
        active_from=date(2026, 1, 1),
        at=JAN_4,
    )
    assert request(service="on-demand-assessment", quantity=1).service_id == "on-demand-assessment"


def test_del6_setup_assistance_is_at_most_2_hours_and_the_paid_resource_never_overlaps_it(rates):
    assessment_rates()
    record_azure_subscription(
        scope=OPERATOR,
        organisation="Contoso SA",
        subscription_id=SUBSCRIPTION,
        active_from=date(2026, 1, 1),
        at=JAN_4,
    )
    delivery = request(service="on-demand-assessment", quantity=1)
    nine = dt.datetime(2027, 2, 1, 8, tzinfo=dt.UTC)
    log_setup_assistance(
        scope=OPERATOR, delivery_id=delivery.pk, starts_at=nine, hours=Decimal("1.5"), at=JAN_4
    )
    with pytest.raises(RuleViolation) as over:
        log_setup_assistance(
            scope=OPERATOR,
            delivery_id=delivery.pk,
            starts_at=nine + dt.timedelta(days=1),
            hours=Decimal(1),
            at=JAN_4,
        )
    assert (over.value.rule, over.value.field) == ("DEL-6", "hours")
    with pytest.raises(RuleViolation) as overlap:
        book_analysis_resource(
            scope=OPERATOR, delivery_id=delivery.pk, starts_at=nine + dt.timedelta(hours=1), days=Decimal(1),
            on_site=False, fee=Decimal(2000), at=JAN_4,
        )  # fmt: skip
    assert (overlap.value.rule, overlap.value.field) == ("DEL-6", "start")
    with pytest.raises(RuleViolation) as long:
        book_analysis_resource(
            scope=OPERATOR, delivery_id=delivery.pk, starts_at=nine + dt.timedelta(days=2), days=Decimal("1.5"),
            on_site=False, fee=Decimal(2000), at=JAN_4,
        )  # fmt: skip
    assert long.value.field == "days"
    owed = LedgerAccount.objects.filter(order__number=ORDER, site="FR", kind="money").first()
    before = owed.balance if owed else Decimal(0)
    work = book_analysis_resource(
        scope=OPERATOR, delivery_id=delivery.pk, starts_at=nine + dt.timedelta(days=2), days=Decimal(2),
        on_site=True, fee=Decimal(4000), at=JAN_4,
    )  # fmt: skip
    assert (work.charge.rule, work.charge.amount) == ("DEL-6", Decimal(4000))
    assert LedgerAccount.objects.get(order__number=ORDER, site="FR", kind="money").balance == before + 4000
    shown = delivery_json(Delivery.objects.get(pk=delivery.pk), timeline=True)
    assert [w["kind"] for w in shown["assessment"]] == ["setup", "resource"]
    with pytest.raises(InvalidInput):
        log_setup_assistance(
            scope=OPERATOR, delivery_id=request().pk, starts_at=nine, hours=Decimal(1), at=JAN_4
        )  # a workshop is no assessment
