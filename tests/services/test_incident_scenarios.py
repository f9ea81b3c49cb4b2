"""One incident of each severity through its whole life, under foundational, UER and MCS for Azure Platform.

Three agreements in France; every incident opened on Thursday 17 December 2026 at 10:00 Paris.
The worker ticks every five minutes; e-mails are read back from a real SMTP server.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter

import pytest

from tests.scopes import OPERATOR
from unisupport import clock
from unisupport.accounts.roles import Role
from unisupport.domain.incident_commands import OpenIncident
from unisupport.incidents import services
from unisupport.incidents.models import Incident, RosterEntry, RosterRole
from unisupport.incidents.notify import send_pending
from unisupport.incidents.selectors import attainment_report
from unisupport.incidents.worker import process_due

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=1))
OPENED = dt.datetime(2026, 12, 17, 10, 0, tzinfo=PARIS)


def paris(hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, 17, hh, mm, ss, tzinfo=PARIS)


def order_file(code: str, lines: str) -> str:
    return textwrap.dedent(f"""
        agreement: {code}
        order: {code}-1
        customer: {code.title()} SA
        host: FR
        start: 2026-07-01
        end: 2027-06-30
        currency: EUR
        sites:
          - country: FR
            lines:
              - {{service: foundational, list_price: 500000}}
        """) + textwrap.indent(lines, " " * 6)


# agreement → (extra lines, product, {severity: (target minutes, clock, offering, due, extra rules)})
CASES = {
    "FND": (
        "",
        "Azure Virtual Machines",
        {
            "1": (15, "24x7", "foundational", paris(10, 15)),
            "A": (60, "24x7", "foundational", paris(11)),
            "B": (120, "business", "foundational", paris(12)),
            "C": (240, "business", "foundational", paris(14)),
        },
    ),
    "UER": (
        "- {service: unified-enhanced-response}\n",
        "Exchange Online",
        {
            "1": (30, "24x7", "unified-enhanced-response", paris(10, 30)),
            "A": (30, "24x7", "unified-enhanced-response", paris(10, 30)),
            "B": (120, "business", "foundational", paris(12)),
            "C": (240, "business", "foundational", paris(14)),
        },
    ),
    "MCS": (
        "- {service: mcs-azure-platform}\n",
        "Azure Communication Services",  # out of foundational's Azure time (SEV-3), in MCS's
        {
            "1": (15, "24x7", "mcs-azure-platform", paris(10, 15)),
            "A": (60, "24x7", "foundational", paris(11)),
            "B": (120, "business", "foundational", paris(12)),
            "C": (240, "business", "foundational", paris(14)),
        },
    ),
}


@pytest.fixture
def agreements(catalog_db):
    from unisupport.accounts.services import create_person
    from unisupport.orders.models import Agreement
    from unisupport.orders.services import import_order_file

    for code, (lines, _, _) in CASES.items():
        result = import_order_file(scope=OPERATOR, at=clock.now(), text=order_file(code, lines))
        assert result.verdict.valid, result.verdict.as_dict()
    csam = create_person(username="bob", password="x" * 12, roles=[Role.CSAM], email="bob@vendor.test")
    sim = create_person(
        username="simone", password="x" * 12, roles=[Role.INCIDENT_MANAGER], email="simone@vendor.test"
    )
    RosterEntry.objects.create(role=RosterRole.SENIOR_INCIDENT_MANAGER, user=sim)
    Agreement.objects.update(csam=csam)


def test_sev2_sev7_inc4_inc5_each_severity_under_each_offering_from_opening_to_report(
    agreements, smtp_server
):
    incidents: dict[tuple[str, str], Incident] = {}
    for code, (_, product, expected) in CASES.items():
        for severity, (minutes, kind, offering, due) in expected.items():
            incident = services.open_incident(
                scope=OPERATOR,
                command=OpenIncident.parse(
                    order_number=f"{code}-1",
                    site_country="FR",
                    severity=severity,
                    product=product,
                    channel="phone",
                    title=f"{code} Sev {severity}",
                ),
                at=OPENED,
            )
            assert (incident.target_minutes, incident.clock, incident.offering) == (
                minutes,
                kind,
                offering,
            ), (code, severity)
            assert incident.response_due_at == due, (code, severity)
            incidents[code, severity] = incident

    # The rules that decided, and what started by itself.
    assert incidents["MCS", "1"].rules == ["SEV-2", "SEV-7"]  # SEV-3 did not make the answer slower
    assert incidents["MCS", "1"].incident_manager is not None  # INC-4: MCS for Azure Platform, Sev 1
    assert incidents["MCS", "B"].escalation["route_to_mcs_engineers"] is True  # INC-5
    assert incidents["UER", "A"].incident_manager is not None  # INC-4: UER, Sev A
    assert incidents["FND", "A"].incident_manager is None
    assert incidents["FND", "1"].escalation["critical_situation_resource"] is True  # INC-2

    # When each first response comes: Sev 1 and B at half their target, Sev A at 90 % (after
    # the 75 % warning), Sev C half an hour late.
    responses: dict[tuple[str, str], dt.datetime] = {}
    for (code, severity), incident in incidents.items():
        due = incident.response_due_at
        assert due is not None
        if severity == "C":
            responses[code, severity] = due + dt.timedelta(minutes=30)
        else:
            share = 0.9 if severity == "A" else 0.5
            if incident.clock == "24x7":
                responses[code, severity] = OPENED + (due - OPENED) * share
            else:
                responses[code, severity] = OPENED + dt.timedelta(minutes=incident.target_minutes * share)

    tick = OPENED
    while tick <= paris(15):
        for key, when in responses.items():
            if tick - dt.timedelta(minutes=5) < when <= tick:
                services.respond(scope=OPERATOR, incident_id=incidents[key].pk, channel="phone", at=when)
        process_due(now=tick)
        send_pending()
        tick += dt.timedelta(minutes=5)
    for incident in incidents.values():
        services.mitigate(scope=OPERATOR, incident_id=incident.pk, at=paris(16))
        services.close(scope=OPERATOR, incident_id=incident.pk, at=paris(17))

    for key, incident in incidents.items():
        incident.refresh_from_db()
        assert incident.state == "closed"
        assert incident.response_met is (key[1] != "C"), key
        kinds = list(incident.timeline.values_list("kind", flat=True))
        assert kinds[0] == "opened"
        assert kinds[-2:] == ["state-mitigated", "state-closed"]

    # E-mails, read from the SMTP server: each agreement's CSAM hears of the Sev A warning and of
    # the Sev C warning and breach; the UER Sev A's senior incident manager of its warning.
    mails = smtp_server.mailbox.messages
    assert Counter(m["To"] for m in mails) == {"bob@vendor.test": 9, "simone@vendor.test": 1}
    subjects = sorted(m["Subject"] for m in mails if m["To"] == "bob@vendor.test")
    assert sum("75 %" in s for s in subjects) == 6
    assert sum("breached" in s for s in subjects) == 3

    report = attainment_report(OPERATOR, order=None, start=paris(0), end=paris(23))
    assert (report["incidents"], report["met"], report["pending"]) == (12, 9, 0)
    assert report["attainment"] == 0.75
    assert report["by_severity"]["C"] == {"incidents": 3, "met": 0, "pending": 0, "attainment": 0.0}
    assert report["by_severity"]["A"]["attainment"] == 1.0
    assert report["by_offering"]["unified-enhanced-response"]["incidents"] == 2
    assert report["by_offering"]["mcs-azure-platform"]["incidents"] == 1
    assert report["by_offering"]["foundational"]["incidents"] == 9
    assert report["by_site"]["FR"]["incidents"] == 12
    one = attainment_report(OPERATOR, order="UER-1", start=paris(0), end=paris(23))
    assert (one["incidents"], one["met"]) == (4, 3)
