"""Reading the working-day calendar. Other apps call these functions for every deadline they compute.

Where the days come from, per year:

* a year the operator entered from the State Council's notice (``CalendarYear`` with source
  "admin"): exactly the operator's ``CalendarDay`` entries, on top of Monday–Friday weeks;
* otherwise the ``chinese_calendar`` package (2004–2026 in version 1.11), with any single
  ``CalendarDay`` entries of that year overriding it;
* otherwise weekends only — and ``year_is_covered`` says False, so the operator is warned.

Every public function reads the calendar version (one small query) and reuses the calendar held
in memory while it is unchanged, so a change made by one process is seen by all the others at
once. For many computations in a row, take ``working_calendar()`` once and call its methods.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.directory.selectors import is_platform_operator
from zhengtong.workdays.calendar import (
    HOLIDAY,
    PACKAGE_YEARS,
    WORKDAY,
    WindowDefinition,
    WindowSlot,
    WorkingCalendar,
    package_days,
)
from zhengtong.workdays.models import CalendarDay, CalendarYear, ReceivingWindow, WorkdaySettings

_lock = threading.Lock()
_cached: tuple[str, WorkingCalendar] | None = None


def _year_days(year: int) -> dict[datetime.date, tuple[str, str]]:
    entered = {day.date: (day.kind, day.name) for day in CalendarDay.objects.filter(date__year=year)}
    if CalendarYear.objects.filter(year=year, source=CalendarYear.Source.ADMIN).exists():
        return entered
    days = package_days(year)
    days.update(entered)
    return days


def _current_version() -> str | None:
    # Plain SQL: this runs on every call, and compiling the ORM query cost ten times the query itself
    # (see benchmarks/workdays_bench.py).
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        found = cursor.fetchone()
    return found[0] if found else None


_VERSION_SQL = f"SELECT version FROM {WorkdaySettings._meta.db_table} WHERE id = 1"


def working_calendar() -> WorkingCalendar:
    """The current calendar: rebuilt only when the operator changed something since the last call."""
    global _cached
    version = _current_version()
    cached = _cached
    if cached is not None and version is not None and cached[0] == version:
        return cached[1]
    row = WorkdaySettings.load()  # creates the row (and the seed windows) on an empty database
    with _lock:
        windows = [WindowDefinition(window.name, window.start, window.end)
                   for window in ReceivingWindow.objects.filter(active=True)]
        built = WorkingCalendar(year_days=_year_days, windows=windows, cutoff=row.cutoff,
                                time_zone=settings.TIME_ZONE)
        _cached = (row.version, built)
    return built


def clear_cache() -> None:
    global _cached
    _cached = None


# --- the functions other apps call ---------------------------------------------------------------

def is_working_day(day: datetime.date) -> bool:
    """Is ``day`` a working day? Weekends, holidays and 调休 per the official calendar (DESIGN.md)."""
    return working_calendar().is_working_day(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    return working_calendar().next_working_day(day)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """``n`` working days after ``day``, the day itself not counted (期间开始的当日不计入).

    ``n == 0`` gives ``day`` if it is a working day, else the next one; negative ``n`` counts back.
    """
    return working_calendar().add_working_days(day, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after ``start`` up to and including ``end``."""
    return working_calendar().working_days_between(start, end)


def exchange_day(moment: datetime.datetime) -> datetime.date:
    """seed 001 第三十条/第三十三条: before 15:00 on a working day counts as that day, else the next working day.

    ``moment`` must be timezone-aware; it is judged in ``settings.TIME_ZONE`` (Asia/Shanghai).
    """
    return working_calendar().exchange_day(moment)


def receiving_window_at(moment: datetime.datetime) -> WindowSlot | None:
    """seed 000 (公文每天接收2次, 10:00-10:30 and 16:00-16:30): the window ``moment`` falls in, or None."""
    return working_calendar().receiving_window_at(moment)


def windows_on(day: datetime.date) -> list[WindowSlot]:
    """seed 000: the receiving windows of ``day`` as aware datetimes; none on a day off."""
    return working_calendar().windows_on(day)


def next_receiving_window(moment: datetime.datetime) -> WindowSlot | None:
    """seed 000: the window open at ``moment``, or the next one (today or on the next working day)."""
    return working_calendar().next_receiving_window(moment)


def deadline(start: datetime.datetime, working_days: int) -> datetime.datetime:
    """The end of the last day of ``working_days`` counted from ``start``'s exchange day (seed 001 第三十三条)."""
    return working_calendar().deadline(start, working_days)


def cutoff() -> datetime.time:
    """seed 001 第三十条/第三十三条: the exchange cutoff, 15:00 unless the operator changed it."""
    return working_calendar().cutoff


# --- coverage ------------------------------------------------------------------------------------

def year_is_covered(year: int) -> bool:
    """Does the calendar know the holidays of ``year``? (package years, or entered by the operator)."""
    return year in PACKAGE_YEARS or CalendarYear.objects.filter(year=year,
                                                                source=CalendarYear.Source.ADMIN).exists()


def coverage_warnings(*, today: datetime.date | None = None) -> list[str]:
    """Warnings for ``zhengtong check`` and the operator's pages: this year, or from November next year,
    not covered (the State Council publishes next year's notice in October–December)."""
    today = today or timezone.localdate()
    warnings = []
    if not year_is_covered(today.year):
        warnings.append(_("The holidays of %(year)s have not been entered: only weekends count as days off. "
                          "Enter them from the State Council's notice.") % {"year": today.year})
    if today.month >= 11 and not year_is_covered(today.year + 1):
        warnings.append(_("The holidays of %(year)s have not been entered yet. Enter them as soon as the "
                          "State Council's notice is published.") % {"year": today.year + 1})
    return warnings


@dataclass(frozen=True)
class YearCoverage:
    year: int
    covered: bool
    source: str  # CalendarYear.Source value, or "" when not covered
    source_label: str
    notice: str
    confirmed_by: object
    confirmed_at: datetime.datetime | None
    holidays: int  # holiday dates (weekend days inside a holiday included)
    workdays: int  # swapped working days (调休)


def covered_years(*, around: int | None = None) -> list[YearCoverage]:
    """The years from 2024 (the first the platform was built for), every year entered, and ``around``
    and the year after it whether covered or not; newest first."""
    around = around or timezone.localdate().year
    stored = {row.year: row for row in CalendarYear.objects.select_related("confirmed_by")}
    years = {year for year in PACKAGE_YEARS if year >= 2024} | set(stored) | {around, around + 1}
    result = []
    for year in sorted(years, reverse=True):
        row = stored.get(year)
        if row is not None and row.source == CalendarYear.Source.ADMIN:
            days = {day.date: (day.kind, day.name) for day in CalendarDay.objects.filter(date__year=year)}
        else:
            days = {**package_days(year),
                    **{day.date: (day.kind, day.name) for day in CalendarDay.objects.filter(date__year=year)}}
        covered = year_is_covered(year)
        if row is not None:
            source, label = row.source, row.get_source_display()
        elif year in PACKAGE_YEARS:
            source, label = CalendarYear.Source.PACKAGE, CalendarYear.Source.PACKAGE.label
        else:
            source, label = "", ""
        result.append(YearCoverage(
            year=year, covered=covered, source=source, source_label=str(label),
            notice=row.notice if row else "", confirmed_by=row.confirmed_by if row else None,
            confirmed_at=row.confirmed_at if row else None,
            holidays=sum(1 for kind, _name in days.values() if kind == HOLIDAY),
            workdays=sum(1 for kind, _name in days.values() if kind == WORKDAY),
        ))
    return result


# --- pages ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GridDay:
    date: datetime.date | None  # None for the blanks before the 1st and after the last day
    working: bool = False
    weekend: bool = False
    kind: str = ""  # "holiday", "workday" (调休) or ""
    name: str = ""
    today: bool = False


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[GridDay]]

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def year_grid(year: int, *, today: datetime.date | None = None) -> list[MonthGrid]:
    """Twelve month grids, weeks starting on Monday (as Chinese wall calendars do)."""
    cal = working_calendar()
    today = today or timezone.localdate()
    days = cal.days_of_year(year)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(GridDay(date=None))
                    continue
                kind, name = days.get(day, ("", ""))
                row.append(GridDay(date=day, working=cal.is_working_day(day), weekend=day.weekday() >= 5,
                                   kind=kind, name=name, today=day == today))
            weeks.append(row)
        months.append(MonthGrid(year=year, month=month, weeks=weeks))
    return months


@dataclass(frozen=True)
class NamedPeriod:
    name: str
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def periods_of_year(year: int) -> list[NamedPeriod]:
    """The year's holidays as consecutive ranges per name, and its swapped working days, in date order."""
    days = working_calendar().days_of_year(year)
    periods: list[NamedPeriod] = []
    for day in sorted(days):
        kind, name = days[day]
        last = periods[-1] if periods else None
        if (kind == HOLIDAY and last is not None and last.kind == HOLIDAY
                and last.end + datetime.timedelta(days=1) == day):
            # one period may join two festivals, as the notices say "国庆节、中秋节"
            joined = last.name if name in last.name.split("、") else f"{last.name}、{name}"
            periods[-1] = NamedPeriod(joined, HOLIDAY, last.start, day)
        else:
            periods.append(NamedPeriod(name, kind, day, day))
    return periods


def today_summary(*, now: datetime.datetime | None = None) -> dict:
    """What the home-page panel shows: is today a working day, the next receiving window, the cutoff."""
    cal = working_calendar()
    now = cal.local(now or timezone.now())
    today = now.date()
    entry = cal.entry(today)
    window = cal.next_receiving_window(now)
    return {
        "today": today,
        "working": cal.is_working_day(today),
        "day_name": entry[1] if entry else "",
        "swapped": bool(entry and entry[0] == WORKDAY),
        "window": window,
        "window_open": bool(window and window.contains(now)),
        "window_today": bool(window and window.starts_at.date() == today),
        "cutoff": cal.cutoff,
        "before_cutoff": cal.is_working_day(today) and now.time() < cal.cutoff,
        "next_working_day": cal.next_working_day(today),
        "exchange_day": cal.exchange_day(now),
    }


def can_change_calendar(user) -> bool:
    """Only the platform operator (政务信息中心) changes the calendar, windows and cutoff."""
    return is_platform_operator(user)
