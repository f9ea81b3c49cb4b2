"""The ledger's commands: raw input read once into typed values, bad input refused naming its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.ledger_commands import Consumption, Redemption


def test_a_redemption_reads_its_input_into_typed_values():
    command = Redemption.parse(
        order=" ESO-2026-001 ",
        site="fr",
        service="workshop",
        quantity="2",
        on="2027-01-15",
        reason=" atelier ",
    )
    assert command == Redemption(
        "ESO-2026-001", "FR", "workshop", Decimal(2), date(2027, 1, 15), None, "atelier"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order": " "}, "order"),
        ({"site": None}, "site"),
        ({"quantity": "two"}, "quantity"),
        ({"on": "15/01/2027"}, "on"),
        ({"delivery_on": "soon"}, "delivery_on"),
    ],
)
def test_a_redemption_with_bad_input_names_the_field(change, field):
    fields = {"order": "ESO-2026-001", "site": "FR", "service": "workshop", "quantity": 1} | change
    with pytest.raises(InvalidInput) as refused:
        Redemption.parse(**fields)
    assert refused.value.field == field


def test_a_consumption_reads_fractional_hours():
    command = Consumption.parse(order="ESO-2026-001", site="de", service="developer-assistance", hours="7.5")
    assert (command.site, command.hours, command.on) == ("DE", Decimal("7.5"), None)
    with pytest.raises(InvalidInput) as refused:
        Consumption.parse(order="ESO-2026-001", site="DE", service="x", hours=True)
    assert refused.value.field == "hours"
