"""RSP-3: a change of a contact named on the order is reported within 7 business days of the host
site, counted from the day after the change (weekends, public holidays and closures excluded)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from unisupport.domain.calendar import BusinessCalendar
from unisupport.domain.contacts import ContactRole, judge_report, parse_role, report_deadline
from unisupport.domain.errors import InvalidInput

FRANCE = BusinessCalendar("FR")


def test_rsp3_seven_business_days_across_christmas_and_new_year_in_france():
    # Tuesday 22 December 2026: 25 December and 1 January are public holidays in France.
    assert report_deadline(date(2026, 12, 22), FRANCE) == date(2027, 1, 4)


def test_rsp3_a_report_on_the_deadline_is_on_time_the_day_after_is_late():
    on_time = judge_report(
        changed_on=date(2026, 12, 22), reported_at=datetime(2027, 1, 4, 22, 59, tzinfo=UTC), calendar=FRANCE
    )
    assert (on_time.deadline, on_time.late, on_time.rules) == (date(2027, 1, 4), False, ("RSP-3",))
    # 23:00 UTC on the 4th is already the 5th in Paris.
    late = judge_report(
        changed_on=date(2026, 12, 22), reported_at=datetime(2027, 1, 4, 23, tzinfo=UTC), calendar=FRANCE
    )
    assert late.late is True


def test_rsp3_a_closure_of_the_site_does_not_count():
    closed = BusinessCalendar("FR", closures=[date(2027, 3, 3)])
    assert report_deadline(date(2027, 3, 1), FRANCE) == date(2027, 3, 10)
    assert report_deadline(date(2027, 3, 1), closed) == date(2027, 3, 11)


def test_rsp3_a_change_dated_after_its_report_is_refused():
    with pytest.raises(InvalidInput) as refused:
        judge_report(
            changed_on=date(2027, 3, 2), reported_at=datetime(2027, 3, 1, 9, tzinfo=UTC), calendar=FRANCE
        )
    assert refused.value.field == "changed_on"


def test_rsp1_rsp2_the_roles_a_contact_is_named_for():
    assert parse_role(" Admin ") is ContactRole.ADMIN
    with pytest.raises(InvalidInput) as unknown:
        parse_role("boss")
    assert unknown.value.field == "role"
