"""The planner (ORD-5, DEL-1): proposals that spend what would be forfeited, on engineers' free days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from unisupport.domain.planner import Engineer, Leftover, Price, plan


def weekdays(site: str, day: date) -> bool:
    return day.weekday() < 5


def test_ord5_the_planner_spends_expiring_credits_and_hours_on_free_weekdays():
    """ORD-5: 30 credits and 10 hours expire on 2027-06-30; a workshop costs 12.5 (13 whole credits),
    a chalk talk 4; bob is taken on Monday 7 June."""
    bob = Engineer(
        "bob", "FR", frozenset({"workshop", "chalk-talk", "developer-assistance"}), {date(2027, 6, 7)}
    )
    proposals, left = plan(
        leftovers=[
            Leftover("FR", "credits", Decimal(30), date(2027, 6, 30)),
            Leftover("FR", "hours", Decimal(10), date(2027, 6, 30), "developer-assistance"),
        ],
        prices=[Price("FR", "workshop", Decimal("12.5")), Price("FR", "chalk-talk", Decimal(4))],
        engineers=[bob],
        today=date(2027, 6, 4),  # a Friday
        deadline=date(2027, 5, 1),
        is_business_day=weekdays,
    )
    assert [(p.service, str(p.cost), p.unit, p.on.isoformat()) for p in proposals] == [
        ("workshop", "13", "credits", "2027-06-08"),
        ("workshop", "13", "credits", "2027-06-09"),
        ("chalk-talk", "4", "credits", "2027-06-10"),
        ("developer-assistance", "8", "hours", "2027-06-11"),
        ("developer-assistance", "2", "hours", "2027-06-14"),
    ]
    assert all(p.best_effort for p in proposals)  # DEL-1: after its deadline
    assert [(lot.unit, lot.amount) for lot in left] == []


def test_ord5_what_no_engineer_can_deliver_in_time_still_expires():
    proposals, left = plan(
        leftovers=[Leftover("DE", "credits", Decimal(100), date(2027, 6, 30))],
        prices=[Price("DE", "workshop", Decimal(10))],
        engineers=[Engineer("bob", "FR", frozenset({"workshop"}))],  # at another site
        today=date(2027, 6, 1),
        deadline=date(2027, 8, 1),
        is_business_day=weekdays,
    )
    assert proposals == []
    assert [(lot.site, lot.amount) for lot in left] == [("DE", Decimal(100))]


def test_flx2_the_planner_spends_the_allocation_of_a_service_before_its_contract_year_ends():
    """FLX-2: 10,000 USD of the allocation assigned to workshops lapse on 2027-06-30; at the order's
    3,000 a participant, three are proposed and 1,000 would still lapse. An assignment the order does
    not price (a custom engagement) proposes nothing: all of it is reported as lapsing."""
    erin = Engineer("erin", "FR", frozenset({"workshop", "custom-proactive"}))
    proposals, left = plan(
        leftovers=[
            Leftover("FR", "USD", Decimal(10000), date(2027, 6, 30), "workshop", Decimal(3000)),
            Leftover("FR", "USD", Decimal(50000), date(2027, 6, 30), "custom-proactive", None),
        ],
        prices=[],
        engineers=[erin],
        today=date(2027, 4, 1),
        deadline=date(2027, 5, 1),
        is_business_day=weekdays,
    )
    assert [(p.service, p.cost, p.unit, p.on.isoformat()) for p in proposals] == [
        ("workshop", Decimal("3000.00"), "USD", "2027-04-02"),
        ("workshop", Decimal("3000.00"), "USD", "2027-04-05"),
        ("workshop", Decimal("3000.00"), "USD", "2027-04-06"),
    ]
    assert not any(p.best_effort for p in proposals)
    assert sorted((lot.service, lot.amount) for lot in left) == [
        ("custom-proactive", Decimal(50000)),
        ("workshop", Decimal(1000)),
    ]
