"""Assessment periods (考核周期) in local dates (Asia/Shanghai): ISO weeks, months, quarters, years.

A period is a half-open range of local dates ``[start, end)``. A week runs Monday to Sunday
whatever months it touches: a week that straddles a month boundary belongs to the week, never
split. For a monthly assessment a weekly rule counts the weeks that *end* (their Sunday) in that
month; quarters and years are assessed in the month they end in (March, June…, December).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

WEEK, MONTH, QUARTER, YEAR, IN_TIME = "week", "month", "quarter", "year", "in_time"
COUNTED_KINDS = (WEEK, MONTH, QUARTER, YEAR)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, order=True)
class Period:
    """One period of a kind: local dates from ``start`` (included) to ``end`` (excluded)."""

    start: datetime.date
    end: datetime.date
    kind: str

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        """A stable name for URLs and reminders: 2026-W14, 2026-04, 2026-Q2, 2026."""
        if self.kind == WEEK:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        """How people read the period (translated): 2026年第14周（3月30日—4月5日）, 2026年4月…"""
        if self.kind == WEEK:
            year, week, _day = self.start.isocalendar()
            return _("%(year)s week %(week)s (%(first)s–%(last)s)") % {
                "year": year, "week": week, "first": _month_day(self.start), "last": _month_day(self.last_day)}
        if self.kind == MONTH:
            return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("%(year)s Q%(quarter)s") % {"year": self.start.year,
                                                 "quarter": (self.start.month - 1) // 3 + 1}
        return _("Year %(year)s") % {"year": self.start.year}

    def start_at(self) -> datetime.datetime:
        """The first instant of the period (local midnight), timezone-aware."""
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=local_zone())

    def end_at(self) -> datetime.datetime:
        """The first instant after the period, timezone-aware."""
        return datetime.datetime.combine(self.end, datetime.time.min, tzinfo=local_zone())

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day < self.end

    def is_over(self, now: datetime.datetime) -> bool:
        return now >= self.end_at()

    def has_started(self, now: datetime.datetime) -> bool:
        return now >= self.start_at()


def _month_day(day: datetime.date) -> str:
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == WEEK:
        start = day - datetime.timedelta(days=day.weekday())
        return Period(start, start + datetime.timedelta(days=7), WEEK)
    if kind == MONTH:
        start = day.replace(day=1)
        return Period(start, _add_months(start, 1), MONTH)
    if kind == QUARTER:
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(start, _add_months(start, 3), QUARTER)
    if kind == YEAR:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1), YEAR)
    raise ValueError(f"no periods of kind {kind!r}")


def month_period(year: int, month: int) -> Period:
    return period_containing(MONTH, datetime.date(year, month, 1))


def periods_ending_in(kind: str, month: Period) -> list[Period]:
    """The periods of ``kind`` whose last day falls in ``month``: what that month's score counts.

    Weeks: each week whose Sunday is in the month (a week of 30 March – 5 April counts in April).
    Months: the month itself. Quarters and years: only in their last month, else none.
    """
    periods: list[Period] = []
    if kind == WEEK:
        first_sunday = month.start + datetime.timedelta(days=(6 - month.start.weekday()) % 7)
        sunday = first_sunday
        while sunday < month.end:
            periods.append(period_containing(WEEK, sunday))
            sunday += datetime.timedelta(days=7)
        return periods
    period = period_containing(kind, month.last_day)
    return [period] if period.last_day == month.last_day else []


def local_date(moment: datetime.datetime) -> datetime.date:
    """The local calendar date of an aware instant (a 23:30 UTC publication is the next day in 鹤山区)."""
    return moment.astimezone(local_zone()).date()


def parse_month(value: str) -> Period | None:
    """``"2026-04"`` as that month, or None when it is not a month."""
    try:
        year, month = (int(part) for part in value.split("-"))
    except (AttributeError, ValueError):
        return None
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        return None
    return month_period(year, month)
