"""When an engineer can deliver: away days and their own site's business days (DEL-4)."""

from __future__ import annotations

from datetime import date

import pytest

from unisupport.domain.engineers import Absence, check_available
from unisupport.domain.errors import InvalidInput, RuleViolation


def test_del4_an_engineer_away_that_day_is_refused_naming_the_days():
    leave = Absence(date(2027, 3, 1), date(2027, 3, 5))
    check_available(name="erin", day=date(2027, 2, 26), absences=[leave], site="FR", site_works=True)
    check_available(name="erin", day=date(2027, 3, 8), absences=[leave], site="FR", site_works=True)
    for day in (date(2027, 3, 1), date(2027, 3, 5)):  # both ends are days away
        with pytest.raises(RuleViolation) as away:
            check_available(name="erin", day=day, absences=[leave], site="FR", site_works=True)
        assert (away.value.rule, away.value.field) == ("DEL-4", "engineer")
        assert "2027-03-01" in str(away.value)
        assert "2027-03-05" in str(away.value)


def test_del4_an_engineer_whose_own_site_does_not_work_that_day_is_refused():
    with pytest.raises(RuleViolation) as closed:
        check_available(name="dieter", day=date(2027, 3, 26), absences=[], site="DE", site_works=False)
    assert closed.value.rule == "DEL-4"
    assert "DE" in str(closed.value)


def test_an_absence_ends_on_or_after_it_begins_and_lists_its_days_within_a_window():
    with pytest.raises(InvalidInput) as backwards:
        Absence(date(2027, 3, 5), date(2027, 3, 1))
    assert backwards.value.field == "to"
    leave = Absence(date(2027, 3, 1), date(2027, 3, 5))
    assert leave.days(since=date(2027, 3, 4), until=date(2027, 3, 31)) == {date(2027, 3, 4), date(2027, 3, 5)}
    assert leave.days(since=date(2027, 3, 6), until=date(2027, 3, 31)) == set()
