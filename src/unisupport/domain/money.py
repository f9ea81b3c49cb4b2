"""Quantities that must never be mixed: money (with its currency), credits and hours.

Each is a frozen dataclass around a Decimal; arithmetic is defined only between values of the
same kind (and, for money, the same currency), so a credit can never be added to a dollar.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Self

CENT = Decimal("0.01")

# ISO 4217 minor units of the currencies that do not have two (JPY has none: no "500.50 JPY").
_MINOR_UNITS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
         "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}  # fmt: skip


def minor_units(currency: str) -> int:
    """Return how many decimals amounts in ``currency`` are written with (ISO 4217: 2 unless listed)."""
    return _MINOR_UNITS.get(currency, 2)


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Return ``value`` as a finite Decimal, or raise ValueError naming ``field``."""
    if isinstance(value, bool):
        raise ValueError(f"{field}: expected a number, got {value!r}")
    if isinstance(value, float):
        value = repr(value)  # 0.1 -> "0.1", not 0.1000000000000000055…
    try:
        result = Decimal(str(value).strip().replace("_", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{field}: expected a number, got {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{field}: expected a finite number, got {value!r}")
    return result


def plain(value: Decimal) -> Decimal:
    """Return ``value`` without the trailing zeros a stored amount carries (300.00 → 300, 7.50 → 7.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def round_half_up(value: Decimal, exponent: Decimal = Decimal(1)) -> Decimal:
    """Return ``value`` rounded to ``exponent`` with halves going up (37.5 → 38, CRD-1)."""
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, order=True)
class _Quantity:
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))

    def _same(self, other: object) -> Self:
        if type(other) is not type(self):
            raise TypeError(f"cannot combine {type(self).__name__} with {type(other).__name__}")
        return other

    def __add__(self, other: Self) -> Self:
        return type(self)(self.amount + self._same(other).amount)

    def __sub__(self, other: Self) -> Self:
        return type(self)(self.amount - self._same(other).amount)

    def __neg__(self) -> Self:
        return type(self)(-self.amount)

    def __bool__(self) -> bool:
        return bool(self.amount)

    @classmethod
    def zero(cls) -> Self:
        """Return nothing of this kind."""
        return cls(Decimal(0))


@dataclass(frozen=True, slots=True, order=True)
class Credits(_Quantity):
    """Proactive credits (CRD-*): whole numbers once posted."""

    def __str__(self) -> str:
        return f"{self.amount} credits"


@dataclass(frozen=True, slots=True, order=True)
class Hours(_Quantity):
    """Hours of an hour block (HRS-*)."""

    def __str__(self) -> str:
        return f"{self.amount} h"


@dataclass(frozen=True, slots=True, order=True)
class Events(_Quantity):
    """Events an MCS for Azure Events (Plus) line pays for (EVT-1, EVT-2): whole numbers once posted."""

    def __str__(self) -> str:
        return f"{self.amount} event" if self.amount == 1 else f"{self.amount} events"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency (ISO 4217). Money of two currencies never mixes."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency: expected an ISO 4217 code such as USD, got {self.currency!r}")

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def times(self, factor: Decimal) -> Money:
        """Return this amount multiplied by ``factor`` (unrounded)."""
        return Money(self.amount * factor, self.currency)

    def rounded(self) -> Money:
        """Return this amount rounded half-up to the cent."""
        return Money(round_half_up(self.amount, CENT), self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return nothing in ``currency``."""
        return cls(Decimal(0), currency)

    def __str__(self) -> str:
        # Written to the currency's minor unit, grouped: "5,000.00 EUR", "500 JPY".
        digits = minor_units(self.currency)
        return f"{round_half_up(self.amount, Decimal(1).scaleb(-digits)):,.{digits}f} {self.currency}"


# Whatever an account of the ledger counts.
Quantity = Credits | Hours | Events | Money
