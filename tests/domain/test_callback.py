"""RSP-6: the callback details an incident's opener gives are read, or refused naming the field."""

from __future__ import annotations

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.incident_commands import OpenIncident, parse_callback


def test_rsp6_a_phone_and_an_email_are_kept_with_their_spaces_tidied():
    assert parse_callback(phone="  +33 (0)6  12 34-56.78 ", email=" dave@contoso.example ") == (
        "+33 (0)6 12 34-56.78",
        "dave@contoso.example",
    )


def test_rsp6_both_are_optional():
    assert parse_callback(phone="", email=None) == ("", "")


@pytest.mark.parametrize("phone", ["call me", "+", "12", "1" * 41, "06 12 34 56 78\n<script>"])
def test_rsp6_a_phone_that_is_not_one_is_refused_naming_the_field(phone):
    with pytest.raises(InvalidInput) as refused:
        parse_callback(phone=phone, email="")
    assert refused.value.field == "callback_phone"


@pytest.mark.parametrize("email", ["dave", "dave@", "dave@contoso", "a b@c.d", "x@" + "y" * 260 + ".fr"])
def test_rsp6_an_email_that_is_not_one_is_refused_naming_the_field(email):
    with pytest.raises(InvalidInput) as refused:
        parse_callback(phone="", email=email)
    assert refused.value.field == "callback_email"


def test_rsp6_the_open_command_carries_them():
    command = OpenIncident.parse(
        order_number="ESO-2026-001", site_country="FR", severity="A", product="Exchange Online",
        channel="phone", title="Mail down", callback_phone="+33 6 12 34 56 78", callback_email="d@c.fr",
    )  # fmt: skip
    assert (command.callback_phone, command.callback_email) == ("+33 6 12 34 56 78", "d@c.fr")
