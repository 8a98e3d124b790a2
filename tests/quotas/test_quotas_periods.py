"""Period arithmetic: ISO weeks, months, quarters, years in Asia/Shanghai dates (seed 000 (一)3)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from zhengtong.quotas import periods as P

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_week_runs_monday_to_sunday_across_a_month_boundary():
    week = P.period_containing(P.WEEK, D(2026, 4, 1))
    assert (week.start, week.last_day, week.end) == (D(2026, 3, 30), D(2026, 4, 5), D(2026, 4, 6))
    assert week.key == "2026-W14"
    assert P.period_containing(P.WEEK, D(2026, 3, 30)) == week
    assert P.period_containing(P.WEEK, D(2026, 4, 5)) == week
    assert P.period_containing(P.WEEK, D(2026, 4, 6)).key == "2026-W15"


def test_iso_week_numbers_at_the_turn_of_the_year():
    # 2026-01-01 is a Thursday: the week of 29 December 2025 is week 1 of 2026.
    assert P.period_containing(P.WEEK, D(2025, 12, 29)).key == "2026-W01"
    assert P.period_containing(P.WEEK, D(2027, 1, 3)).key == "2026-W53"


def test_months_quarters_and_years():
    assert P.period_containing(P.MONTH, D(2026, 2, 14)) == P.Period(D(2026, 2, 1), D(2026, 3, 1), P.MONTH)
    assert P.period_containing(P.MONTH, D(2026, 12, 31)).end == D(2027, 1, 1)
    assert P.period_containing(P.QUARTER, D(2026, 5, 20)) == P.Period(D(2026, 4, 1), D(2026, 7, 1), P.QUARTER)
    assert P.period_containing(P.QUARTER, D(2026, 12, 1)).key == "2026-Q4"
    assert P.period_containing(P.YEAR, D(2026, 7, 1)) == P.Period(D(2026, 1, 1), D(2027, 1, 1), P.YEAR)


def test_a_month_counts_the_weeks_that_end_in_it():
    april = P.month_period(2026, 4)
    weeks = P.periods_ending_in(P.WEEK, april)
    assert [week.start for week in weeks] == [D(2026, 3, 30), D(2026, 4, 6), D(2026, 4, 13), D(2026, 4, 20)]
    # the week of 27 April ends on Sunday 3 May: it belongs to May
    may = P.periods_ending_in(P.WEEK, P.month_period(2026, 5))
    assert may[0].start == D(2026, 4, 27)
    assert len(P.periods_ending_in(P.WEEK, P.month_period(2026, 3))) == 5  # Sundays 1, 8, 15, 22, 29 March


def test_quarters_and_years_are_assessed_only_in_their_last_month():
    assert P.periods_ending_in(P.QUARTER, P.month_period(2026, 5)) == []
    assert P.periods_ending_in(P.QUARTER, P.month_period(2026, 6)) == [
        P.Period(D(2026, 4, 1), D(2026, 7, 1), P.QUARTER)]
    assert P.periods_ending_in(P.YEAR, P.month_period(2026, 11)) == []
    assert P.periods_ending_in(P.YEAR, P.month_period(2026, 12))[0].key == "2026"
    assert P.periods_ending_in(P.MONTH, P.month_period(2026, 2)) == [P.month_period(2026, 2)]


def test_local_date_is_shanghai_time():
    late_utc = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC)  # 00:30 on 1 April in 鹤山区
    assert P.local_date(late_utc) == D(2026, 4, 1)
    assert P.local_date(datetime.datetime(2026, 3, 31, 15, 59, tzinfo=datetime.UTC)) == D(2026, 3, 31)


def test_period_bounds_are_local_midnights():
    week = P.period_containing(P.WEEK, D(2026, 4, 1))
    assert week.start_at() == datetime.datetime(2026, 3, 30, tzinfo=SHANGHAI)
    assert week.end_at() == datetime.datetime(2026, 4, 6, tzinfo=SHANGHAI)
    assert not week.is_over(datetime.datetime(2026, 4, 5, 23, 59, tzinfo=SHANGHAI))
    assert week.is_over(datetime.datetime(2026, 4, 6, tzinfo=SHANGHAI))
    assert not week.has_started(datetime.datetime(2026, 3, 29, 23, 59, tzinfo=SHANGHAI))


def test_parse_month_refuses_what_is_not_a_month():
    assert P.parse_month("2026-04") == P.month_period(2026, 4)
    for bad in ("2026-13", "abc", "2026", "", "1900-01", None):
        assert P.parse_month(bad) is None
