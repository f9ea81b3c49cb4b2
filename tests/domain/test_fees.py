"""Cancellation, rescheduling and request deadlines (RULES.md §7: DEL-1, DEL-2, DEL-3, DEL-4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unisupport.domain.errors import InvalidInput
from unisupport.domain.fees import (
    cancellation_fee,
    fee_percent,
    is_best_effort,
    local_date,
    request_deadline,
    reschedule_fee,
    vendor_cancellation,
)
from unisupport.domain.money import Credits, Hours, Money

DELIVERY = date(2026, 12, 20)


def eur(amount: str | int) -> Money:
    return Money(Decimal(str(amount)), "EUR")


# --- DEL-2 -------------------------------------------------------------------------------------


def test_del2_10_days_before_is_50_percent() -> None:
    """DEL-2: the issue's example — 12,000 cancelled 10 days ahead: 6,000 fee, 6,000 refund."""
    decision = cancellation_fee(eur(12000), delivery=DELIVERY, on=date(2026, 12, 10))
    assert decision.as_dict() == {
        "days_before": 10,
        "fee_percent": 50,
        "fee": "6000.00",
        "refund": "6000.00",
        "rule": "DEL-2",
    }


@pytest.mark.parametrize(
    ("days_before", "percent"),
    [(30, 0), (14, 0), (13, 50), (6, 50), (5, 100), (1, 100), (0, 100), (-3, 100)],
    ids=["30d", "14d", "13d", "6d", "5d", "1d", "delivery-day", "after-delivery"],
)
def test_del2_boundaries_14_13_6_5_days(days_before: int, percent: int) -> None:
    """DEL-2: ≥ 14 days → 0 %, 6..13 → 50 %, ≤ 5 → 100 %; on or after the delivery day → 100 %."""
    decision = cancellation_fee(eur(1000), delivery=DELIVERY, on=DELIVERY - timedelta(days=days_before))
    assert (decision.days_before, decision.fee_percent, decision.rule) == (days_before, percent, "DEL-2")
    assert decision.fee == eur(1000 * percent // 100)
    assert fee_percent(days_before) == percent


def test_del2_credits_fee_rounds_half_up_to_a_whole_credit() -> None:
    """DEL-2 with CRD-1's rounding: half of 37 credits is 18.5 → a fee of 19, a refund of 18."""
    decision = cancellation_fee(Credits(37), delivery=DELIVERY, on=DELIVERY - timedelta(days=7))
    assert (decision.fee, decision.refund) == (Credits(19), Credits(18))
    assert decision.as_dict()["fee"] == "19"


def test_del2_money_fee_rounds_half_up_to_the_cent() -> None:
    """DEL-2: half of 0.05 EUR is 0.025 → a fee of 0.03 and a refund of 0.02, summing to the cost."""
    decision = cancellation_fee(eur("0.05"), delivery=DELIVERY, on=DELIVERY - timedelta(days=10))
    assert (decision.fee, decision.refund) == (eur("0.03"), eur("0.02"))


def test_del2_hours_are_a_cost_too() -> None:
    """DEL-2 Product rule: the fee applies to whatever paid — here a block of hours."""
    decision = cancellation_fee(Hours(Decimal("7.5")), delivery=DELIVERY, on=DELIVERY - timedelta(days=8))
    assert (decision.fee, decision.refund) == (Hours(Decimal("3.75")), Hours(Decimal("3.75")))


def test_del2_cancellation_date_must_be_a_date() -> None:
    """DEL-2 counts calendar days: an instant is refused (convert it with local_date first)."""
    with pytest.raises(InvalidInput) as exc:
        cancellation_fee(eur(100), delivery=DELIVERY, on=datetime(2026, 12, 10, tzinfo=UTC))  # type: ignore[arg-type]
    assert exc.value.field == "on"
    with pytest.raises(InvalidInput) as exc:
        cancellation_fee(eur(100), delivery="2026-12-20", on=date(2026, 12, 10))  # type: ignore[arg-type]
    assert exc.value.field == "delivery"


def test_del2_refuses_a_negative_or_unknown_cost() -> None:
    """DEL-2: the cost is Money, Credits or Hours, never negative, never finer than its unit."""
    for bad in (eur(-1), Decimal(10), Credits(Decimal("1.5")), eur("0.001")):
        with pytest.raises(InvalidInput) as exc:
            cancellation_fee(bad, delivery=DELIVERY, on=date(2026, 12, 1))  # type: ignore[arg-type]
        assert exc.value.field == "cost"


def test_del2_counts_days_in_the_delivery_sites_local_date() -> None:
    """DEL-2: 23:30 UTC on 5 Dec is already 6 Dec in Paris, so 14 days' notice becomes 13 (50 %)."""
    instant = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    assert local_date(instant, "Europe/Paris") == date(2026, 12, 6)
    assert local_date(instant, "America/New_York") == date(2026, 12, 5)
    paris = cancellation_fee(eur(100), delivery=date(2026, 12, 19), on=local_date(instant, "Europe/Paris"))
    new_york = cancellation_fee(
        eur(100), delivery=date(2026, 12, 19), on=local_date(instant, "America/New_York")
    )
    assert (paris.days_before, paris.fee_percent) == (13, 50)
    assert (new_york.days_before, new_york.fee_percent) == (14, 0)


def test_del2_local_date_refuses_naive_instants_and_unknown_zones() -> None:
    """DEL-2: only aware instants and IANA zones (no guessing the zone)."""
    with pytest.raises(InvalidInput) as exc:
        local_date(datetime(2026, 12, 5, 12, 0), "Europe/Paris")  # noqa: DTZ001 - the naive value under test
    assert exc.value.field == "at"
    with pytest.raises(InvalidInput) as exc:
        local_date(datetime(2026, 12, 5, tzinfo=ZoneInfo("Europe/Paris")), "Mars/Olympus")
    assert exc.value.field == "zone"


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    kind=st.sampled_from(["money", "credits", "hours"]),
    days=st.integers(min_value=-400, max_value=400),
)
def test_del2_property_fee_plus_refund_is_the_cost(amount: Decimal, kind: str, days: int) -> None:
    """DEL-2 (property): fee + refund == cost exactly, both ≥ 0, for every cost and notice."""
    cost = {"money": eur(amount), "credits": Credits(amount.to_integral_value()), "hours": Hours(amount)}[
        kind
    ]
    decision = cancellation_fee(cost, delivery=DELIVERY, on=DELIVERY - timedelta(days=days))
    assert decision.fee + decision.refund == cost
    assert decision.fee.amount >= 0
    assert decision.refund.amount >= 0


# --- DEL-3 -------------------------------------------------------------------------------------


def test_del3_first_reschedule_is_free_whatever_the_notice() -> None:
    """DEL-3 Reading: the first reschedule is free even the day before delivery."""
    decision = reschedule_fee(
        eur(5000), delivery=DELIVERY, on=DELIVERY - timedelta(days=1), previous_reschedules=0
    )
    assert (decision.fee, decision.refund, decision.rule) == (eur(0), eur(5000), "DEL-3")


def test_del3_second_reschedule_follows_del2() -> None:
    """DEL-3 Reading: a later reschedule follows DEL-2 (here 10 days → 50 %)."""
    decision = reschedule_fee(
        eur(5000), delivery=DELIVERY, on=DELIVERY - timedelta(days=10), previous_reschedules=1
    )
    assert (decision.fee_percent, decision.fee, decision.rule) == (50, eur(2500), "DEL-2")
    assert "DEL-3" in decision.reason


def test_del3_vendor_may_set_another_fee_for_later_reschedules() -> None:
    """DEL-3: the vendor may set its own fee for a further reschedule (never above the cost)."""
    decision = reschedule_fee(
        Credits(40),
        delivery=DELIVERY,
        on=DELIVERY - timedelta(days=30),
        previous_reschedules=2,
        vendor_fee=Credits(5),
    )
    assert (decision.fee, decision.refund, decision.fee_percent, decision.rule) == (
        Credits(5),
        Credits(35),
        None,
        "DEL-3",
    )
    with pytest.raises(InvalidInput) as exc:
        reschedule_fee(
            Credits(40), delivery=DELIVERY, on=DELIVERY, previous_reschedules=1, vendor_fee=Credits(41)
        )
    assert exc.value.field == "vendor_fee"
    with pytest.raises(InvalidInput):
        reschedule_fee(Credits(40), delivery=DELIVERY, on=DELIVERY, previous_reschedules=1, vendor_fee=eur(5))
    with pytest.raises(InvalidInput) as exc:
        reschedule_fee(Credits(40), delivery=DELIVERY, on=DELIVERY, previous_reschedules=-1)
    assert exc.value.field == "previous_reschedules"


# --- DEL-4 -------------------------------------------------------------------------------------


def test_del4_vendor_cancellation_returns_everything() -> None:
    """DEL-4 Product rule: a workshop cancelled for too few registrations returns what was paid."""
    decision = vendor_cancellation(Credits(38))
    assert (decision.fee, decision.refund, decision.rule, decision.days_before) == (
        Credits(0),
        Credits(38),
        "DEL-4",
        None,
    )


# --- DEL-1 -------------------------------------------------------------------------------------


def test_del1_request_deadline_is_60_days_before_expiry() -> None:
    """DEL-1: an order expiring 31 Dec 2026 takes full requests until 1 Nov 2026."""
    assert request_deadline(date(2026, 12, 31)) == date(2026, 11, 1)
    assert request_deadline(date(2026, 12, 31), lead_days=30) == date(2026, 12, 1)


def test_del1_a_later_request_is_best_effort() -> None:
    """DEL-1: on the deadline the request is accepted in full; a day later it is best effort."""
    assert not is_best_effort(date(2026, 11, 1), order_end=date(2026, 12, 31))
    assert is_best_effort(date(2026, 11, 2), order_end=date(2026, 12, 31))
    with pytest.raises(InvalidInput) as exc:
        is_best_effort(datetime(2026, 11, 2, tzinfo=UTC), order_end=date(2026, 12, 31))  # type: ignore[arg-type]
    assert exc.value.field == "submitted_on"


def test_del2_a_customers_cancellation_keeps_nothing_before_it_is_scheduled_then_by_notice():
    from datetime import date

    from unisupport.domain.fees import customer_cancellation
    from unisupport.domain.money import Credits

    unscheduled = customer_cancellation(Credits(Decimal(25)), delivery=None, on=date(2027, 1, 4))
    assert (unscheduled.rule, unscheduled.fee_percent, unscheduled.fee.amount) == ("DEL-2", 0, 0)
    late = customer_cancellation(Credits(Decimal(25)), delivery=date(2027, 1, 8), on=date(2027, 1, 4))
    assert (late.rule, late.fee_percent) == ("DEL-2", 100)
