"""Caps and checks of Mission Critical Services for Azure Platform (Plus): monitoring scenarios
(MCS-3), service improvement plans (MCS-4), outage communications (MCS-5), enrolled
subscriptions (MCS-6) and MSCIR before signature (MCS-9).

Pure: the caller gives what the order holds and what it has already used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.programmes import add_months
from unisupport.domain.service_codes import MSCIR, PLATFORM, PLATFORM_PLUS, PLATFORM_TIERS

MOST_SCENARIOS = 7  # MCS-3: up to 7 mutually agreed monitoring scenarios (Plus)
SIPS_PER_PERIOD = 2  # MCS-4: two service improvement plans per 12-month period
SIP_PERIOD_MONTHS = 12


def require_platform(offerings: Iterable[str], *, rule: str, plus: bool = False) -> str:
    """Return the MCS for Azure Platform tier the order holds, or refuse with ``rule``
    (``plus``: only MCS for Azure Platform Plus will do)."""
    held = set(offerings)
    tier = PLATFORM_PLUS if PLATFORM_PLUS in held else PLATFORM if PLATFORM in held else None
    if tier is None or (plus and tier != PLATFORM_PLUS):
        wanted = PLATFORM_PLUS if plus else " or ".join(PLATFORM_TIERS)
        raise RuleViolation(
            rule,
            Message(gettext_noop("the order holds no {offering} line that serves"), offering=wanted),
            field="order",
        )
    return tier


def check_new_scenario(*, offerings: Iterable[str], existing: int) -> None:
    """Return None if one more monitoring scenario may be added (MCS-3: Plus, at most 7), else raise MCS-3."""
    require_platform(offerings, rule="MCS-3", plus=True)
    if existing >= MOST_SCENARIOS:
        raise RuleViolation(
            "MCS-3",
            Message(
                gettext_noop(
                    "MCS for Azure Platform Plus agrees up to {most} monitoring scenarios; {count} exist"
                ),
                most=MOST_SCENARIOS,
                count=existing,
            ),
            field="order",
        )


def next_sip_day(requested: Sequence[date], *, on: date) -> date | None:
    """Return the first day a further SIP becomes possible when ``on`` is refused (MCS-4), else None.

    Reading: "per 12-month period" is any rolling 12 months: a request on ``on`` counts those
    made after the same day a year before.
    """
    window_start = add_months(on, -SIP_PERIOD_MONTHS)
    within = sorted(d for d in requested if window_start < d <= on)
    if len(within) < SIPS_PER_PERIOD:
        return None
    # The oldest of the last two leaves the window 12 months after it was made: a request that day
    # counts only those made after it.
    oldest = within[-SIPS_PER_PERIOD]
    return add_months(oldest, SIP_PERIOD_MONTHS)


def check_sip(
    *, offerings: Iterable[str], requested: Sequence[date], on: date, term: tuple[date, date]
) -> None:
    """Return None if a service improvement plan may be requested on ``on``, else raise MCS-4 (or ORD-1)."""
    require_platform(offerings, rule="MCS-4")
    if not term[0] <= on <= term[1]:
        raise RuleViolation(
            "ORD-1",
            Message(
                gettext_noop("{day} is outside the order's term ({start} to {end})"),
                day=on,
                start=term[0],
                end=term[1],
            ),
            field="at",
        )
    possible = next_sip_day(requested, on=on)
    if possible is not None:
        raise RuleViolation(
            "MCS-4",
            Message(
                gettext_noop(
                    "two service improvement plans were requested in the 12 months to {day}: "
                    "the next one is possible from {possible}"
                ),
                day=on,
                possible=possible,
            ),
            field="order",
        )


def check_enrolled(subscription: str, enrolled: Iterable[str]) -> bool:
    """Return whether ``subscription`` is enrolled on the order (MCS-6), compared case-insensitively."""
    wanted = subscription.strip().lower()
    return any(wanted == e.strip().lower() for e in enrolled)


def check_pre_signature(*, offerings: Iterable[str], started_on: date, executed_on: date | None) -> None:
    """Return None if MSCIR work started on ``started_on`` is before the contract's signature (MCS-9), else raise."""
    if MSCIR not in set(offerings):
        raise RuleViolation("MCS-9", Message(gettext_noop("the order holds no MSCIR line")), field="order")
    if executed_on is not None and started_on >= executed_on:
        raise InvalidInput(
            "started_on",
            Message(
                gettext_noop(
                    "the contract was signed on {signed}: work from then on is not before signature"
                ),
                signed=executed_on,
            ),
        )
