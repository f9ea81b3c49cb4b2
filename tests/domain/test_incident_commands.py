"""SEV-1, INC-1: an incident's raw input is read once into typed values, or refused naming the field."""

from __future__ import annotations

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.incident_commands import OpenIncident
from unisupport.domain.incidents import Channel, IncidentKind
from unisupport.domain.sla import Severity

RAW = {
    "order_number": "ESO-2026-001",
    "site_country": "FR",
    "severity": " b ",
    "product": "Exchange Online",
    "channel": "Phone",
    "title": "  Mailboxes unreachable ",
}


def test_sev1_the_agreed_severity_is_also_the_proposed_one_unless_the_customer_proposed_another():
    command = OpenIncident.parse(**RAW)
    assert (command.severity, command.proposed_severity) == (Severity.B, Severity.B)
    assert (command.channel, command.kind, command.title) == (
        Channel.PHONE,
        IncidentKind.PROBLEM_RESOLUTION,
        "Mailboxes unreachable",
    )
    proposed = OpenIncident.parse(**RAW | {"proposed_severity": "a", "language": " FR "})
    assert (proposed.proposed_severity, proposed.language) == (Severity.A, "fr")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", "D"),
        ("proposed_severity", "Z"),
        ("channel", "pigeon"),
        ("kind", "gossip"),
        ("title", "  "),
    ],
)
def test_inc1_bad_input_is_refused_naming_its_field(field, value):
    with pytest.raises(InvalidInput) as refused:
        OpenIncident.parse(**RAW | {field: value})
    assert refused.value.field == field
