"""Working-day arithmetic on a snapshot of the calendar, without touching the database.

``WorkingCalendar`` holds, per year, the dates that differ from a plain Monday–Friday week
(holidays falling on weekdays or weekends, and swapped working days on weekends), the active
receiving windows and the exchange cutoff. ``zhengtong.workdays.selectors`` builds one from the
package and the operator's entries and keeps it in memory while the calendar version is unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday

HOLIDAY = "holiday"
WORKDAY = "workday"
ONE_DAY = datetime.timedelta(days=1)
# Guard against an endless search in a calendar entered wrongly (a year of holidays).
MAX_SEARCH_DAYS = 400

# The package's short names, as the State Council's notices write them (清明节, not 清明).
_CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in Holiday} | {
    Holiday.tomb_sweeping_day.value: "清明节",
    Holiday.dragon_boat_festival.value: "端午节",
    Holiday.mid_autumn_festival.value: "中秋节",
    Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}


def _package_index() -> dict[int, dict[datetime.date, tuple[str, str]]]:
    index: dict[int, dict[datetime.date, tuple[str, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        index.setdefault(day.year, {})[day] = (HOLIDAY, _CHINESE_NAMES.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        index.setdefault(day.year, {})[day] = (WORKDAY, _CHINESE_NAMES.get(name, name))
    return index


PACKAGE_DAYS = _package_index()
PACKAGE_YEARS = frozenset(range(min(PACKAGE_DAYS), max(PACKAGE_DAYS) + 1))


def package_days(year: int) -> dict[datetime.date, tuple[str, str]]:
    """The package's exceptions for a year: {date: (kind, Chinese name)}; empty when not covered."""
    return dict(PACKAGE_DAYS.get(year, {}))


@dataclass(frozen=True)
class WindowDefinition:
    name: str
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class WindowSlot:
    """A receiving window on a given day, as aware datetimes (start inclusive, end exclusive)."""

    name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    def contains(self, moment: datetime.datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


class WorkingCalendar:
    """Working days, cutoff and windows of one calendar version.

    ``year_days`` is called at most once per year to give {date: (kind, name)} for that year.
    """

    def __init__(self, *, year_days: Callable[[int], dict[datetime.date, tuple[str, str]]],
                 windows: Iterable[WindowDefinition], cutoff: datetime.time, time_zone: str):
        self._year_days = year_days
        self._years: dict[int, dict[datetime.date, tuple[str, str]]] = {}
        self.windows = tuple(windows)
        self.cutoff = cutoff
        self.tz = ZoneInfo(time_zone)

    # --- days ---------------------------------------------------------------------------------

    def days_of_year(self, year: int) -> dict[datetime.date, tuple[str, str]]:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._year_days(year)
        return days

    def entry(self, day: datetime.date) -> tuple[str, str] | None:
        """(kind, name) when the date differs from a plain week or is a named holiday, else None."""
        return self.days_of_year(day.year).get(day)

    def is_working_day(self, day: datetime.date) -> bool:
        """Monday to Friday, unless a holiday; Saturday or Sunday only when a swapped working day (调休)."""
        day = self._day(day)
        found = self.days_of_year(day.year).get(day)
        if found is not None:
            return found[0] == WORKDAY
        return day.weekday() < 5

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        day = self._day(day)
        for _ in range(MAX_SEARCH_DAYS):
            day += ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within a year")

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        """The last working day strictly before ``day``."""
        day = self._day(day)
        for _ in range(MAX_SEARCH_DAYS):
            day -= ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within a year")

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The date ``n`` working days after ``day``; the day itself does not count.

        Statutory convention for periods (期间开始的当日不计入): 3 working days from a Friday
        is the Wednesday after. ``n == 0`` gives ``day`` when it is a working day, else the next
        working day (a period never ends on a day off). Negative ``n`` counts back: -1 is the last
        working day before ``day``.
        """
        day = self._day(day)
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            day = step(day)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

        The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``
        for every ``n >= 1``.
        """
        start, end = self._day(start), self._day(end)
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def _day(self, value) -> datetime.date:
        """A date; an aware datetime counts by its local date, a naive one is refused."""
        if isinstance(value, datetime.datetime):
            return self.local(value).date()
        if not isinstance(value, datetime.date):
            raise TypeError(f"a date is required, not {type(value).__name__}")
        return value

    # --- time of day ----------------------------------------------------------------------------

    def local(self, moment: datetime.datetime) -> datetime.datetime:
        if not isinstance(moment, datetime.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("an aware datetime is required")
        return moment.astimezone(self.tz)

    def exchange_day(self, moment: datetime.datetime) -> datetime.date:
        """The day a document sent or received at ``moment`` counts as (交换日).

        seed 001 第三十条/第三十三条: before the cutoff (15:00) on a working day it counts as that
        day; at or after the cutoff, or on a day off, as the next working day.
        """
        local = self.local(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.cutoff:
            return day
        return self.next_working_day(day)

    def windows_on(self, day: datetime.date) -> list[WindowSlot]:
        """The receiving windows of a working day (seed 000), none on a day off."""
        day = self._day(day)
        if not self.is_working_day(day):
            return []
        return [WindowSlot(window.name, datetime.datetime.combine(day, window.start, self.tz),
                           datetime.datetime.combine(day, window.end, self.tz))
                for window in self.windows]

    def receiving_window_at(self, moment: datetime.datetime) -> WindowSlot | None:
        """The receiving window ``moment`` falls in, or None (outside the windows or on a day off)."""
        local = self.local(moment)
        for slot in self.windows_on(local.date()):
            if slot.contains(local):
                return slot
        return None

    def next_receiving_window(self, moment: datetime.datetime) -> WindowSlot | None:
        """The window open at ``moment``, else the next one today, else the next working day's first."""
        local = self.local(moment)
        if not self.windows:
            return None
        for slot in self.windows_on(local.date()):
            if local < slot.ends_at:
                return slot
        return self.windows_on(self.next_working_day(local.date()))[0]

    def deadline(self, start: datetime.datetime, working_days: int) -> datetime.datetime:
        """The last moment of the period of ``working_days`` counted from a document's arrival.

        The period starts on the arrival's exchange day (after the 15:00 cutoff that is the next
        working day, seed 001 第三十三条), which itself does not count; the deadline is the end of
        the last day (23:59:59.999999 local time).
        """
        last = self.add_working_days(self.exchange_day(start), working_days)
        return datetime.datetime.combine(last, datetime.time.max, self.tz)


