"""Rate cards and exchange rates as dated data (RULES.md CRD-1, MC-7) and their YAML import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unisupport.domain.errors import InvalidInput
from unisupport.domain.money import Credits, round_half_up
from unisupport.domain.rates import (
    ExchangeRate,
    FeeKind,
    RateCard,
    exchange_rate_in_force,
    parse_rates_yaml,
    rate_card_in_force,
    redemption_cost,
)

ISSUE_YAML = """
rate_cards:
  - site: FR                  # country of the site; applies to every order with a site there
    effective_from: 2027-01-01
    credits:                  # credits per unit of each service
      workshop: 12.5          # per participant
      chalk-talk: 40
exchange_rates:
  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0.95, fee_percent: 2}
"""


@pytest.fixture
def table():
    return parse_rates_yaml(ISSUE_YAML)


def test_crd1_parse_the_issues_import_file(table) -> None:
    """CRD-1, MC-7: the issue's file gives one FR card and one FR→DE rate, as exact decimals."""
    (card,) = table.rate_cards
    assert (card.site, card.effective_from) == ("FR", date(2027, 1, 1))
    assert dict(card.credits) == {"workshop": Decimal("12.5"), "chalk-talk": Decimal(40)}
    (rate,) = table.exchange_rates
    assert (rate.from_site, rate.to_site, rate.rate, rate.fee_kind, rate.fee) == (
        "FR",
        "DE",
        Decimal("0.95"),
        FeeKind.PERCENT,
        Decimal(2),
    )


def test_crd1_three_workshop_participants_cost_38_credits(table) -> None:
    """CRD-1 Reading: 3 × 12.5 = 37.5 rounds half up to 38 credits."""
    card = rate_card_in_force(table.rate_cards, site="FR", on=date(2027, 3, 1))
    assert redemption_cost(card, service="workshop", quantity=3) == Credits(38)
    assert redemption_cost(card, service="chalk-talk", quantity=1) == Credits(40)


def test_crd1_quantities_are_positive_whole_units(table) -> None:
    """CRD-1: a negative, zero or fractional participant count is refused, naming the field."""
    (card,) = table.rate_cards
    for bad in (-1, 0, Decimal("1.5"), "two", True):
        with pytest.raises(InvalidInput) as exc:
            redemption_cost(card, service="workshop", quantity=bad)
        assert exc.value.field == "quantity"
    assert redemption_cost(card, service="workshop", quantity=Decimal("1.5"), whole_units=False) == Credits(
        19
    )


def test_crd1_a_service_missing_from_the_card_names_the_service(table) -> None:
    """CRD-1: no rate for the service on the card in force → InvalidInput on ``service``."""
    (card,) = table.rate_cards
    with pytest.raises(InvalidInput) as exc:
        redemption_cost(card, service="hackathon", quantity=1)
    assert exc.value.field == "service"


def test_crd1_the_card_in_force_is_the_latest_started() -> None:
    """CRD-1: rate cards have effective dates; the one in force is the latest that has started."""
    old = RateCard("FR", date(2027, 1, 1), {"workshop": Decimal("12.5")})
    new = RateCard("FR", date(2027, 7, 1), {"workshop": Decimal(14)})
    other = RateCard("DE", date(2026, 1, 1), {"workshop": Decimal(11)})
    cards = [new, other, old]
    assert rate_card_in_force(cards, site="FR", on=date(2027, 6, 30)) is old
    assert rate_card_in_force(cards, site="FR", on=date(2027, 7, 1)) is new


def test_crd1_a_missing_rate_card_for_the_date_names_the_field() -> None:
    """CRD-1: no card yet on the date → InvalidInput on ``on``; no card for the site → on ``site``."""
    cards = [RateCard("FR", date(2027, 1, 1), {"workshop": Decimal("12.5")})]
    with pytest.raises(InvalidInput) as exc:
        rate_card_in_force(cards, site="FR", on=date(2026, 12, 31))
    assert exc.value.field == "on"
    assert "2027-01-01" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        rate_card_in_force(cards, site="IT", on=date(2027, 3, 1))
    assert exc.value.field == "site"


def test_crd1_rate_card_is_read_only() -> None:
    """CRD-1: a card in force cannot change under a decision taken with it."""
    card = RateCard("FR", date(2027, 1, 1), {"workshop": Decimal("12.5")})
    with pytest.raises(TypeError):
        card.credits["workshop"] = Decimal(1)  # type: ignore[index]


def test_mc7_exchanging_100_credits_fr_to_de_credits_93(table) -> None:
    """MC-7 Reading: round-half-up(100 × 0.95 × 0.98) = round(93.1) = 93."""
    rate = exchange_rate_in_force(table.exchange_rates, from_site="FR", to_site="DE", on=date(2027, 3, 1))
    assert rate.credited(Credits(100)) == Credits(93)


def test_mc7_flat_fee_is_configuration() -> None:
    """MC-7 Reading: a flat fee (target credits after conversion) instead of a percentage."""
    (rate,) = parse_rates_yaml(
        "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0.95, fee_flat: 3}\n"
    ).exchange_rates
    assert rate.fee_kind is FeeKind.FLAT
    assert rate.credited(Credits(100)) == Credits(92)  # 95 − 3
    assert rate.credited(Credits(1)) == Credits(0)  # never negative


def test_mc7_half_a_credit_rounds_up() -> None:
    """MC-7 Reading: 10 × 0.85 = 8.5 → 9 credits."""
    rate = ExchangeRate("FR", "DE", date(2027, 1, 1), Decimal("0.85"))
    assert rate.credited(Credits(10)) == Credits(9)


def test_mc7_rate_in_force_and_missing_rates() -> None:
    """MC-7: the rate in force on the day of exchange; none for the pair or the date is bad input."""
    first = ExchangeRate("FR", "DE", date(2027, 1, 1), Decimal("0.95"), FeeKind.PERCENT, Decimal(2))
    second = ExchangeRate("FR", "DE", date(2027, 6, 1), Decimal("0.9"), FeeKind.PERCENT, Decimal(1))
    back = ExchangeRate("DE", "FR", date(2027, 1, 1), Decimal("1.05"))
    rates = [second, back, first]
    assert exchange_rate_in_force(rates, from_site="FR", to_site="DE", on=date(2027, 5, 31)) is first
    assert exchange_rate_in_force(rates, from_site="FR", to_site="DE", on=date(2027, 6, 1)) is second
    with pytest.raises(InvalidInput) as exc:
        exchange_rate_in_force(rates, from_site="FR", to_site="DE", on=date(2026, 12, 31))
    assert exc.value.field == "on"
    with pytest.raises(InvalidInput) as exc:
        exchange_rate_in_force(rates, from_site="FR", to_site="IT", on=date(2027, 3, 1))
    assert exc.value.field == "to"


@given(
    debited=st.integers(min_value=1, max_value=10**7),
    rate=st.decimals(min_value="0.01", max_value="10", places=4),
    fee=st.decimals(min_value=0, max_value="99.99", places=2),
)
def test_mc7_property_exchange_never_credits_more_than_rate_times_debited(
    debited: int, rate: Decimal, fee: Decimal
) -> None:
    """MC-7 (property): credited ≤ round-half-up(debited × rate), and never below zero.

    Strictly below ``debited × rate`` cannot hold with round-half-up and no fee (10 × 0.85 = 8.5
    credits 9): the bound is the rounded conversion, at most half a credit above it.
    """
    exchange = ExchangeRate("FR", "DE", date(2027, 1, 1), rate, FeeKind.PERCENT, fee)
    credited = exchange.credited(Credits(debited)).amount
    assert 0 <= credited <= round_half_up(debited * rate)
    assert credited <= debited * rate + Decimal("0.5")


# --- import validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("rate_cards: [", "rates"),
        ("- 1\n- 2\n", "rates"),
        ("rate_cardz: []\n", "rates.rate_cardz"),
        ("rate_cards: {site: FR}\n", "rate_cards"),
        ("rate_cards:\n  - {effective_from: 2027-01-01, credits: {workshop: 1}}\n", "rate_cards[0].site"),
        ("rate_cards:\n  - {site: FR, credits: {workshop: 1}}\n", "rate_cards[0].effective_from"),
        ("rate_cards:\n  - {site: FR, effective_from: 2027-01-01}\n", "rate_cards[0].credits"),
        ("rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {}}\n", "rate_cards[0].credits"),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {workshop: -12.5}}\n",
            "rate_cards[0].credits.workshop",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {workshop: lots}}\n",
            "rate_cards[0].credits.workshop",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {workshop: .nan}}\n",
            "rate_cards[0].credits.workshop",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {Work Shop: 1}}\n",
            "rate_cards[0].credits.Work Shop",
        ),
        (
            "rate_cards:\n  - {site: fr, effective_from: 2027-01-01, credits: {workshop: 1}}\n",
            "rate_cards[0].site",
        ),
        (
            "rate_cards:\n  - {site: XX, effective_from: 2027-01-01, credits: {workshop: 1}}\n",
            "rate_cards[0].site",
        ),
        (
            "rate_cards:\n  - {site: NO, effective_from: 2027-01-01, credits: {workshop: 1}}\n",
            "rate_cards[0].site",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-13-01, credits: {workshop: 1}}\n",
            "rate_cards[0].effective_from",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01 10:00:00, credits: {workshop: 1}}\n",
            "rate_cards[0].effective_from",
        ),
        (
            "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {workshop: 1}, note: x}\n",
            "rate_cards[0].note",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: FR, effective_from: 2027-01-01, rate: 1}\n",
            "exchange_rates[0].to",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0}\n",
            "exchange_rates[0].rate",
        ),
        ("exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01}\n", "exchange_rates[0].rate"),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 1, fee_percent: 100}\n",
            "exchange_rates[0].fee_percent",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 1, fee_percent: -1}\n",
            "exchange_rates[0].fee_percent",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 1, fee_flat: -1}\n",
            "exchange_rates[0].fee_flat",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 1, fee_percent: 1, fee_flat: 1}\n",
            "exchange_rates[0].fee_flat",
        ),
        (
            "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: true}\n",
            "exchange_rates[0].rate",
        ),
    ],
)
def test_crd1_mc7_import_names_the_path_of_every_bad_field(text: str, field: str) -> None:
    """CRD-1, MC-7: every field of the import is validated; the error names its path."""
    with pytest.raises(InvalidInput) as exc:
        parse_rates_yaml(text)
    assert exc.value.field == field


def test_crd1_import_refuses_two_cards_for_one_site_and_date() -> None:
    """CRD-1: two FR cards from the same day would make the rate in force ambiguous."""
    card = "  - {site: FR, effective_from: 2027-01-01, credits: {workshop: 1}}\n"
    with pytest.raises(InvalidInput) as exc:
        parse_rates_yaml("rate_cards:\n" + card + card)
    assert exc.value.field == "rate_cards[1].effective_from"


def test_crd1_import_checks_service_codes_and_sites_against_the_catalog() -> None:
    """CRD-1, CAT-1: with the catalog's codes and the sites in use, unknown ones are refused."""
    text = "rate_cards:\n  - {site: FR, effective_from: 2027-01-01, credits: {workshopp: 1}}\n"
    with pytest.raises(InvalidInput) as exc:
        parse_rates_yaml(text, known_services={"workshop"})
    assert exc.value.field == "rate_cards[0].credits.workshopp"
    with pytest.raises(InvalidInput) as exc:
        parse_rates_yaml(
            text.replace("workshopp", "workshop"), known_services={"workshop"}, known_sites={"DE"}
        )
    assert exc.value.field == "rate_cards[0].site"


def test_crd1_import_accepts_quoted_dates_and_an_empty_file() -> None:
    """CRD-1: a quoted ISO date is a date; an empty file imports nothing."""
    table = parse_rates_yaml(
        "rate_cards:\n  - {site: 'NO', effective_from: '2027-01-01', credits: {workshop: '12.5'}}\n"
    )
    assert table.rate_cards[0].site == "NO"
    assert table.rate_cards[0].credits["workshop"] == Decimal("12.5")
    assert parse_rates_yaml("").rate_cards == ()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e309", "less than"),
        ("100000000", "less than"),
        ("12.33335", "4 decimal places"),
        ("0.00001", "4 decimal"),
    ],
)
def test_crd1_a_rate_card_holds_only_what_its_column_stores(value, words) -> None:
    """CRD-1: a rate stored as infinity (1e309 on SQLite) would break every later redemption at that
    site; a finer one would be rounded silently. Both are refused naming the field."""
    text = f"rate_cards:\n  - site: FR\n    effective_from: 2027-01-01\n    credits: {{workshop: {value}}}\n"
    with pytest.raises(InvalidInput) as refused:
        parse_rates_yaml(text)
    assert refused.value.field.endswith("workshop")
    assert words in str(refused.value)
    rate = "exchange_rates:\n  - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0.953125}\n"
    assert parse_rates_yaml(rate)  # six decimal places for an exchange rate (MC-7)
