"""Booking an event (EVT-1..EVT-6): the verdict names every rule it applies, at the limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from unisupport.domain.catalog import default_catalog
from unisupport.domain.errors import InvalidInput
from unisupport.domain.event_booking import judge_booking, parse_days
from unisupport.domain.sla import response_matrix

TODAY = date(2027, 9, 1)
CATALOG = default_catalog()
VM = CATALOG.product("Azure Virtual Machines")
EXCLUDED = response_matrix().exclusions["EVT-5"]


def judge(service: str, count: int, *, notice: int = 60, products=(VM,), gap: bool = False):
    first = TODAY + timedelta(days=notice)
    days = [first + timedelta(days=n * (2 if gap else 1)) for n in range(count)]
    return judge_booking(service=service, days=days, products=list(products), excluded=EXCLUDED, today=TODAY)


@pytest.mark.parametrize(("count", "accepted"), [(2, False), (3, True), (20, True), (21, False)])
def test_evt1_azure_events_covers_3_to_20_consecutive_calendar_days(count, accepted):
    verdict = judge("mcs-azure-events", count)
    assert verdict.accepted is accepted
    assert "EVT-1" in verdict.rules
    if not accepted:
        assert [e.rule for e in verdict.errors] == ["EVT-1"]


def test_evt1_azure_events_days_are_consecutive_weekends_included():
    assert not judge("mcs-azure-events", 5, gap=True).accepted
    weekend = judge_booking(
        service="mcs-azure-events",
        days=parse_days("2027-11-19..2027-11-21"),  # Friday to Sunday
        products=[VM],
        excluded=EXCLUDED,
        today=TODAY,
    )
    assert weekend.accepted


@pytest.mark.parametrize(("count", "accepted"), [(60, True), (61, False)])
def test_evt2_azure_events_plus_covers_3_to_60_days_consecutive_or_not(count, accepted):
    verdict = judge("mcs-azure-events-plus", count, gap=True)
    assert verdict.accepted is accepted
    assert "EVT-2" in verdict.rules


@pytest.mark.parametrize(("notice", "pending"), [(41, True), (42, False)])
def test_evt4_less_than_six_weeks_notice_is_accepted_pending_the_vendors_approval(notice, pending):
    verdict = judge("mcs-azure-events", 3, notice=notice)
    assert verdict.accepted
    assert verdict.needs_vendor_approval is pending
    assert verdict.notice_days == notice


def test_evt4_an_event_that_has_begun_is_refused():
    verdict = judge("mcs-azure-events", 3, notice=0)
    assert [e.rule for e in verdict.errors] == ["EVT-4"]


@pytest.mark.parametrize(
    ("product", "words"),
    [
        ("Azure Government", "public cloud"),
        ("Microsoft 365", "excludes"),
        ("Azure Maps", "excludes"),
        ("Exchange Online", "excludes"),
    ],
)
def test_evt5_azure_public_cloud_only_without_the_excluded_technologies(product, words):
    verdict = judge("mcs-azure-events", 3, products=(VM, CATALOG.product(product)))
    assert not verdict.accepted
    assert [e.rule for e in verdict.errors] == ["EVT-5"]
    assert words in str(verdict.errors[0].message)


def test_every_rule_refusing_is_named_at_once_and_the_json_shape():
    verdict = judge("mcs-azure-events", 21, notice=0, products=(CATALOG.product("Microsoft 365"),))
    assert sorted(e.rule for e in verdict.errors) == ["EVT-1", "EVT-4", "EVT-5"]
    shown = verdict.as_dict()
    assert shown["accepted"] is False
    assert {"rule", "message"} == set(shown["errors"][0])
    assert shown["rules"] == ["EVT-1", "EVT-3", "EVT-4", "EVT-5", "EVT-6"]


def test_days_are_dates_and_inclusive_ranges():
    assert parse_days("2027-11-20..2027-11-22,2027-12-03, 2027-11-21") == [
        date(2027, 11, 20),
        date(2027, 11, 21),
        date(2027, 11, 22),
        date(2027, 12, 3),
    ]
    for bad in ("", "2027-11-31", "2027-12-03..2027-11-20", "2027-01-01..2029-01-01", "tomorrow"):
        with pytest.raises(InvalidInput) as refused:
            parse_days(bad)
        assert refused.value.field == "days"


def test_evt1_the_events_the_order_bought_are_the_most_it_books():
    first = TODAY + timedelta(days=60)
    days = [first + timedelta(days=n) for n in range(3)]
    one_left = judge_booking(
        service="mcs-azure-events",
        days=days,
        products=[VM],
        excluded=EXCLUDED,
        today=TODAY,
        bought=2,
        booked=1,
    )
    assert one_left.accepted
    none_left = judge_booking(
        service="mcs-azure-events-plus",
        days=days,
        products=[VM],
        excluded=EXCLUDED,
        today=TODAY,
        bought=2,
        booked=2,
    )
    assert [e.rule for e in none_left.errors] == ["EVT-2"]
