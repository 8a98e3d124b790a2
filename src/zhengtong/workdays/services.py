"""Changes to the working-day calendar: only the platform operator, always audited.

Each change gives the calendar a new version, so every process drops the calendar it holds in
memory (see ``selectors.working_calendar``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.workdays import selectors
from zhengtong.workdays.calendar import PACKAGE_YEARS
from zhengtong.workdays.exceptions import WorkdaysPermissionDenied
from zhengtong.workdays.models import (
    CalendarDay,
    CalendarYear,
    ReceivingWindow,
    WorkdaySettings,
    new_version,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _require_operator(actor) -> None:
    if actor is not None and not selectors.can_change_calendar(actor):
        raise WorkdaysPermissionDenied(_("Only the platform operator may change the working-day calendar."))


def _bump_version(actor) -> WorkdaySettings:
    row = WorkdaySettings.load()
    row.version = new_version()
    row.updated_by = actor
    row.updated_at = timezone.now()
    row.save(update_fields=["version", "updated_by", "updated_at"])
    transaction.on_commit(selectors.clear_cache)
    return row


# --- a year from the State Council's notice --------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a year's entry; ``section``/``index``/``field`` say where to show it."""

    message: str
    field: str | None = None
    section: str | None = None  # "holidays", "workdays" or None for the year itself
    index: int | None = None


def check_year_entry(*, year: int | None, notice: str,
                     holidays: Sequence[tuple[datetime.date | None, datetime.date | None, str]],
                     workdays: Sequence[tuple[datetime.date | None, str]]) -> list[Problem]:
    """Everything wrong with a year's holidays and swapped working days, in Chinese, row by row.

    Rules: dates inside the year; a holiday's end not before its start and no two holidays
    overlapping; a swapped working day (调休上班日) on a Saturday or Sunday, not inside a holiday,
    and not given twice.
    """
    problems: list[Problem] = []
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(Problem(_("Enter a year between %(first)s and %(last)s.")
                                % {"first": FIRST_YEAR, "last": LAST_YEAR}, field="year"))
        return problems
    if not notice.strip():
        problems.append(Problem(_("Enter the number of the State Council's notice, e.g. 国办发明电〔2026〕5号."),
                                field="notice"))
    outside = _("The date must be in %(year)s.") % {"year": year}
    holiday_days: dict[datetime.date, int] = {}
    for index, (start, end, name) in enumerate(holidays):
        def add(message, field, index=index):
            problems.append(Problem(message, field=field, section="holidays", index=index))

        if not name.strip():
            add(_("Enter the holiday's name, e.g. 春节."), "name")
        if start is None:
            add(_("Enter the first day of the holiday."), "start")
        if end is None:
            add(_("Enter the last day of the holiday."), "end")
        if start is None or end is None:
            continue
        if start.year != year:
            add(outside, "start")
        if end.year != year:
            add(outside, "end")
        if end < start:
            add(_("The last day cannot be before the first day."), "end")
            continue
        if start.year != year or end.year != year:
            continue
        day = start
        while day <= end:
            if day in holiday_days:
                add(_("Overlaps with the holiday in row %(row)s.") % {"row": holiday_days[day] + 1}, "start")
                break
            day += datetime.timedelta(days=1)
        day = start
        while day <= end:
            holiday_days.setdefault(day, index)
            day += datetime.timedelta(days=1)
    if not holidays:
        problems.append(Problem(_("Enter at least one holiday from the notice.")))
    seen: dict[datetime.date, int] = {}
    for index, (date, name) in enumerate(workdays):
        def add(message, field, index=index):
            problems.append(Problem(message, field=field, section="workdays", index=index))

        if not name.strip():
            add(_("Enter the holiday this working day makes up for, e.g. 春节."), "name")
        if date is None:
            add(_("Enter the date of the swapped working day."), "date")
            continue
        if date.year != year:
            add(outside, "date")
        elif date.weekday() < 5:
            add(_("A swapped working day (调休) must be a Saturday or a Sunday."), "date")
        elif date in holiday_days:
            add(_("This day is inside the holiday in row %(row)s: a day cannot be both a holiday and a working day.")
                % {"row": holiday_days[date] + 1}, "date")
        elif date in seen:
            add(_("This date is already given in row %(row)s.") % {"row": seen[date] + 1}, "date")
        seen.setdefault(date, index)
    return problems


@transaction.atomic
def enter_year(*, actor, year: int, holidays: Sequence[tuple[datetime.date, datetime.date, str]],
               workdays: Sequence[tuple[datetime.date, str]], notice: str) -> CalendarYear:
    """Enter a year's holidays and swapped working days from the State Council's notice.

    ``holidays`` are (first day, last day, name), ``workdays`` are (date, name). The entry
    replaces everything entered for that year before and, from now on, is the whole truth for the
    year: the package's days for it no longer count. Raises ``ValidationError`` (Chinese messages,
    nothing changed) when ``check_year_entry`` finds a problem.
    """
    _require_operator(actor)
    problems = check_year_entry(year=year, notice=notice, holidays=holidays, workdays=workdays)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    before = {"holidays": [[p.name, p.start, p.end] for p in selectors.periods_of_year(year) if p.kind == "holiday"],
              "workdays": [[p.start, p.name] for p in selectors.periods_of_year(year) if p.kind == "workday"]}
    CalendarDay.objects.filter(date__year=year).delete()
    entries = []
    for start, end, name in holidays:
        day = start
        while day <= end:
            entries.append(CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name.strip(),
                                       note=notice.strip(), entered_by=actor))
            day += datetime.timedelta(days=1)
    for date, name in workdays:
        entries.append(CalendarDay(date=date, kind=CalendarDay.Kind.WORKDAY, name=name.strip(),
                                   note=notice.strip(), entered_by=actor))
    CalendarDay.objects.bulk_create(entries)
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarYear.Source.ADMIN, "notice": notice.strip(),
                             "confirmed_by": actor, "confirmed_at": timezone.now()})
    _bump_version(actor)
    audit.record(actor=actor, action="workdays.year.enter", obj=calendar_year,
                 summary=_("Entered the holidays of %(year)s from %(notice)s")
                 % {"year": year, "notice": notice.strip()},
                 changes={"before": before,
                          "after": {"holidays": [[name.strip(), start, end] for start, end, name in holidays],
                                    "workdays": [[date, name.strip()] for date, name in workdays]}})
    return calendar_year


@transaction.atomic
def confirm_package_year(*, actor, year: int, notice: str) -> CalendarYear:
    """Record that the package's days for ``year`` were checked against the State Council's notice."""
    _require_operator(actor)
    if year not in PACKAGE_YEARS:
        raise ValidationError(_("The built-in calendar does not cover %(year)s: enter the year instead.")
                              % {"year": year})
    if CalendarYear.objects.filter(year=year, source=CalendarYear.Source.ADMIN).exists():
        raise ValidationError(_("%(year)s has been entered by the operator; enter it again to change it.")
                              % {"year": year})
    if not notice.strip():
        raise ValidationError({"notice": _("Enter the number of the State Council's notice, "
                                           "e.g. 国办发明电〔2026〕5号.")})
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarYear.Source.PACKAGE, "notice": notice.strip(),
                             "confirmed_by": actor, "confirmed_at": timezone.now()})
    audit.record(actor=actor, action="workdays.year.confirm", obj=calendar_year,
                 summary=_("Confirmed the built-in holidays of %(year)s against %(notice)s")
                 % {"year": year, "notice": notice.strip()})
    return calendar_year


# --- receiving windows and cutoff -------------------------------------------------------------------

@dataclass(frozen=True)
class WindowInput:
    """One receiving window as entered; ``pk`` None for a new one."""

    name: str
    start: datetime.time | None
    end: datetime.time | None
    sort_order: int = 0
    active: bool = True
    pk: int | None = None


def check_windows(windows: Sequence[WindowInput]) -> list[Problem]:
    """Names given, each window ending after it starts, active windows not overlapping, at least one active."""
    problems: list[Problem] = []
    active: list[tuple[int, WindowInput]] = []
    for index, window in enumerate(windows):
        def add(message, field, index=index):
            problems.append(Problem(message, field=field, section="windows", index=index))

        if not window.name.strip():
            add(_("Enter a name, e.g. 上午."), "name")
        if window.start is None:
            add(_("Enter the time the window opens."), "start")
        if window.end is None:
            add(_("Enter the time the window closes."), "end")
        if window.start is None or window.end is None:
            continue
        if window.end <= window.start:
            add(_("The window must close after it opens."), "end")
            continue
        if window.active:
            for other_index, other in active:
                if window.start < other.end and other.start < window.end:
                    add(_("Overlaps with the window in row %(row)s.") % {"row": other_index + 1}, "start")
                    break
            active.append((index, window))
    if not any(window.active for window in windows):
        problems.append(Problem(_("Keep at least one receiving window active: clerks receive documents "
                                  "at fixed times every working day (seed 000).")))
    return problems


@transaction.atomic
def update_receiving_windows(*, actor, windows: Sequence[WindowInput]) -> list[ReceivingWindow]:
    """Set the daily receiving windows (seed 000: 10:00–10:30 and 16:00–16:30 by default).

    Windows left out of ``windows`` stay as they are; a window is switched off with ``active``.
    """
    _require_operator(actor)
    existing = {window.pk: window for window in ReceivingWindow.objects.select_for_update()}
    for window in windows:
        if window.pk is not None and window.pk not in existing:
            raise ValidationError(_("That receiving window does not exist."))
    kept = [WindowInput(name=w.name, start=w.start, end=w.end, sort_order=w.sort_order, active=w.active, pk=w.pk)
            for w in existing.values() if w.pk not in {window.pk for window in windows}]
    problems = check_windows([*windows, *kept])
    if problems:
        raise ValidationError([problem.message for problem in problems])
    before = [str(w) + ("" if w.active else " ×") for w in existing.values()]
    saved = []
    for window in windows:
        row = existing.get(window.pk) or ReceivingWindow()
        row.name, row.start, row.end = window.name.strip(), window.start, window.end
        row.sort_order, row.active = window.sort_order, window.active
        row.save()
        saved.append(row)
    after = [str(w) + ("" if w.active else " ×") for w in ReceivingWindow.objects.all()]
    _bump_version(actor)
    audit.record(actor=actor, action="workdays.windows.update", summary=_("Changed the receiving windows"),
                 changes={"windows": [before, after]})
    return saved


@transaction.atomic
def update_cutoff(*, actor, cutoff: datetime.time) -> WorkdaySettings:
    """Set the exchange cutoff (seed 001 第三十条/第三十三条: 下午3时, i.e. 15:00)."""
    _require_operator(actor)
    if not isinstance(cutoff, datetime.time):
        raise ValidationError({"cutoff": _("Enter a time such as 15:00.")})
    if not datetime.time(8, 0) <= cutoff <= datetime.time(20, 0):
        raise ValidationError({"cutoff": _("The cutoff must be within office hours, between 08:00 and 20:00.")})
    row = WorkdaySettings.load()
    old = row.cutoff
    row.cutoff = cutoff
    row.save(update_fields=["cutoff"])
    _bump_version(actor)
    audit.record(actor=actor, action="workdays.cutoff.update", obj=row,
                 summary=_("Changed the exchange cutoff to %(time)s") % {"time": cutoff.strftime("%H:%M")},
                 changes={"cutoff": [old, cutoff]})
    return row
