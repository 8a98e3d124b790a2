"""Working days, the 15:00 cutoff and the receiving windows, on real 2025 and 2026 dates.

Each date below was checked against ``chinese_calendar.get_holiday_detail`` (package 1.11) and the
State Council's notices: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号) and
国务院办公厅关于2026年部分节假日安排的通知 (published November 2025).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from zhengtong.workdays import selectors
from zhengtong.workdays.models import CalendarDay, CalendarYear, WorkdaySettings, new_version

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def days(start: D, end: D) -> list[D]:
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


# --- the official days ------------------------------------------------------------------------------

# (date, working?) — 2025 春节: 1月28日（除夕）至2月4日放假调休，共8天；1月26日（周日）、2月8日（周六）上班.
SPRING_FESTIVAL_2025 = [(D(2025, 1, 26), True), (D(2025, 1, 27), True), *[(d, False) for d in days(D(2025, 1, 28), D(2025, 2, 4))],
                        (D(2025, 2, 5), True), (D(2025, 2, 8), True), (D(2025, 2, 9), False)]
# 2025 国庆节、中秋节: 10月1日至8日放假调休，共8天；9月28日（周日）、10月11日（周六）上班.
NATIONAL_DAY_2025 = [(D(2025, 9, 27), False), (D(2025, 9, 28), True), (D(2025, 9, 30), True),
                     *[(d, False) for d in days(D(2025, 10, 1), D(2025, 10, 8))],
                     (D(2025, 10, 9), True), (D(2025, 10, 11), True), (D(2025, 10, 12), False)]
# 2026 春节: 2月15日（农历腊月二十八）至23日放假调休，共9天；2月14日（周六）、2月28日（周六）上班.
SPRING_FESTIVAL_2026 = [(D(2026, 2, 13), True), (D(2026, 2, 14), True), *[(d, False) for d in days(D(2026, 2, 15), D(2026, 2, 23))],
                        (D(2026, 2, 24), True), (D(2026, 2, 28), True), (D(2026, 3, 1), False)]
# 2026 中秋节: 9月25日至27日放假; 国庆节: 10月1日至7日放假调休，共7天；9月20日（周日）、10月10日（周六）上班.
NATIONAL_DAY_2026 = [(D(2026, 9, 20), True), *[(d, False) for d in days(D(2026, 9, 25), D(2026, 9, 27))],
                     (D(2026, 9, 28), True), (D(2026, 9, 30), True),
                     *[(d, False) for d in days(D(2026, 10, 1), D(2026, 10, 7))],
                     (D(2026, 10, 8), True), (D(2026, 10, 10), True), (D(2026, 10, 11), False)]
OFFICIAL_DAYS = SPRING_FESTIVAL_2025 + NATIONAL_DAY_2025 + SPRING_FESTIVAL_2026 + NATIONAL_DAY_2026


@pytest.mark.parametrize(("day", "working"), OFFICIAL_DAYS, ids=[d.isoformat() for d, _w in OFFICIAL_DAYS])
def test_official_holidays_and_swapped_working_days_of_2025_and_2026(day, working):
    assert selectors.is_working_day(day) is working
    # the package agrees with the notice, so a package upgrade that changed a day would show here
    assert chinese_calendar.get_holiday_detail(day)[0] is (not working)


def test_the_years_of_the_package_are_covered_and_2030_is_not():
    assert all(selectors.year_is_covered(year) for year in (2024, 2025, 2026))
    assert not selectors.year_is_covered(2030)


def test_an_uncovered_year_falls_back_to_weekends_only():
    assert selectors.is_working_day(D(2030, 1, 1))  # a Tuesday: 元旦, but nobody entered 2030
    assert not selectors.is_working_day(D(2030, 1, 5))  # a Saturday


# --- add_working_days and working_days_between --------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2025, 1, 24), 1, D(2025, 1, 26)),  # Friday → the swapped Sunday before the Spring Festival
    (D(2025, 1, 27), 1, D(2025, 2, 5)),  # last day before the holiday → first day after it
    (D(2025, 1, 27), 4, D(2025, 2, 8)),  # … and the swapped Saturday counts
    (D(2025, 2, 7), 1, D(2025, 2, 8)),
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),  # swapped Saturday after National Day
    (D(2025, 9, 30), 4, D(2025, 10, 13)),
    (D(2025, 10, 3), 1, D(2025, 10, 9)),  # starting inside the holiday
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 13), 2, D(2026, 2, 24)),
    (D(2026, 9, 24), 1, D(2026, 9, 28)),  # over the 2026 Mid-autumn Festival
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    (D(2026, 9, 30), 4, D(2026, 10, 12)),
    (D(2025, 3, 14), 3, D(2025, 3, 19)),  # an ordinary Friday: the day itself does not count
])
def test_add_working_days_skips_holidays_and_counts_swapped_days(start, n, expected):
    assert selectors.add_working_days(start, n) == expected


def test_adding_zero_working_days_gives_the_day_itself_or_the_next_working_day():
    assert selectors.add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert selectors.add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert selectors.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 14)  # a swapped Saturday


def test_negative_working_days_count_back_over_holidays():
    assert selectors.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert selectors.add_working_days(D(2025, 10, 9), -3) == D(2025, 9, 28)  # the swapped Sunday
    assert selectors.add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)


def test_next_working_day_is_strictly_after_the_day():
    assert selectors.next_working_day(D(2025, 1, 24)) == D(2025, 1, 26)
    assert selectors.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert selectors.working_days_between(D(2025, 1, 27), D(2025, 2, 5)) == 1
    # October 2025: 9, 10, 11 (swapped Saturday) and three full weeks of five
    assert selectors.working_days_between(D(2025, 9, 30), D(2025, 10, 31)) == 18
    assert selectors.working_days_between(D(2025, 10, 31), D(2025, 9, 30)) == -18
    assert selectors.working_days_between(D(2025, 10, 2), D(2025, 10, 5)) == 0


@pytest.mark.parametrize("start", [D(2025, 1, 25), D(2025, 9, 26), D(2026, 2, 11), D(2026, 9, 19)])
def test_working_days_between_undoes_add_working_days(start):
    for n in range(1, 15):
        assert selectors.working_days_between(start, selectors.add_working_days(start, n)) == n


# --- the 15:00 cutoff (seed 001 第三十条/第三十三条) ------------------------------------------------------

def test_a_second_before_the_cutoff_counts_as_today_and_the_cutoff_itself_as_the_next_working_day():
    assert selectors.exchange_day(at(2025, 3, 12, 14, 59, 59)) == D(2025, 3, 12)
    assert selectors.exchange_day(at(2025, 3, 12, 15, 0, 0)) == D(2025, 3, 13)


def test_after_the_cutoff_on_a_friday_counts_as_monday():
    assert selectors.exchange_day(at(2025, 3, 14, 15, 30)) == D(2025, 3, 17)


def test_after_the_cutoff_on_a_friday_before_a_holiday_counts_as_the_day_after_it():
    # 端午节 2025: 5月31日至6月2日（周一）放假
    assert selectors.exchange_day(at(2025, 5, 30, 16, 0)) == D(2025, 6, 3)


def test_after_the_cutoff_on_a_friday_before_a_swapped_saturday_counts_as_that_saturday():
    assert selectors.exchange_day(at(2026, 2, 13, 15, 1)) == D(2026, 2, 14)


def test_a_swapped_saturday_is_an_exchange_day_with_the_same_cutoff():
    assert selectors.exchange_day(at(2025, 2, 8, 10, 0)) == D(2025, 2, 8)
    assert selectors.exchange_day(at(2025, 2, 8, 15, 0)) == D(2025, 2, 10)


def test_during_a_holiday_any_time_counts_as_the_first_working_day_after_it():
    assert selectors.exchange_day(at(2025, 10, 3, 9, 0)) == D(2025, 10, 9)


def test_the_cutoff_is_judged_in_beijing_time_whatever_the_datetime_zone():
    assert selectors.exchange_day(datetime.datetime(2025, 3, 12, 6, 59, 59, tzinfo=UTC)) == D(2025, 3, 12)
    assert selectors.exchange_day(datetime.datetime(2025, 3, 12, 7, 0, 0, tzinfo=UTC)) == D(2025, 3, 13)
    # 20:00 UTC on the 12th is already 04:00 on the 13th in Beijing
    assert selectors.exchange_day(datetime.datetime(2025, 3, 12, 20, 0, tzinfo=UTC)) == D(2025, 3, 13)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        selectors.exchange_day(datetime.datetime(2025, 3, 12, 10, 0))


def test_a_changed_cutoff_moves_the_exchange_day():
    WorkdaySettings.objects.update(cutoff=datetime.time(16, 0), version=new_version())
    assert selectors.exchange_day(at(2025, 3, 12, 15, 30)) == D(2025, 3, 12)


# --- receiving windows (seed 000) ---------------------------------------------------------------------

def test_a_working_day_has_the_two_seeded_windows_as_beijing_times():
    slots = selectors.windows_on(D(2025, 2, 8))  # a swapped Saturday is a working day
    assert [(s.name, s.starts_at, s.ends_at) for s in slots] == [
        ("上午", at(2025, 2, 8, 10, 0), at(2025, 2, 8, 10, 30)),
        ("下午", at(2025, 2, 8, 16, 0), at(2025, 2, 8, 16, 30)),
    ]


def test_holidays_and_weekends_have_no_windows():
    assert selectors.windows_on(D(2025, 10, 1)) == []
    assert selectors.windows_on(D(2025, 2, 9)) == []


@pytest.mark.parametrize(("moment", "name"), [
    (at(2025, 3, 12, 10, 0), "上午"), (at(2025, 3, 12, 10, 29, 59), "上午"), (at(2025, 3, 12, 10, 30), None),
    (at(2025, 3, 12, 9, 59, 59), None), (at(2025, 3, 12, 16, 15), "下午"), (at(2025, 3, 12, 16, 30), None),
    (at(2025, 10, 2, 10, 15), None),  # National Day
    (datetime.datetime(2025, 3, 12, 2, 5, tzinfo=UTC), "上午"),  # 10:05 in Beijing
])
def test_receiving_window_at_says_which_window_a_moment_falls_in(moment, name):
    slot = selectors.receiving_window_at(moment)
    assert (slot.name if slot else None) == name


def test_the_next_window_after_friday_afternoon_is_on_the_swapped_sunday():
    slot = selectors.next_receiving_window(at(2025, 1, 24, 17, 0))
    assert slot.starts_at == at(2025, 1, 26, 10, 0)
    assert selectors.next_receiving_window(at(2025, 1, 24, 12, 0)).starts_at == at(2025, 1, 24, 16, 0)
    assert selectors.next_receiving_window(at(2025, 1, 24, 16, 10)).starts_at == at(2025, 1, 24, 16, 0)


# --- deadlines ----------------------------------------------------------------------------------------

def test_a_deadline_counts_from_the_exchange_day_of_the_arrival():
    # before 15:00 on the last day before the 2025 Spring Festival: counted from that Monday
    assert selectors.deadline(at(2025, 1, 27, 10, 0), 3) == datetime.datetime.combine(
        D(2025, 2, 7), datetime.time.max, SHANGHAI)
    # after 15:00: the exchange day is 5 February, so three working days end on the swapped Saturday
    assert selectors.deadline(at(2025, 1, 27, 16, 0), 3).date() == D(2025, 2, 8)


# --- the operator's entries and the cache ---------------------------------------------------------------

def test_a_change_made_by_another_process_is_seen_at_once():
    assert selectors.is_working_day(D(2027, 1, 4))  # a Monday, and the calendar is now in memory
    # another process enters 2027 and gives the calendar a new version, as services.enter_year does
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN, notice="test")
    CalendarDay.objects.create(date=D(2027, 1, 4), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    WorkdaySettings.objects.update(version=new_version())
    assert not selectors.is_working_day(D(2027, 1, 4))


def test_the_calendar_is_kept_in_memory_while_its_version_is_unchanged(django_assert_num_queries):
    selectors.is_working_day(D(2025, 1, 1))
    with django_assert_num_queries(1):  # the version only
        selectors.add_working_days(D(2025, 1, 27), 10)
