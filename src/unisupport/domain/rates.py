"""Rate cards (CRD-1) and credit exchange rates (MC-7): data with effective dates, never constants.

The import format (``unisupport rates import FILE``)::

    rate_cards:
      - site: FR                  # country of the site
        effective_from: 2027-01-01
        credits:                  # credits per unit of each service
          workshop: 12.5
          chalk-talk: 40
    exchange_rates:
      - {from: FR, to: DE, effective_from: 2027-01-01, rate: 0.95, fee_percent: 2}

An exchange rate takes either ``fee_percent`` (of the converted amount) or ``fee_flat`` (credits
of the target site, taken after conversion), or neither (no fee).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import yaml

from unisupport.domain.countries import check_country
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.money import Credits, round_half_up, to_decimal
from unisupport.domain.yaml_input import LimitedLoader

SERVICE_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
HUNDRED = Decimal(100)


class FeeKind(StrEnum):
    """How an exchange fee is expressed (MC-7 Reading: configuration, not code)."""

    PERCENT = "percent"  # a percentage of the converted credits
    FLAT = "flat"  # a number of target-site credits


@dataclass(frozen=True, slots=True)
class RateCard:
    """The credits per unit of each service at a site's country, from ``effective_from`` on (CRD-1)."""

    site: str
    effective_from: date
    credits: Mapping[str, Decimal] = field(hash=False)

    def __post_init__(self) -> None:
        _country(self.site, "site")
        _date(self.effective_from, "effective_from")
        rates = {code: _positive(value, f"credits.{code}") for code, value in self.credits.items()}
        # Read-only view: a card in force must not change under the decisions taken with it.
        object.__setattr__(self, "credits", MappingProxyType(rates))

    def rate(self, service: str) -> Decimal:
        """Return the credits per unit of ``service`` (InvalidInput naming ``service`` if absent)."""
        try:
            return self.credits[service]
        except KeyError:
            raise InvalidInput(
                "service",
                Message(
                    gettext_noop("no rate for {service!r} on the {site} rate card from {start}"),
                    service=service,
                    site=self.site,
                    start=self.effective_from,
                ),
            ) from None


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """Converting credits of site ``from_site`` into credits of ``to_site`` (MC-7)."""

    from_site: str
    to_site: str
    effective_from: date
    rate: Decimal
    fee_kind: FeeKind = FeeKind.PERCENT
    fee: Decimal = Decimal(0)  # percent (2 = 2 %) or flat credits, by ``fee_kind``

    def __post_init__(self) -> None:
        _country(self.from_site, "from")
        _country(self.to_site, "to")
        if self.from_site == self.to_site:
            raise InvalidInput("to", _same_sites(self.to_site))
        _date(self.effective_from, "effective_from")
        object.__setattr__(self, "rate", _positive(self.rate, "rate", places=6))
        object.__setattr__(self, "fee_kind", FeeKind(self.fee_kind))
        fee = _number(self.fee, "fee")
        if fee < 0 or (self.fee_kind is FeeKind.PERCENT and fee >= HUNDRED):
            raise InvalidInput(
                "fee",
                Message(gettext_noop("expected 0 ≤ fee < 100 %, got {fee}"), fee=fee)
                if self.fee_kind is FeeKind.PERCENT
                else Message(gettext_noop("expected 0 ≤ fee, got {fee}"), fee=fee),
            )
        object.__setattr__(self, "fee", fee)

    def unrounded(self, debited: Credits) -> Decimal:
        """Return the exact credits ``debited`` converts to, after the fee and before rounding."""
        converted = debited.amount * self.rate
        if self.fee_kind is FeeKind.PERCENT:
            return converted * (1 - self.fee / HUNDRED)
        return max(converted - self.fee, Decimal(0))

    def credited(self, debited: Credits) -> Credits:
        """Return the whole credits ``debited`` becomes at the target: rounded half up (MC-7)."""
        return Credits(round_half_up(self.unrounded(debited)))


@dataclass(frozen=True, slots=True)
class RateTable:
    """What one import file holds."""

    rate_cards: tuple[RateCard, ...]
    exchange_rates: tuple[ExchangeRate, ...]


def rate_card_in_force(cards: Iterable[RateCard], *, site: str, on: date) -> RateCard:
    """Return the card of ``site`` in force on ``on`` (the latest that started by then)."""
    _date(on, "on")
    of_site = [card for card in cards if card.site == site]
    if not of_site:
        raise InvalidInput(
            "site", Message(gettext_noop("no rate card for site {site} (CRD-1: import one)"), site=site)
        )
    started = [card for card in of_site if card.effective_from <= on]
    if not started:
        first = min(card.effective_from for card in of_site)
        raise InvalidInput(
            "on",
            Message(
                gettext_noop("no rate card for site {site} in force on {on}; the first starts {first}"),
                site=site,
                on=on,
                first=first,
            ),
        )
    latest = max(card.effective_from for card in started)
    chosen = [card for card in started if card.effective_from == latest]
    if len(chosen) > 1:
        raise InvalidInput(
            "rate_cards",
            Message(gettext_noop("two rate cards for site {site} start on {day}"), site=site, day=latest),
        )
    return chosen[0]


def exchange_rate_in_force(
    rates: Iterable[ExchangeRate], *, from_site: str, to_site: str, on: date
) -> ExchangeRate:
    """Return the exchange rate from ``from_site`` to ``to_site`` in force on ``on`` (MC-7)."""
    _date(on, "on")
    pair = [r for r in rates if r.from_site == from_site and r.to_site == to_site]
    if not pair:
        raise InvalidInput(
            "to",
            Message(
                gettext_noop("no exchange rate from {source} to {target} (MC-7: import one)"),
                source=from_site,
                target=to_site,
            ),
        )
    started = [r for r in pair if r.effective_from <= on]
    if not started:
        first = min(r.effective_from for r in pair)
        raise InvalidInput(
            "on",
            Message(
                gettext_noop("no exchange rate {source}→{target} in force on {on}; the first starts {first}"),
                source=from_site,
                target=to_site,
                on=on,
                first=first,
            ),
        )
    latest = max(r.effective_from for r in started)
    chosen = [r for r in started if r.effective_from == latest]
    if len(chosen) > 1:
        raise InvalidInput(
            "exchange_rates",
            Message(
                gettext_noop("two exchange rates {source}→{target} start on {day}"),
                source=from_site,
                target=to_site,
                day=latest,
            ),
        )
    return chosen[0]


def redemption_cost(card: RateCard, *, service: str, quantity: object, whole_units: bool = True) -> Credits:
    """Return the credits ``quantity`` units of ``service`` cost: rate × quantity rounded half up (CRD-1)."""
    try:
        amount = to_decimal(quantity, field="quantity")
    except ValueError as exc:
        raise InvalidInput("quantity", str(exc).removeprefix("quantity: ")) from None
    if amount <= 0:
        raise InvalidInput("quantity", Message(gettext_noop("must be positive, got {amount}"), amount=amount))
    if whole_units and amount != amount.to_integral_value():
        raise InvalidInput(
            "quantity",
            Message(
                gettext_noop("{service} is counted in whole units, got {amount}"),
                service=service,
                amount=amount,
            ),
        )
    return Credits(round_half_up(card.rate(service) * amount))


# --- import -------------------------------------------------------------------------------------


class _Loader(LimitedLoader):
    """YAML without lossy scalars: dates stay text (a bad one is reported at its path, not by the
    parser) and decimals are read from their text, never through a binary float."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(loader.construct_scalar(node))
    try:
        return to_decimal(text)
    except ValueError:
        return text  # .nan, .inf: refused with the field's path by _number


_Loader.add_constructor("tag:yaml.org,2002:float", _yaml_decimal)


def parse_rates_yaml(
    text: str, *, known_services: Collection[str] | None = None, known_sites: Collection[str] | None = None
) -> RateTable:
    """Return the rate cards and exchange rates of an import file, or raise InvalidInput at its path."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InvalidInput(
            "rates",
            Message(
                gettext_noop("not valid YAML at line {line}, column {column}"),
                line=mark.line + 1,
                column=mark.column + 1,
            )
            if mark
            else Message(gettext_noop("not valid YAML")),
        ) from None
    if data is None:
        data = {}
    _keys(data, "rates", required=(), optional=("rate_cards", "exchange_rates"))
    cards = tuple(
        _rate_card(raw, f"rate_cards[{i}]", known_services, known_sites)
        for i, raw in enumerate(_list(data.get("rate_cards", []), "rate_cards"))
    )
    rates = tuple(
        _exchange_rate(raw, f"exchange_rates[{i}]", known_sites)
        for i, raw in enumerate(_list(data.get("exchange_rates", []), "exchange_rates"))
    )
    _unique([(c.site, c.effective_from) for c in cards], "rate_cards", "effective_from", "site")
    _unique(
        [(r.from_site, r.to_site, r.effective_from) for r in rates],
        "exchange_rates",
        "effective_from",
        "pair",
    )
    return RateTable(cards, rates)


def _rate_card(
    raw: object, path: str, services: Collection[str] | None, sites: Collection[str] | None
) -> RateCard:
    _keys(raw, path, required=("site", "effective_from", "credits"))
    assert isinstance(raw, dict)
    site = _country(raw["site"], f"{path}.site", sites)
    credits = raw["credits"]
    if not isinstance(credits, dict) or not credits:
        raise InvalidInput(
            f"{path}.credits", Message(gettext_noop("expected a mapping of service code to credits per unit"))
        )
    parsed: dict[str, Decimal] = {}
    for code, value in credits.items():
        where = f"{path}.credits.{code}"
        if not isinstance(code, str) or not SERVICE_CODE.match(code):
            raise InvalidInput(
                where,
                Message(gettext_noop("expected a service code such as workshop, got {code!r}"), code=code),
            )
        if services is not None and code not in services:
            raise InvalidInput(
                where, Message(gettext_noop("unknown service code {code!r} (CAT-1)"), code=code)
            )
        parsed[code] = _positive(value, where)
    return RateCard(site, _date(raw["effective_from"], f"{path}.effective_from"), parsed)


def _exchange_rate(raw: object, path: str, sites: Collection[str] | None) -> ExchangeRate:
    _keys(raw, path, required=("from", "to", "effective_from", "rate"), optional=("fee_percent", "fee_flat"))
    assert isinstance(raw, dict)
    if "fee_percent" in raw and "fee_flat" in raw:
        raise InvalidInput(
            f"{path}.fee_flat", Message(gettext_noop("give fee_percent or fee_flat, not both"))
        )
    kind, fee_key = (FeeKind.FLAT, "fee_flat") if "fee_flat" in raw else (FeeKind.PERCENT, "fee_percent")
    fee = _number(raw.get(fee_key, 0), f"{path}.{fee_key}")
    if fee < 0 or (kind is FeeKind.PERCENT and fee >= HUNDRED):
        raise InvalidInput(f"{path}.{fee_key}", Message(gettext_noop("out of range: {fee}"), fee=fee))
    from_site = _country(raw["from"], f"{path}.from", sites)
    to_site = _country(raw["to"], f"{path}.to", sites)
    if from_site == to_site:
        raise InvalidInput(f"{path}.to", _same_sites(to_site))
    return ExchangeRate(
        from_site,
        to_site,
        _date(raw["effective_from"], f"{path}.effective_from"),
        _positive(raw["rate"], f"{path}.rate", places=6),
        kind,
        fee,
    )


def _keys(raw: object, path: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    if not isinstance(raw, dict):
        raise InvalidInput(
            path, Message(gettext_noop("expected a mapping, got {type}"), type=type(raw).__name__)
        )
    for key in required:
        if key not in raw:
            raise InvalidInput(f"{path}.{key}", Message(gettext_noop("is required")))
    for key in raw:
        if key not in required and key not in optional:
            raise InvalidInput(
                f"{path}.{key}",
                Message(
                    gettext_noop("unknown field (expected {fields})"), fields=", ".join(required + optional)
                ),
            )


def _list(raw: object, path: str) -> list[Any]:
    if not isinstance(raw, list):
        raise InvalidInput(
            path, Message(gettext_noop("expected a list, got {type}"), type=type(raw).__name__)
        )
    return raw


def _country(value: object, path: str, known: Collection[str] | None = None) -> str:
    if isinstance(value, bool):
        # YAML 1.1 reads an unquoted NO (Norway) as false.
        raise InvalidInput(
            path,
            Message(gettext_noop("expected a country code, got {value!r} (quote it: 'NO')"), value=value),
        )
    if not isinstance(value, str) or not COUNTRY_CODE.match(value):
        raise InvalidInput(
            path,
            Message(
                gettext_noop("expected an ISO 3166-1 alpha-2 country code such as FR, got {value!r}"),
                value=value,
            ),
        )
    check_country(value, field=path)
    if known is not None and value not in known:
        raise InvalidInput(path, Message(gettext_noop("no site in {country!r}"), country=value))
    return value


def _date(value: object, path: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(path, _not_a_date(value)) from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(path, _not_a_date(value))
    return value


# What the stored columns hold (ledger.models: credits and fees 14 digits with 4 decimals, rates
# with 6): a larger number would be stored as infinity on SQLite and break every later redemption.
LARGEST = Decimal(10) ** 8


def _number(value: object, path: str, *, places: int = 4) -> Decimal:
    try:
        number = to_decimal(value, field=path)
    except ValueError:
        raise InvalidInput(
            path, Message(gettext_noop("expected a number, got {value!r}"), value=value)
        ) from None
    if abs(number) >= LARGEST:
        raise InvalidInput(
            path, Message(gettext_noop("must be less than {limit}, got {value}"), limit=LARGEST, value=value)
        )
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput(
            path,
            Message(gettext_noop("at most {places} decimal places, got {value}"), places=places, value=value),
        )
    return number


def _positive(value: object, path: str, *, places: int = 4) -> Decimal:
    number = _number(value, path, places=places)
    if number <= 0:
        raise InvalidInput(path, Message(gettext_noop("must be positive, got {amount}"), amount=number))
    return number


def _unique(keys: list[tuple[Any, ...]], section: str, field_name: str, what: str) -> None:
    seen: set[tuple[Any, ...]] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise InvalidInput(
                f"{section}[{index}].{field_name}",
                Message(gettext_noop("a second entry for the same site and date"))
                if what == "site"
                else Message(gettext_noop("a second entry for the same pair and date")),
            )
        seen.add(key)


def _same_sites(site: str) -> Message:
    return Message(gettext_noop("an exchange needs two different sites, got {site} twice"), site=site)


def _not_a_date(value: object) -> Message:
    return Message(gettext_noop("expected a date YYYY-MM-DD, got {value!r}"), value=value)
