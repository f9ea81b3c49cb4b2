"""Every incident, ledger and order write service checks who may act, itself (accounts.permissions), whatever the interface.

alice is Contoso's administrator and vera Contoso's read-only viewer; charlie, Fabrikam's
administrator, must reach nothing of Contoso's. Each write service is called as vera (a role
without the permission: Forbidden) and as charlie (another organisation: not found, or Forbidden
for a vendor-only action), and writes nothing either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident
from unisupport import clock
from unisupport.accounts.scope import Scope, scope_of
from unisupport.calendars import services as calendars
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.ledger_commands import Consumption, Redemption
from unisupport.incidents import services
from unisupport.incidents.models import Incident, RcaDocument, TimelineEvent
from unisupport.ledger import services as ledger
from unisupport.ledger.exchange_services import exchange_allocated_service
from unisupport.orders import services as orders
from unisupport.orders.event_services import record_event_coverage

LATER = FRIDAY_5PM_PARIS + dt.timedelta(minutes=10)

# (name, call): each call takes the caller's scope, Contoso's incident and an RCA document of it.
# Another organisation's incident is not found (404); its order and its RCA document are refused as
# input naming the field ("no order", "no RCA document": 422), as the API has always answered.
NOT_THEIRS_FIELD = {"open_incident": "order", "provide_rca_document": "document"}
WRITES: list[tuple[str, Callable[[Scope, Incident, RcaDocument], Any]]] = [
    (
        "open_incident",
        lambda s, i, d: services.open_incident(
            scope=s,
            command=OpenIncident.parse(
                order_number="ESO-2026-001",
                site_country="FR",
                severity="B",
                product="Exchange Online",
                channel="web",
                title="t",
                description="d",
            ),
            at=LATER,
        ),
    ),
    ("respond", lambda s, i, d: services.respond(scope=s, incident_id=i.pk, channel="phone", at=LATER)),
    (
        "change_severity",
        lambda s, i, d: services.change_severity(scope=s, incident_id=i.pk, to="B", at=LATER),
    ),
    (
        "set_state",
        lambda s, i, d: services.set_state(scope=s, incident_id=i.pk, state="in-progress", at=LATER),
    ),
    ("mitigate", lambda s, i, d: services.mitigate(scope=s, incident_id=i.pk, at=LATER)),
    ("close", lambda s, i, d: services.close(scope=s, incident_id=i.pk, at=LATER)),
    (
        "request_customer_action",
        lambda s, i, d: services.request_customer_action(scope=s, incident_id=i.pk, what="logs", at=LATER),
    ),
    (
        "fulfil_customer_action",
        lambda s, i, d: services.fulfil_customer_action(scope=s, incident_id=i.pk, at=LATER),
    ),
    (
        "log_advisory_time",
        lambda s, i, d: services.log_advisory_time(scope=s, incident_id=i.pk, hours=Decimal(1), at=LATER),
    ),
    ("request_rca", lambda s, i, d: services.request_rca(scope=s, incident_id=i.pk, at=LATER)),
    (
        "ask_rca_document",
        lambda s, i, d: services.ask_rca_document(scope=s, incident_id=i.pk, what="x", at=LATER),
    ),
    (
        "provide_rca_document",
        lambda s, i, d: services.provide_rca_document(scope=s, document_id=d.pk, at=LATER),
    ),
    (
        "request_post_incident_review",
        lambda s, i, d: services.request_post_incident_review(scope=s, incident_id=i.pk, at=LATER),
    ),
]


def test_the_list_names_every_incident_write_service():
    assert sorted(name for name, _ in WRITES) == sorted(services.__all__)


@pytest.fixture
def contoso_rca(demo_orders):
    """Return Contoso's incident with an RCA requested and a document asked."""
    incident = contoso_incident()
    services.request_rca(scope=OPERATOR, incident_id=incident.pk, via="csam", at=FRIDAY_5PM_PARIS)
    document = services.ask_rca_document(
        scope=OPERATOR, incident_id=incident.pk, what="trace", at=FRIDAY_5PM_PARIS
    )
    return incident, document


def _written() -> tuple[int, int]:
    return Incident.objects.count(), TimelineEvent.objects.count()


@pytest.mark.parametrize(("name", "call"), WRITES, ids=[name for name, _ in WRITES])
def test_a_role_without_the_permission_is_refused_and_nothing_is_written(name, call, vera, contoso_rca):
    incident, document = contoso_rca
    before = _written()
    with pytest.raises(Forbidden):
        call(scope_of(vera), incident, document)
    assert _written() == before


@pytest.mark.parametrize(("name", "call"), WRITES, ids=[name for name, _ in WRITES])
def test_a_customer_of_another_organisation_reaches_nothing_and_nothing_is_written(
    name, call, charlie, contoso_rca
):
    incident, document = contoso_rca
    before = _written()
    expected = (InvalidInput,) if name in NOT_THEIRS_FIELD else (NotFound, Forbidden)
    with pytest.raises(expected) as refused:
        call(scope_of(charlie), incident, document)
    if name in NOT_THEIRS_FIELD:
        assert refused.value.field == NOT_THEIRS_FIELD[name]
    assert _written() == before


# The ledger's write services: only the vendor's staff post (can_post_to_ledger), and only the
# vendor's CSAMs and back office approve exceptions, correct entries, exchange allocated services
# and run the expiry (can_manage_orders). Each refuses before it reads anything.
ON = dt.date(2026, 3, 2)
LEDGER_WRITES: list[tuple[str, Callable[[Scope], Any]]] = [
    ("redeem_credits", lambda s: ledger.redeem_credits(scope=s, at=clock.now(), command=Redemption.parse(order="ESO-2026-001", site="FR", service="workshop", quantity=1, on=ON))),
    ("exchange_credits", lambda s: ledger.exchange_credits(scope=s, at=clock.now(), order="ESO-2026-001", from_site="FR", to_site="DE", credits=10, on=ON)),
    ("consume_hours", lambda s: ledger.consume_hours(scope=s, at=clock.now(), command=Consumption.parse(order="ESO-2026-001", site="DE", service="enhanced-designated-engineering", hours=1, on=ON))),
    ("cancel_delivery", lambda s: ledger.cancel_delivery(scope=s, at=clock.now(), order="ESO-2026-001", site="FR", cost=10, delivery=ON, on=ON)),
    ("post_cancellation", lambda s: ledger.post_cancellation(scope=s, at=clock.now(), entry="x", delivery=ON, on=ON)),
    ("charge_cancellation", lambda s: ledger.charge_cancellation(scope=s, at=clock.now(), order="ESO-2026-001", site="FR", cost=10, delivery=ON, on=ON)),
    ("compensate_entry", lambda s: ledger.compensate_entry(scope=s, at=clock.now(), entry="x", reason="r", on=ON)),
    ("record_credit_exception", lambda s: ledger.record_credit_exception(scope=s, order="ESO-2026-001", approved_by="x", approved_at=LATER, terms="t")),
    ("expire_all", lambda s: ledger.expire_all(scope=s, at=clock.now(), on=ON)),
    ("refund_payment", lambda s: ledger.refund_payment(scope=s, at=clock.now(), entry="x", decide=lambda c, d: None)),
    ("charge_payment_fee", lambda s: ledger.charge_payment_fee(scope=s, at=clock.now(), entry="x", decide=lambda c, d: None)),
    ("exchange_allocated_service", lambda s: exchange_allocated_service(scope=s, at=clock.now(), order="ESO-2026-001", site="FR", from_service="proactive-credits", to_service="workshop", amount=1, approved_by="x", on=ON)),
]  # fmt: skip


def _ledger_rows() -> tuple[int, int]:
    from unisupport.ledger.models import CreditException, LedgerEntry

    return LedgerEntry.objects.count(), CreditException.objects.count()


@pytest.mark.parametrize(("name", "call"), LEDGER_WRITES, ids=[name for name, _ in LEDGER_WRITES])
def test_the_ledgers_write_services_refuse_customers_of_any_organisation(name, call, alice, charlie):
    before = _ledger_rows()
    for person in (alice, charlie):
        with pytest.raises(Forbidden) as refused:
            call(scope_of(person))
        assert str(refused.value) == "only the vendor's staff post to the ledger"
    assert _ledger_rows() == before


def test_the_ledger_list_names_every_write_service():
    names = {name for name, _ in LEDGER_WRITES}
    assert names == {*ledger.__all__} - {"Posting", "post_grants_for"} | {"exchange_allocated_service"}


# The order services: only the vendor's CSAMs and back office validate, import, terminate and decide.
ORDER_WRITES: list[tuple[str, Callable[[Scope], Any]]] = [
    ("validate_order_file", lambda s: orders.validate_order_file(scope=s, text="agreement: X")),
    ("import_order_file", lambda s: orders.import_order_file(scope=s, at=clock.now(), text="agreement: X")),
    ("terminate_agreement", lambda s: orders.terminate_agreement(scope=s, code="CONTOSO-UNIFIED", on=ON)),
    (
        "decide_line",
        lambda s: orders.decide_line(
            scope=s,
            at=clock.now(),
            order_number="ESO-2026-101",
            site_country="US",
            service="azure-rapid-response",
            accept=False,
        ),
    ),
]


@pytest.mark.parametrize(("name", "call"), ORDER_WRITES, ids=[name for name, _ in ORDER_WRITES])
def test_the_order_services_refuse_customers_and_write_nothing(name, call, alice, charlie):
    from unisupport.orders.models import Agreement, OrderVersion

    before = OrderVersion.objects.count(), Agreement.objects.filter(terminated_on__isnull=False).count()
    for person in (alice, charlie):
        with pytest.raises(Forbidden) as refused:
            call(scope_of(person))
        assert refused.value.field is None
    after = OrderVersion.objects.count(), Agreement.objects.filter(terminated_on__isnull=False).count()
    assert after == before


# The calendars' and the events' write services: only the vendor's CSAMs and back office.
CALENDAR_WRITES: list[tuple[str, Callable[[Scope], Any]]] = [
    ("add_closure", lambda s: calendars.add_closure(scope=s, country="FR", start=ON, reason="x")),
    ("remove_closure", lambda s: calendars.remove_closure(scope=s, closure_id=1)),
    ("add_extra_working_day", lambda s: calendars.add_extra_working_day(scope=s, country="FR", day=ON)),
    ("remove_extra_working_day", lambda s: calendars.remove_extra_working_day(scope=s, day_id=1)),
    ("set_hours", lambda s: calendars.set_hours(scope=s, country="FR", weekday=4, hours=None)),
    ("record_event_coverage", lambda s: record_event_coverage(at=clock.now(), scope=s, order="ESO-2026-001", service="mcs-azure-events", name="x", days=[ON])),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call"), CALENDAR_WRITES, ids=[name for name, _ in CALENDAR_WRITES])
def test_the_calendar_and_event_services_refuse_customers_and_write_nothing(name, call, alice, charlie, vera):
    from unisupport.calendars.models import CalendarClosure, CountryCalendar, ExtraWorkingDay
    from unisupport.orders.models import EventCoverage

    def rows() -> tuple[int, ...]:
        return tuple(
            m.objects.count() for m in (CalendarClosure, ExtraWorkingDay, CountryCalendar, EventCoverage)
        )

    before = rows()
    for person in (alice, charlie, vera):
        with pytest.raises(Forbidden) as refused:
            call(scope_of(person))
        assert refused.value.field is None
    assert rows() == before


def test_the_calendar_list_names_every_write_service():
    import inspect

    public = {
        n for n, f in inspect.getmembers(calendars, inspect.isfunction) if f.__module__ == calendars.__name__
    }
    assert public <= {name for name, _ in CALENDAR_WRITES}
