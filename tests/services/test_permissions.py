"""Every incident write service checks who may act, itself (accounts.permissions), whatever the interface.

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
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import Scope, scope_of
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound
from unisupport.incidents import services
from unisupport.incidents.models import Incident, RcaDocument, TimelineEvent

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
            order_number="ESO-2026-001",
            site_country="FR",
            severity="B",
            product="Exchange Online",
            channel="web",
            title="t",
            description="d",
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
def vera(demo_orders):
    """Return vera, Contoso's read-only viewer."""
    from unisupport.accounts.services import create_person, customer_organisation

    return create_person(
        username="vera",
        password="correct horse battery staple",
        roles=[Role.CUSTOMER_VIEWER],
        organisation=customer_organisation(name="Contoso SA"),
        email="vera@example.com",
    )


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
