"""The scenario of issue 13 §1: events of both kinds booked at their limits through the booking
service and the ledger — 2, 3, 20, 21 days (EVT-1), 60, 61 days (EVT-2), 41 and 42 days' notice
(EVT-4), an excluded technology and a government cloud (EVT-5)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ledger_support import buy_events
from tests.scopes import OPERATOR
from unisupport.ledger.models import LedgerAccount
from unisupport.orders.booking_services import book_event
from unisupport.orders.models import EventCoverage

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)  # the order's first day; it ends on 2027-06-30
START = dt.date(2026, 10, 1)  # 92 days ahead


def book(service: str, days: list[dt.date], product: str = "Azure Virtual Machines"):
    plus = EventCoverage.objects.filter(service_id=service)
    before = plus.count()
    verdict, row = book_event(
        scope=OPERATOR,
        order="ESO-2026-001",
        name=f"{service} {len(days)}",
        days=days,
        products=[product],
        at=TODAY,
    )
    assert plus.count() == before + (1 if row else 0)  # written only when accepted
    return verdict


def run(count: int, start: dt.date = START, step: int = 1) -> list[dt.date]:
    return [start + dt.timedelta(days=n * step) for n in range(count)]


def rules(verdict) -> list[str]:
    return sorted(e.rule for e in verdict.errors)


def test_evt1_evt2_evt4_evt5_both_offerings_at_their_limits(demo_orders):
    buy_events(service="mcs-azure-events", quantity=10)
    assert rules(book("mcs-azure-events", run(2))) == ["EVT-1"]
    assert book("mcs-azure-events", run(3)).accepted
    assert book("mcs-azure-events", run(20, dt.date(2026, 11, 1))).accepted
    assert rules(book("mcs-azure-events", run(21, dt.date(2026, 12, 1)))) == ["EVT-1"]
    assert rules(book("mcs-azure-events", run(3, step=2))) == ["EVT-1"]  # not consecutive
    # Six calendar weeks: 42 days' notice is enough, 41 waits for the vendor.
    at_42 = book("mcs-azure-events", run(3, TODAY.date() + dt.timedelta(days=42)))
    assert (at_42.accepted, at_42.needs_vendor_approval) == (True, False)
    at_41 = book("mcs-azure-events", run(3, TODAY.date() + dt.timedelta(days=41)))
    assert (at_41.accepted, at_41.needs_vendor_approval) == (True, True)
    assert rules(book("mcs-azure-events", run(3), product="Microsoft 365")) == ["EVT-5"]
    assert rules(book("mcs-azure-events", run(3), product="Azure Government")) == ["EVT-5"]
    events = LedgerAccount.objects.get(kind="events", service="mcs-azure-events")
    assert events.balance == 10 - 4  # four accepted bookings took one event each


def test_evt2_plus_covers_up_to_60_days_with_gaps(demo_orders):
    buy_events(service="mcs-azure-events-plus", quantity=3)
    assert rules(book("mcs-azure-events-plus", run(2))) == ["EVT-2"]
    assert book("mcs-azure-events-plus", run(60, step=2)).accepted  # non-consecutive: Plus may skip days
    assert rules(book("mcs-azure-events-plus", run(61, dt.date(2027, 1, 1)))) == ["EVT-2"]
    assert LedgerAccount.objects.get(kind="events", service="mcs-azure-events-plus").balance == 2
