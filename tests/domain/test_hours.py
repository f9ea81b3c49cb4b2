"""HRS-4: EDE and REDE hours are delivered in the site's business hours only (domain.hours)."""

from __future__ import annotations

from datetime import date

import pytest

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.errors import RuleViolation
from unisupport.domain.hours import check_delivery_day

PARIS = "Europe/Paris"


def _never_read() -> BusinessCalendar:
    raise AssertionError("the calendar is read only for business-hours services")


def test_hrs4_ede_hours_on_a_working_day_are_accepted():
    calendar = BusinessCalendar("FR", timezone=PARIS)
    check_delivery_day(
        service="enhanced-designated-engineering",
        site="FR",
        day=date(2026, 3, 2),  # a Monday
        timezone=PARIS,
        site_calendar=lambda: calendar,
    )


@pytest.mark.parametrize(
    ("day", "why"),
    [(date(2026, 3, 7), "a Saturday"), (date(2026, 7, 14), "Bastille Day"), (date(2026, 3, 3), "a closure")],
)
def test_hrs4_rede_hours_on_a_day_without_business_time_are_refused(day, why):
    calendar = BusinessCalendar("FR", timezone=PARIS, closures=[date(2026, 3, 3)])
    with pytest.raises(RuleViolation) as refused:
        check_delivery_day(
            service="reactive-enhanced-designated-engineering",
            site="FR",
            day=day,
            timezone=PARIS,
            site_calendar=lambda: calendar,
        )
    assert (refused.value.rule, refused.value.field) == ("HRS-4", "on"), why
    assert f"{day} is not a working day there" in str(refused.value)


def test_hrs4_other_hour_blocks_are_not_bound_to_business_days_and_read_no_calendar():
    check_delivery_day(
        service="designated-engineering",
        site="FR",
        day=date(2026, 3, 7),
        timezone=PARIS,
        site_calendar=_never_read,
    )
