"""The domain's texts are English (the CLI's and the API's contract) and carry their template and
values, so that the portal can translate them; the errors and entry reasons keep their exact words."""

from __future__ import annotations

import ast
import copy
import json
import pickle
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from unisupport.domain import ledger as lg
from unisupport.domain.errors import InvalidInput, RuleViolation, UnknownService
from unisupport.domain.fees import cancellation_fee
from unisupport.domain.ledger_fees import charge_fee
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, Hours, Money
from unisupport.domain.term import Term

DOMAIN = Path(lg.__file__).parent
TERM = Term(date(2027, 1, 1), date(2027, 12, 31))
AT = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
FR = lg.Account("ESO-2027-001", "FR", lg.AccountKind.CREDITS)
FEES = lg.Account("ESO-2027-001", "FR", lg.AccountKind.MONEY, currency="EUR")


def test_a_message_is_its_english_text_and_keeps_its_template_and_values():
    text = Message(gettext_noop("the {site} balance ({balance}) cannot cover {cost}"), site="FR",
                   balance=Credits(5), cost=Credits(38))  # fmt: skip
    assert text == "the FR balance (5 credits) cannot cover 38 credits"
    assert isinstance(text, str)
    assert text.template == "the {site} balance ({balance}) cannot cover {cost}"
    assert text.params["cost"] == Credits(38)
    assert (
        json.dumps({"message": text}) == '{"message": "the FR balance (5 credits) cannot cover 38 credits"}'
    )


def test_a_message_reads_back_from_json_to_the_same_text_and_values():
    nested = Message(
        gettext_noop("{days} calendar days before delivery: {percent} % fee"), days=10, percent=50
    )
    text = Message(
        gettext_noop("{a} {b} {c} {d} {e} {f} {g} {h}"),
        a=Credits(Decimal(38)),
        b=Hours(Decimal("7.50")),
        c=Money(Decimal("1200.00"), "EUR"),
        d=Decimal("0.95"),
        e=date(2027, 12, 31),
        f=AT,
        g=nested,
        h="typed by someone {with braces}",
    )
    data = json.loads(json.dumps(text.as_json()))
    again = Message.from_json(data)
    assert again == text
    assert again.params == text.params
    assert again.template == text.template


def test_a_message_survives_copy_and_pickle():
    text = Message(gettext_noop("redeem {cost}"), cost=Credits(38))
    for other in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert other == "redeem 38 credits"
        assert other.template == "redeem {cost}"
        assert other.params == {"cost": Credits(38)}


def test_errors_keep_their_english_message_and_hold_what_went_wrong_apart():
    with pytest.raises(RuleViolation) as refused:
        lg.redeem_credits(Credits(5), Credits(38), account=FR, on=date(2027, 3, 1), term=TERM, ctx=_ctx())
    error = refused.value
    assert error.message == (
        "CRD-2: the FR balance (5 credits) cannot cover 38 credits: buy more credits before scheduling"
    )
    assert error.as_dict()["message"] == error.message
    assert isinstance(error.text, Message)
    assert error.text == error.message.removeprefix("CRD-2: ")
    unknown = UnknownService("nope")
    assert (unknown.message, unknown.text) == (
        "CAT-1: unknown service code 'nope'",
        "unknown service code 'nope'",
    )
    assert isinstance(unknown.text, Message)
    plain = InvalidInput("hours", "typed elsewhere")
    assert (plain.message, plain.text) == ("hours: typed elsewhere", "typed elsewhere")


def test_entry_reasons_are_messages_with_the_callers_words_kept_as_typed():
    (redeemed,) = lg.redeem_credits(
        Credits(500), Credits(38), account=FR, on=date(2027, 3, 1), term=TERM, ctx=_ctx(reason="workshop {x}")
    )
    assert redeemed.reason == "redeem 38 credits — workshop {x}"
    assert isinstance(redeemed.reason, Message)
    assert redeemed.reason.params["note"] == "workshop {x}"
    assert redeemed.reason.params["reason"].template == "redeem {cost}"
    fee = cancellation_fee(Money(Decimal(12000), "EUR"), delivery=date(2027, 12, 20), on=date(2027, 12, 10))
    (charged,) = charge_fee(fee, account=FEES, balance=Decimal(0), ctx=_ctx(), on=date(2027, 12, 10))
    assert charged.reason == "fee 6,000.00 EUR: 10 calendar days before delivery: 50 % fee"
    assert isinstance(charged.reason, Message)


def test_every_refusal_of_the_domain_is_a_translatable_message():
    """A raise site with a plain (f-)string would show English on the French portal."""
    plain = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("RuleViolation", "InvalidInput")
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant | ast.JoinedStr | ast.BinOp)
            ):
                plain.append(f"{path.name}:{node.lineno}")
    assert plain == []


def test_the_ledgers_service_layer_refuses_and_posts_translatable_messages():
    """Its refusals (ORD-9, FLX-*, MC-6, HRS-*, CRD-3) and entry reasons (ORD-9, FLX-5) are Messages."""
    ledger = DOMAIN.parent / "ledger"
    plain = []
    paths = [ledger / name for name in ("grants.py", "exchange_services.py", "services.py")]
    for path in [*paths, DOMAIN / "allocation.py"]:
        name = path.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            texts = [kw.value for kw in node.keywords if kw.arg == "reason"]
            if isinstance(node.func, ast.Name) and node.func.id in ("RuleViolation", "InvalidInput"):
                texts += node.args[1:2]
            if any(isinstance(t, ast.Constant | ast.JoinedStr | ast.BinOp) for t in texts):
                plain.append(f"{name}:{node.lineno}")
    assert plain == []


def _ctx(reason: str = "") -> lg.Context:
    return lg.Context(actor="bob@vendor", at=AT, order_version=1, reason=reason)


def test_amounts_are_written_to_their_currencys_minor_unit():
    """Amounts in refusals: grouped, to the currency's minor unit (no "5000.00000000 EUR", no "500.50 JPY")."""
    from unisupport.domain.money import Money

    assert str(Money(Decimal("5000.00000000"), "EUR")) == "5,000.00 EUR"
    assert str(Money(Decimal("500.50"), "JPY")) == "501 JPY"
    assert str(Money(Decimal("1234.5"), "KWD")) == "1,234.500 KWD"
    refused = Message(
        "custom proactive services may receive only {room} more from the allocation",
        room=Money(Decimal("15000.00000000"), "EUR"),
    )
    assert refused == "custom proactive services may receive only 15,000.00 EUR more from the allocation"
