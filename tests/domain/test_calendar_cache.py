"""The calendar look-up (issue 16 §3): asked again with the same arguments, the same instance comes
back from a dictionary, without building anything; equal settings spelled otherwise share it too."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from unisupport.domain import calendar
from unisupport.domain.calendar import Closure, calendar_for


def test_the_same_arguments_return_the_same_calendar_without_building_one(monkeypatch):
    first = calendar_for("DE", closures=[Closure(date(2027, 12, 24))], weekday_hours={4: (time(9), time(16))})
    built = []
    original = calendar.BusinessCalendar.__init__

    def counting(self, *args, **kwargs):
        built.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(calendar.BusinessCalendar, "__init__", counting)
    again = calendar_for(
        "DE", closures=(Closure(date(2027, 12, 24)),), weekday_hours={4: (time(9), time(16))}
    )
    assert again is first
    assert built == []
    assert (
        calendar_for("de", closures=[Closure(date(2027, 12, 24))], weekday_hours={4: (time(9), time(16))})
        is first
    )
    assert len(built) == 1  # another spelling is built once, to find its normalised key


def test_a_generator_of_closures_is_read_once_and_still_counts():
    closures = (Closure(day) for day in (date(2027, 8, 2), date(2027, 8, 3)))
    shut = calendar_for("FR", closures=closures)
    monday_10 = datetime(2027, 8, 2, 8, tzinfo=UTC)  # 10:00 in Paris
    assert not shut.is_business_time(monday_10)
    assert not shut.is_business_time(monday_10 + timedelta(days=1))
    assert calendar_for("FR").is_business_time(monday_10)
