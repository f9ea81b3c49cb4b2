"""EVT-1, EVT-2: an event's coverage days are checked wherever they are stored (the service, the admin)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.ledger_support import EVENTS_ORDER
from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.domain.errors import RuleViolation
from unisupport.orders.event_services import record_event_coverage
from unisupport.orders.models import EventCoverage
from unisupport.orders.services import decide_line, import_order_file

pytestmark = pytest.mark.django_db

FIRST = date(2027, 5, 3)


@pytest.fixture
def events_order(catalog_db):
    result = import_order_file(scope=OPERATOR, at=clock.now(), text=EVENTS_ORDER)
    assert result.verdict.valid, result.verdict.as_dict()
    with pytest.raises(RuleViolation) as pending:  # ORD-8: the line awaits the vendor's acceptance
        record_event_coverage(
            at=clock.now(),
            scope=OPERATOR,
            order="ESO-2027-EVT",
            service="mcs-azure-events",
            name="x",
            days=days(3),
        )
    assert "ORD-8" in pending.value.message
    decide_line(
        scope=OPERATOR,
        at=clock.now(),
        order_number="ESO-2027-EVT",
        site_country="FR",
        service="mcs-azure-events",
        accept=True,
    )


def days(count: int, start: date = FIRST) -> list[date]:
    return [start + timedelta(days=d) for d in range(count)]


def test_evt1_a_coverage_window_of_3_to_20_consecutive_days_is_stored(events_order):
    event = record_event_coverage(
        at=clock.now(),
        scope=OPERATOR,
        order="ESO-2027-EVT",
        service="mcs-azure-events",
        name="Spring sale",
        days=days(20),
    )
    assert (event.days[0], event.days[-1], event.timezone) == ("2027-05-03", "2027-05-22", "Europe/Paris")
    for wrong in (days(2), days(21), [FIRST, FIRST + timedelta(days=2), FIRST + timedelta(days=3)]):
        with pytest.raises(RuleViolation) as refused:
            record_event_coverage(
                at=clock.now(),
                scope=OPERATOR,
                order="ESO-2027-EVT",
                service="mcs-azure-events",
                name="x",
                days=wrong,
            )
        assert (refused.value.rule, refused.value.field) == ("EVT-1", "days")
    assert EventCoverage.objects.count() == 1


def test_evt2_only_an_order_holding_the_plus_line_covers_plus_events(events_order):
    with pytest.raises(RuleViolation) as refused:
        record_event_coverage(
            at=clock.now(),
            scope=OPERATOR,
            order="ESO-2027-EVT",
            service="mcs-azure-events-plus",
            name="x",
            days=days(5),
        )
    assert (refused.value.rule, refused.value.field) == ("EVT-2", "service")


def test_evt1_the_admin_writes_through_the_same_checks(events_order):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    from unisupport.orders.models import Order

    form = {
        "order": Order.objects.get(number="ESO-2027-EVT").pk,
        "service": "mcs-azure-events",
        "name": "Too long",
        "scenario": "",
        "days": str([d.isoformat() for d in days(21)]).replace("'", '"'),
        "timezone": "Europe/Paris",
    }
    refused = client.post("/admin/orders/eventcoverage/add/", form)
    assert refused.status_code == 200
    assert "EVT-1" in refused.text
    assert not EventCoverage.objects.exists()
    form["days"] = str([d.isoformat() for d in days(3)]).replace("'", '"')
    assert client.post("/admin/orders/eventcoverage/add/", form).status_code == 302
    assert EventCoverage.objects.get().days == ["2027-05-03", "2027-05-04", "2027-05-05"]
