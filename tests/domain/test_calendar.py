"""Business calendars, hand-checked (SEV-7: business-hours clocks run only in the business hours
of the incident's support location; Annexe A note 5: 09:00–17:30 local, no weekends, no holidays).

Every expected instant below was worked out by hand from a wall calendar; the comments show the
arithmetic. Results are compared as instants, so writing them in local time is exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from unisupport.domain.calendar import (
    TWENTY_FOUR_SEVEN,
    BusinessCalendar,
    Clock,
    Closure,
    TwentyFourSeven,
    calendar_for,
)
from unisupport.domain.errors import InvalidInput, UnknownCountry

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
KOLKATA = ZoneInfo("Asia/Kolkata")
BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def utc_naive(dt: datetime) -> datetime:
    # numpy's datetime64 has no zone: the batch form speaks naive UTC.
    return dt.astimezone(UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def fr() -> BusinessCalendar:
    return calendar_for("FR")


# -- SEV-7: the due time is the earliest instant the target is reached ------------------------


def test_sev7_paris_friday_1700_plus_60_business_minutes_is_monday_0930(fr):
    # Fri 27 Nov 2026: 17:00–17:30 gives 30 min; weekend; Mon 30 Nov 09:00 + 30 min.
    due = fr.add_business_time(datetime(2026, 11, 27, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)


def test_sev7_paris_friday_before_easter_monday_2027_skips_the_holiday_and_the_dst_change(fr):
    # Fri 26 Mar 2027 17:00 (CET) + 60: 30 min on Friday; DST starts Sun 28 Mar; Easter Monday
    # 29 Mar is a public holiday; Tue 30 Mar 09:00 CEST + 30 min.
    due = fr.add_business_time(datetime(2027, 3, 26, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2027, 3, 30, 9, 30, tzinfo=PARIS)
    assert due == datetime(2027, 3, 30, 7, 30, tzinfo=UTC)


def test_sev7_paris_friday_before_whit_monday_2027(fr):
    # Whit Monday (lundi de Pentecôte) 17 May 2027 is a holiday in the `holidays` package.
    due = fr.add_business_time(datetime(2027, 5, 14, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2027, 5, 18, 9, 30, tzinfo=PARIS)


def test_sev7_paris_24_december_1600_plus_240_business_minutes_across_christmas(fr):
    # Thu 24 Dec 2026 16:00–17:30 = 90 min; Fri 25 Dec Christmas; weekend 26–27;
    # Mon 28 Dec 09:00 + 150 min = 11:30 (10:30Z, the CLI example).
    opened = datetime(2026, 12, 24, 16, 0, tzinfo=PARIS)
    due = fr.add_business_time(opened, minutes(240))
    assert due == datetime(2026, 12, 28, 11, 30, tzinfo=PARIS)
    assert due.isoformat() == "2026-12-28T10:30:00+00:00"
    assert fr.business_time_between(opened, due) == minutes(240)


def test_sev7_a_target_reached_exactly_at_1730_is_due_at_1730_not_next_opening(fr):
    due = fr.add_business_time(datetime(2026, 11, 30, 15, 30, tzinfo=PARIS), minutes(120))
    assert due == datetime(2026, 11, 30, 17, 30, tzinfo=PARIS)
    # … even when the whole day is the target.
    due = fr.add_business_time(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS), minutes(510))
    assert due == datetime(2026, 11, 30, 17, 30, tzinfo=PARIS)


def test_sev7_a_target_reached_at_1730_from_the_previous_evening_is_due_at_1730(fr):
    # Opened Mon 30 Nov at 20:00: the clock starts Tue 09:00; 510 min later is Tue 17:30.
    due = fr.add_business_time(datetime(2026, 11, 30, 20, 0, tzinfo=PARIS), minutes(510))
    assert due == datetime(2026, 12, 1, 17, 30, tzinfo=PARIS)


def test_sev7_opened_outside_hours_starts_the_clock_at_the_next_opening(fr):
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)
    assert fr.add_business_time(saturday, minutes(30)) == datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)
    early = datetime(2026, 11, 30, 6, 0, tzinfo=PARIS)
    assert fr.add_business_time(early, minutes(30)) == datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)
    at_closing = datetime(2026, 11, 30, 17, 30, tzinfo=PARIS)
    assert fr.add_business_time(at_closing, minutes(60)) == datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


def test_sev7_paris_year_end_new_years_day_2027(fr):
    # Thu 31 Dec 2026 17:00 + 60: 30 min; Fri 1 Jan 2027 holiday; weekend; Mon 4 Jan 09:30.
    due = fr.add_business_time(datetime(2026, 12, 31, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2027, 1, 4, 9, 30, tzinfo=PARIS)


def test_sev7_new_york_across_the_march_2026_dst_change():
    us = calendar_for("US")
    # Fri 6 Mar 2026 16:00 EST + 120: 90 min on Friday; DST starts Sun 8 Mar;
    # Mon 9 Mar 09:00 EDT + 30 = 09:30 EDT = 13:30Z (it would be 14:30Z without DST).
    opened = datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK)
    due = us.add_business_time(opened, minutes(120))
    assert due == datetime(2026, 3, 9, 9, 30, tzinfo=NEW_YORK)
    assert due == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)
    # A full Friday and a full Monday are 8.5 h each, whatever the offset did in between.
    friday, monday_end = (
        datetime(2026, 3, 6, 9, 0, tzinfo=NEW_YORK),
        datetime(2026, 3, 9, 17, 30, tzinfo=NEW_YORK),
    )
    assert us.business_time_between(friday, monday_end) == timedelta(hours=17)


def test_sev7_new_york_across_the_november_2026_dst_change():
    us = calendar_for("US")
    # Fri 30 Oct 2026 17:00 EDT + 60: 30 min; DST ends Sun 1 Nov; Mon 2 Nov 09:30 EST = 14:30Z.
    due = us.add_business_time(datetime(2026, 10, 30, 17, 0, tzinfo=NEW_YORK), minutes(60))
    assert due == datetime(2026, 11, 2, 9, 30, tzinfo=NEW_YORK)
    assert due == datetime(2026, 11, 2, 14, 30, tzinfo=UTC)


def test_sev7_new_york_observed_independence_day_2026():
    # 4 July 2026 is a Saturday: the holiday is observed on Friday 3 July.
    us = calendar_for("US")
    due = us.add_business_time(datetime(2026, 7, 2, 17, 0, tzinfo=NEW_YORK), minutes(60))
    assert due == datetime(2026, 7, 6, 9, 30, tzinfo=NEW_YORK)


def test_sev7_tokyo_across_golden_week_2027():
    jp = calendar_for("JP")
    # Fri 30 Apr 2027 15:30 + 240: 120 min on Friday; weekend 1–2 May; Constitution Day,
    # Greenery Day and Children's Day Mon 3 – Wed 5 May; Thu 6 May 09:00 + 120 = 11:00 JST.
    due = jp.add_business_time(datetime(2027, 4, 30, 15, 30, tzinfo=TOKYO), minutes(240))
    assert due == datetime(2027, 5, 6, 11, 0, tzinfo=TOKYO)
    # Showa Day, Thu 29 Apr 2027, is closed too: Wed 28 Apr 17:00 + 60 → Fri 30 Apr 09:30.
    due = jp.add_business_time(datetime(2027, 4, 28, 17, 0, tzinfo=TOKYO), minutes(60))
    assert due == datetime(2027, 4, 30, 9, 30, tzinfo=TOKYO)


def test_sev7_india_republic_day_2027():
    india = calendar_for("IN")
    # Republic Day, Tue 26 Jan 2027: Mon 25 Jan 17:00 + 60 → Wed 27 Jan 09:30 IST.
    due = india.add_business_time(datetime(2027, 1, 25, 17, 0, tzinfo=KOLKATA), minutes(60))
    assert due == datetime(2027, 1, 27, 9, 30, tzinfo=KOLKATA)


def test_sev7_germany_subdivision_bavaria_closes_on_corpus_christi_2026_berlin_does_not():
    opened = datetime(2026, 6, 3, 17, 0, tzinfo=BERLIN)  # Wed; Corpus Christi is Thu 4 June
    bavaria = calendar_for("DE", subdivision="BY")
    berlin = calendar_for("de", subdivision="be")
    assert bavaria.subdivision == "BY"
    assert bavaria.add_business_time(opened, minutes(60)) == datetime(2026, 6, 5, 9, 30, tzinfo=BERLIN)
    assert berlin.add_business_time(opened, minutes(60)) == datetime(2026, 6, 4, 9, 30, tzinfo=BERLIN)


def test_sev7_a_site_may_override_the_country_zone():
    us_west = calendar_for("US", timezone="America/Los_Angeles")
    assert us_west.timezone == "America/Los_Angeles"
    due = us_west.add_business_time(datetime(2026, 11, 27, 16, 0, tzinfo=LOS_ANGELES), minutes(120))
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=LOS_ANGELES)


def test_sev7_exact_to_the_microsecond(fr):
    opened = datetime(2026, 11, 30, 17, 29, 59, 999_999, tzinfo=PARIS)
    assert fr.add_business_time(opened, timedelta(microseconds=1)) == datetime(
        2026, 11, 30, 17, 30, tzinfo=PARIS
    )
    assert fr.add_business_time(opened, timedelta(microseconds=2)) == datetime(
        2026, 12, 1, 9, 0, 0, 1, tzinfo=PARIS
    )
    assert fr.business_time_between(opened, datetime(2026, 12, 1, 9, 0, 0, 7, tzinfo=PARIS)) == timedelta(
        microseconds=8
    )


# -- business_time_between ----------------------------------------------------------------


def test_sev7_between_counts_only_business_hours(fr):
    a = datetime(2026, 11, 27, 17, 0, tzinfo=PARIS)  # Friday
    b = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # Monday
    assert fr.business_time_between(a, b) == minutes(90)


def test_sev7_between_is_negative_when_b_is_before_a(fr):
    a = datetime(2026, 11, 27, 17, 0, tzinfo=PARIS)
    b = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    assert fr.business_time_between(b, a) == -minutes(90)


def test_sev7_between_zero_outside_hours_and_at_the_same_instant(fr):
    saturday, sunday = datetime(2026, 11, 28, 10, tzinfo=PARIS), datetime(2026, 11, 29, 22, tzinfo=PARIS)
    assert fr.business_time_between(saturday, sunday) == timedelta(0)
    assert fr.business_time_between(saturday, saturday) == timedelta(0)


def test_sev7_between_a_full_week_is_five_days_of_eight_and_a_half_hours(fr):
    a = datetime(2026, 11, 30, 0, 0, tzinfo=PARIS)
    assert fr.business_time_between(a, a + timedelta(days=7)) == timedelta(hours=42, minutes=30)


def test_sev7_between_a_whole_year_france_2026(fr):
    # 261 weekdays in 2026, minus the 9 public holidays that fall on weekdays
    # (1 Jan, 6 Apr, 1 May, 8 May, 14 May, 25 May, 14 Jul, 11 Nov, 25 Dec) = 252 days.
    a, b = datetime(2026, 1, 1, tzinfo=PARIS), datetime(2027, 1, 1, tzinfo=PARIS)
    assert fr.business_time_between(a, b) == 252 * timedelta(hours=8, minutes=30)


# -- durations of zero and below (documented in the module) ----------------------------------


def test_sev7_zero_duration_returns_the_start_itself_even_outside_hours(fr):
    sunday = datetime(2026, 11, 29, 22, 0, tzinfo=PARIS)
    assert fr.add_business_time(sunday, timedelta(0)) is sunday


def test_sev7_negative_duration_walks_back_to_the_latest_instant(fr):
    monday_0930 = datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)
    assert fr.add_business_time(monday_0930, -minutes(60)) == datetime(2026, 11, 27, 17, 0, tzinfo=PARIS)
    # Ending exactly on a day boundary: the latest such instant is Monday's opening.
    assert fr.add_business_time(monday_0930, -minutes(30)) == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)


# -- DST inside business hours (custom hours spanning the change) ------------------------------


def test_sev7_dst_change_inside_business_hours_counts_real_time():
    night = calendar_for("FR", opening=time(1), closing=time(4), weekdays=range(7))
    # Sun 29 Mar 2026: 01:00 CET (00:00Z) to 04:00 CEST (02:00Z) is two real hours.
    spring = datetime(2026, 3, 29, tzinfo=PARIS)
    assert night.business_time_between(spring, spring + timedelta(days=1)) == timedelta(hours=2)
    # Sun 25 Oct 2026: 01:00 CEST (23:00Z the day before) to 04:00 CET (03:00Z) is four.
    autumn = datetime(2026, 10, 25, tzinfo=PARIS)
    assert night.business_time_between(autumn, autumn + timedelta(days=1)) == timedelta(hours=4)
    # One hour after 01:30 CET on 29 March is 03:30 CEST.
    due = night.add_business_time(datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_sev7_an_opening_time_inside_the_spring_gap_opens_just_after_the_gap():
    # 02:30 does not exist on 29 March 2026 in Paris; it is read with the pre-change offset
    # (fold=0), i.e. as 01:30Z = 03:30 CEST.
    gap = calendar_for("FR", opening=time(2, 30), closing=time(5), weekdays=range(7))
    day = datetime(2026, 3, 29, tzinfo=PARIS)
    assert gap.business_time_between(day, day + timedelta(days=1)) == timedelta(hours=1, minutes=30)
    assert gap.add_business_time(day, minutes(1)) == datetime(2026, 3, 29, 1, 31, tzinfo=UTC)


# -- custom closures and extra working days (back office) ------------------------------------


def test_sev7_a_custom_closure_day_is_skipped():
    cal = calendar_for("FR", closures=[Closure(date(2026, 11, 30), name="Office move")])
    due = cal.add_business_time(datetime(2026, 11, 27, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
    assert (date(2026, 11, 30), "Office move") in cal.holidays_in(2026)


def test_sev7_a_partial_closure_removes_only_its_hours():
    closure = Closure(date(2026, 11, 30), start=time(12), end=time(14), name="Fire drill")
    cal = calendar_for("FR", closures=[closure])
    # Mon 11:00 + 120: 60 min until 12:00, closed 12:00–14:00, then 60 min → 15:00.
    due = cal.add_business_time(datetime(2026, 11, 30, 11, 0, tzinfo=PARIS), minutes(120))
    assert due == datetime(2026, 11, 30, 15, 0, tzinfo=PARIS)
    assert (date(2026, 11, 30), "Fire drill (12:00–14:00)") in cal.holidays_in(2026)
    # Closed from 15:00 to the end of the day.
    late = calendar_for("FR", closures=[Closure(date(2026, 11, 30), start=time(15))])
    due = late.add_business_time(datetime(2026, 11, 30, 14, 30, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)


# -- hours that vary by weekday, closures of part of a day (Annexe A note 5) ------------------

FRIDAY_SHORT = {4: (time(9), time(16))}


def test_annexe_a_note_5_a_weekday_can_close_earlier():
    cal = calendar_for("FR", weekday_hours=FRIDAY_SHORT)
    assert cal.hours_on(4) == (time(9), time(16))
    assert cal.hours_on(3) == (time(9), time(17, 30))
    # SEV-7: Fri 15:30 + 120 min: 30 until 16:00 on Friday, 90 on Monday from 09:00 → 10:30.
    due = cal.add_business_time(datetime(2026, 11, 27, 15, 30, tzinfo=PARIS), minutes(120))
    assert due == datetime(2026, 11, 30, 10, 30, tzinfo=PARIS)
    # Thursday keeps 09:00–17:30: Thu 15:30 + 120 → 17:30 that day.
    due = cal.add_business_time(datetime(2026, 11, 26, 15, 30, tzinfo=PARIS), minutes(120))
    assert due == datetime(2026, 11, 26, 17, 30, tzinfo=PARIS)
    week = cal.business_time_between(
        datetime(2026, 11, 23, tzinfo=PARIS), datetime(2026, 11, 30, tzinfo=PARIS)
    )
    assert week == timedelta(hours=4 * 8.5 + 7)
    assert repr(cal) == "BusinessCalendar(FR, Europe/Paris, 09:00-17:30, Fri 09:00-16:00)"


def test_annexe_a_note_5_hours_equal_to_the_default_share_the_calendar():
    same = calendar_for("fr", weekday_hours={0: (time(9), time(17, 30))})
    assert same is calendar_for("FR")
    assert same.weekday_hours == {}
    assert calendar_for("FR", weekday_hours=FRIDAY_SHORT) is calendar_for(
        "FR", weekday_hours=dict(FRIDAY_SHORT)
    )
    assert calendar_for("FR", weekday_hours=FRIDAY_SHORT) is not calendar_for("FR")


def test_annexe_a_note_5_an_extra_working_day_keeps_its_weekdays_hours():
    cal = calendar_for("FR", weekday_hours={5: (time(10), time(13))}, extra_working_days=[date(2026, 11, 28)])
    # Fri 17:00 + 60: 30 min on Friday, then Saturday from 10:00 (its own hours) → 10:30.
    due = cal.add_business_time(datetime(2026, 11, 27, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 11, 28, 10, 30, tzinfo=PARIS)
    # Saturday closes at 13:00: Sat 12:30 + 60 → Mon 09:30.
    due = cal.add_business_time(datetime(2026, 11, 28, 12, 30, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)


def test_sev7_christmas_eve_closed_in_the_morning_opens_at_noon():
    eve = Closure(date(2026, 12, 24), start=time(9), end=time(12), name="Christmas Eve")
    cal = calendar_for("FR", closures=[eve])
    # Wed 23 Dec 17:00 + 60: 30 min that day, then 24 Dec from 12:00 → 12:30.
    due = cal.add_business_time(datetime(2026, 12, 23, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 12, 24, 12, 30, tzinfo=PARIS)
    day = cal.business_time_between(
        datetime(2026, 12, 24, tzinfo=PARIS), datetime(2026, 12, 25, tzinfo=PARIS)
    )
    assert day == timedelta(hours=5, minutes=30)
    assert (date(2026, 12, 24), "Christmas Eve (09:00–12:00)") in cal.holidays_in(2026)


def test_sev7_the_next_opening_and_until_when():
    eve = Closure(date(2026, 12, 24), start=time(9), end=time(12), name="Christmas Eve")
    cal = calendar_for("FR", weekday_hours=FRIDAY_SHORT, closures=[eve])
    # Open now: the instant itself, until closing.
    at = datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)
    assert cal.open_period(at) == (at, datetime(2026, 11, 27, 16, 0, tzinfo=PARIS))
    # Friday after 16:00: Monday 09:00 until 17:30.
    at = datetime(2026, 11, 27, 16, 0, tzinfo=PARIS)
    assert cal.open_period(at) == (
        datetime(2026, 11, 30, 9, 0, tzinfo=PARIS),
        datetime(2026, 11, 30, 17, 30, tzinfo=PARIS),
    )
    # Christmas Eve morning: noon; Christmas Eve after closing: Monday 28 December (25th a holiday).
    assert cal.next_opening(datetime(2026, 12, 24, 8, 0, tzinfo=PARIS)) == datetime(
        2026, 12, 24, 12, 0, tzinfo=PARIS
    )
    assert cal.next_opening(datetime(2026, 12, 24, 17, 30, tzinfo=PARIS)) == datetime(
        2026, 12, 28, 9, 0, tzinfo=PARIS
    )
    assert cal.next_opening(at).tzinfo is UTC
    with pytest.raises(InvalidInput):
        cal.next_opening(datetime(2026, 12, 24, 8, 0))  # noqa: DTZ001


def test_sev7_the_next_opening_looks_past_a_long_closure():
    closed = [Closure(date(2026, 1, 1) + timedelta(days=n)) for n in range(800)]
    cal = BusinessCalendar("FR", closures=closed)
    cal.prepare(2025, 2026)
    assert cal.next_opening(datetime(2026, 1, 1, tzinfo=PARIS)) == datetime(2028, 3, 13, 9, 0, tzinfo=PARIS)


def test_sev7_an_extra_working_day_opens_a_saturday_and_cancels_a_holiday():
    cal = calendar_for("FR", extra_working_days=[date(2026, 11, 28), date(2026, 12, 25)])
    due = cal.add_business_time(datetime(2026, 11, 27, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 11, 28, 9, 30, tzinfo=PARIS)
    due = cal.add_business_time(datetime(2026, 12, 24, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 12, 25, 9, 30, tzinfo=PARIS)
    assert date(2026, 12, 25) not in dict(cal.holidays_in(2026))


def test_sev7_a_closure_wins_over_an_extra_working_day_on_the_same_date():
    day = date(2026, 11, 28)
    cal = calendar_for("FR", closures=[day], extra_working_days=[day])
    due = cal.add_business_time(datetime(2026, 11, 27, 17, 0, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)


def test_sev7_custom_opening_hours_and_weekdays():
    # A Sunday–Thursday week, 08:00–16:00 (e.g. a site that works those days).
    cal = calendar_for("FR", opening=time(8), closing=time(16), weekdays={6, 0, 1, 2, 3})
    due = cal.add_business_time(datetime(2026, 11, 26, 15, 0, tzinfo=PARIS), minutes(120))  # Thursday
    assert due == datetime(2026, 11, 29, 9, 0, tzinfo=PARIS)  # Sunday


# -- listing holidays (calendar show) ------------------------------------------------------


def test_sev7_holidays_in_lists_the_public_holidays_in_english(fr):
    listed = dict(fr.holidays_in(2027))
    assert listed[date(2027, 3, 29)] == "Easter Monday"
    assert listed[date(2027, 12, 25)] == "Christmas Day"
    assert date(2027, 7, 14) in listed
    assert all(day.year == 2027 for day in listed)
    assert list(listed) == sorted(listed)


def test_sev7_holidays_in_for_japan_includes_golden_week():
    listed = dict(calendar_for("JP").holidays_in(2027))
    assert {date(2027, 4, 29), date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5)} <= set(listed)


# -- the window, the cache, the protocol -----------------------------------------------------


def test_the_window_grows_lazily_in_both_directions():
    cal = BusinessCalendar("FR")
    assert cal.window is None
    cal.add_business_time(datetime(2026, 6, 1, 10, tzinfo=PARIS), minutes(1))
    first, last = cal.window
    assert first <= 2026 <= last
    # Ten years of business time ahead, then an instant years back: both answered.
    far = cal.add_business_time(datetime(2026, 1, 1, tzinfo=PARIS), timedelta(hours=8.5 * 252 * 10))
    assert far.year >= 2035
    back = cal.business_time_between(datetime(2010, 1, 1, tzinfo=PARIS), datetime(2010, 1, 8, tzinfo=PARIS))
    assert back == timedelta(hours=8.5 * 4)  # Fri 1 Jan 2010 is New Year's Day
    assert cal.window[0] <= 2010
    assert cal.window[1] >= 2035


def test_prepare_precomputes_a_window_and_reports_its_memory():
    cal = BusinessCalendar("JP")
    cal.prepare(2026, 2035)
    assert cal.window == (2026, 2035)
    assert 0 < cal.table_nbytes() < 400_000  # about 2,400 intervals


def test_calendar_for_caches_by_normalised_settings():
    assert calendar_for("fr") is calendar_for("FR", timezone="Europe/Paris")
    assert calendar_for("FR", closures=[date(2026, 1, 2), date(2026, 1, 5)]) is calendar_for(
        "FR", closures=[date(2026, 1, 5), date(2026, 1, 2)]
    )
    assert calendar_for("FR") is not calendar_for("FR", timezone="Europe/Brussels")
    assert calendar_for("FR") is not calendar_for("FR", closing=time(18))


def test_both_clocks_implement_the_clock_protocol(fr):
    assert isinstance(fr, Clock)
    assert isinstance(TWENTY_FOUR_SEVEN, Clock)
    assert isinstance(TwentyFourSeven(), Clock)


def test_sev7_the_24x7_clock_runs_continuously_across_dst():
    # 01:30 CET + 60 min on 29 March 2026 is 03:30 CEST (naive wall arithmetic would say 02:30).
    due = TWENTY_FOUR_SEVEN.add_business_time(datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), minutes(60))
    assert due == datetime(2026, 3, 29, 3, 30, tzinfo=PARIS)
    assert due.tzinfo is UTC
    # The day of the change lasts 23 hours, even between two datetimes sharing a tzinfo.
    a, b = datetime(2026, 3, 28, 12, tzinfo=PARIS), datetime(2026, 3, 29, 12, tzinfo=PARIS)
    assert TWENTY_FOUR_SEVEN.business_time_between(a, b) == timedelta(hours=23)
    assert TWENTY_FOUR_SEVEN.business_time_between(b, a) == -timedelta(hours=23)


def test_sev7_is_business_time(fr):
    assert fr.is_business_time(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS))
    assert not fr.is_business_time(datetime(2026, 11, 30, 17, 30, tzinfo=PARIS))
    assert not fr.is_business_time(datetime(2026, 12, 25, 12, 0, tzinfo=PARIS))


# -- batch form ------------------------------------------------------------------------------


def test_sev7_batch_form_matches_single_queries(fr):
    starts = [
        datetime(2026, 11, 27, 17, 0, tzinfo=PARIS),
        datetime(2026, 12, 24, 16, 0, tzinfo=PARIS),
        datetime(2026, 11, 30, 15, 30, tzinfo=PARIS),
        datetime(2026, 11, 29, 22, 0, tzinfo=PARIS),
        datetime(2026, 11, 30, 9, 30, tzinfo=PARIS),
    ]
    durations = [minutes(60), minutes(240), minutes(120), timedelta(0), -minutes(60)]
    got = fr.add_business_time_many(starts, durations)
    assert got.dtype == np.dtype("datetime64[us]")
    expected = [utc_naive(fr.add_business_time(s, d)) for s, d in zip(starts, durations, strict=True)]
    assert got.tolist() == expected
    # numpy in, one duration for all.
    as_utc = np.array([utc_naive(s) for s in starts], dtype="datetime64[us]")
    got = fr.add_business_time_many(as_utc, minutes(60))
    assert got.tolist() == [utc_naive(fr.add_business_time(s, minutes(60))) for s in starts]


def test_sev7_batch_between_matches_single_queries(fr):
    a = [datetime(2026, 11, 27, 17, tzinfo=PARIS), datetime(2026, 12, 24, 16, tzinfo=PARIS)]
    b = [datetime(2026, 11, 30, 10, tzinfo=PARIS), datetime(2026, 12, 20, 16, tzinfo=PARIS)]
    got = fr.business_time_between_many(a, b)
    assert got.tolist() == [fr.business_time_between(x, y) for x, y in zip(a, b, strict=True)]


def test_batch_form_accepts_empty_input(fr):
    assert fr.add_business_time_many(np.array([], dtype="datetime64[us]"), minutes(5)).size == 0


# -- refusals --------------------------------------------------------------------------------


def test_naive_datetimes_are_refused_naming_the_field(fr):
    with pytest.raises(InvalidInput) as caught:
        fr.add_business_time(datetime(2026, 11, 30, 9, 0), minutes(5))  # noqa: DTZ001
    assert caught.value.field == "start"
    with pytest.raises(InvalidInput) as caught:
        fr.business_time_between(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS), datetime(2026, 11, 30))  # noqa: DTZ001
    assert caught.value.field == "b"
    with pytest.raises(InvalidInput):
        TWENTY_FOUR_SEVEN.add_business_time(datetime(2026, 11, 30), minutes(5))  # noqa: DTZ001
    with pytest.raises(InvalidInput) as caught:
        fr.add_business_time_many(np.array(["NaT"], dtype="datetime64[us]"), minutes(5))
    assert caught.value.field == "starts"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "FR", "timezone": "Europe/Atlantis"}, "timezone"),
        ({"country": "DE", "subdivision": "ZZ"}, "subdivision"),
        ({"country": "FR", "opening": time(18), "closing": time(9)}, "opening_hours"),
        ({"country": "FR", "weekdays": []}, "weekdays"),
        ({"country": "FR", "weekdays": [7]}, "weekdays"),
        ({"country": "FR", "closures": [datetime(2026, 1, 2, tzinfo=PARIS)]}, "closures"),
        (
            {"country": "FR", "closures": [Closure(date(2026, 1, 2), start=time(14), end=time(12))]},
            "closures",
        ),
        ({"country": "FR", "extra_working_days": ["2026-01-03"]}, "extra_working_days"),
        ({"country": "FR", "weekday_hours": {7: (time(9), time(16))}}, "weekday_hours"),
        ({"country": "FR", "weekday_hours": {4: (time(16), time(9))}}, "opening_hours"),
        ({"country": "FR", "weekday_hours": {4: time(16)}}, "weekday_hours"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        calendar_for(**kwargs)
    assert caught.value.field == field
    if field == "country":
        assert isinstance(caught.value, UnknownCountry)


def test_instants_outside_the_supported_years_are_refused(fr):
    # Windows are contiguous: one far-away query must not make a site build centuries of tables.
    for instant in (datetime(1850, 1, 1, tzinfo=UTC), datetime(2300, 1, 1, tzinfo=UTC)):
        with pytest.raises(InvalidInput) as caught:
            fr.add_business_time(instant, minutes(5))
        assert caught.value.field == "instant"
    with pytest.raises(InvalidInput):
        fr.add_business_time(datetime(2026, 1, 1, tzinfo=UTC), timedelta(days=365 * 200))
    with pytest.raises(InvalidInput):
        fr.add_business_time(datetime(2026, 1, 1, tzinfo=UTC), -timedelta(days=365 * 100))


def test_instants_past_the_year_9999_in_utc_are_refused_not_overflowed(fr):
    # 9999-12-31 23:59 at UTC-05:00 is a valid datetime whose UTC instant is in year 10000.
    edge = datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("America/New_York"))
    for clock in (fr, TWENTY_FOUR_SEVEN):
        with pytest.raises(InvalidInput):
            clock.add_business_time(edge, minutes(15))
        with pytest.raises(InvalidInput):
            clock.business_time_between(datetime(2026, 1, 1, tzinfo=UTC), edge)
    with pytest.raises(InvalidInput):
        TWENTY_FOUR_SEVEN.add_business_time(datetime(9999, 12, 31, 23, 50, tzinfo=UTC), minutes(15))
