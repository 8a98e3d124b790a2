"""Views of the working-day calendar: everyone signed in reads it, only the platform operator changes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from zhengtong.workdays import selectors, services
from zhengtong.workdays.forms import (
    FESTIVALS,
    CutoffForm,
    HolidayFormSet,
    NoticeForm,
    WindowFormSet,
    WorkdayFormSet,
    entered_rows,
    show_problems,
)
from zhengtong.workdays.models import CalendarYear, ReceivingWindow

WEEKDAY_HEADERS = [
    pgettext_lazy("weekday, one character", "Mo"), pgettext_lazy("weekday, one character", "Tu"),
    pgettext_lazy("weekday, one character", "We"), pgettext_lazy("weekday, one character", "Th"),
    pgettext_lazy("weekday, one character", "Fr"), pgettext_lazy("weekday, one character", "Sa"),
    pgettext_lazy("weekday, one character", "Su"),
]


def _year_or_404(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise Http404
    return year


def _operator_or_404(request) -> None:
    """The change pages do not exist for anyone but the platform operator."""
    if not selectors.can_change_calendar(request.user):
        raise Http404


@login_required
def calendar(request):
    """The year as twelve month grids, with its holidays and swapped working days listed."""
    today = timezone.localdate()
    year = _year_or_404(request.GET.get("year", today.year))
    can_change = selectors.can_change_calendar(request.user)
    return render(request, "workdays/calendar.html", {
        "year": year,
        "months": selectors.year_grid(year, today=today),
        "weekday_headers": WEEKDAY_HEADERS,
        "periods": selectors.periods_of_year(year),
        "covered": selectors.year_is_covered(year),
        "previous_year": year - 1 if year > services.FIRST_YEAR else None,
        "next_year": year + 1 if year < services.LAST_YEAR else None,
        "this_year": today.year,
        "can_change": can_change,
        "warnings": selectors.coverage_warnings(today=today) if can_change else [],
    })


@login_required
def years(request):
    """The years the calendar covers and where each comes from."""
    can_change = selectors.can_change_calendar(request.user)
    return render(request, "workdays/year_list.html", {
        "years": selectors.covered_years(),
        "can_change": can_change,
        "warnings": selectors.coverage_warnings() if can_change else [],
        "next_year": timezone.localdate().year + 1,
    })


def _initial_rows(year: int) -> tuple[list[dict], list[dict], str]:
    """What the year's form starts with: the calendar's current days, else the notice's festivals."""
    periods = selectors.periods_of_year(year) if selectors.year_is_covered(year) else []
    holidays = [{"name": p.name, "start": p.start, "end": p.end} for p in periods if p.kind == "holiday"]
    workdays = [{"date": p.start, "name": p.name} for p in periods if p.kind == "workday"]
    if not holidays:
        holidays = [{"name": name} for name in FESTIVALS]
    holidays += [{}] * 2
    workdays += [{}] * max(2, 6 - len(workdays))
    stored = CalendarYear.objects.filter(year=year).first()
    return holidays, workdays, stored.notice if stored else ""


@login_required
def year_edit(request, year: int):
    """The operator enters a year's holidays and swapped working days from the State Council's notice."""
    _operator_or_404(request)
    year = _year_or_404(year)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        holiday_rows = HolidayFormSet(request.POST, prefix="holidays")
        workday_rows = WorkdayFormSet(request.POST, prefix="workdays")
        form_valid = form.is_valid()
        if holiday_rows.is_valid() & workday_rows.is_valid():
            # the rows are checked even when the notice is missing, so every problem shows at once
            holidays = entered_rows(holiday_rows)
            workdays = entered_rows(workday_rows)
            holiday_values = [(row.cleaned_data["start"], row.cleaned_data["end"] or row.cleaned_data["start"],
                               row.cleaned_data["name"]) for _index, row in holidays]
            workday_values = [(row.cleaned_data["date"], row.cleaned_data["name"]) for _index, row in workdays]
            notice = form.cleaned_data.get("notice", "")
            problems = services.check_year_entry(year=year, notice=notice, holidays=holiday_values,
                                                 workdays=workday_values)
            if not form_valid:  # the notice field already says what is wrong with it
                problems = [problem for problem in problems if problem.field != "notice"]
            if problems:
                show_problems(problems, form=form, sections={"holidays": holidays, "workdays": workdays})
            elif form_valid:
                try:
                    services.enter_year(actor=request.user, year=year, holidays=holiday_values,
                                        workdays=workday_values, notice=notice)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(request, _("The holidays of %(year)s have been saved.") % {"year": year})
                    return redirect(f"{reverse('workdays:index')}?year={year}")
        status = 400
    else:
        holidays, workdays, notice = _initial_rows(year)
        form = NoticeForm(initial={"notice": notice})
        holiday_rows = HolidayFormSet(prefix="holidays", initial=holidays)
        workday_rows = WorkdayFormSet(prefix="workdays", initial=workdays)
        status = 200
    return render(request, "workdays/year_form.html", {
        "year": year, "form": form, "holiday_rows": holiday_rows, "workday_rows": workday_rows,
        "covered": selectors.year_is_covered(year),
        "stored": CalendarYear.objects.filter(year=year).first(),
    }, status=status)


@require_POST
@login_required
def year_confirm(request, year: int):
    """The operator records that the built-in days of a year match the State Council's notice."""
    _operator_or_404(request)
    year = _year_or_404(year)
    try:
        services.confirm_package_year(actor=request.user, year=year, notice=request.POST.get("notice", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(year)s has been confirmed.") % {"year": year})
    return redirect("workdays:years")


@login_required
def workday_settings(request):
    """The operator sets the daily receiving windows and the exchange cutoff."""
    _operator_or_404(request)
    current = selectors.working_calendar()
    cutoff_form = CutoffForm(initial={"cutoff": current.cutoff})
    window_initial = [{"pk": w.pk, "name": w.name, "start": w.start, "end": w.end, "sort_order": w.sort_order,
                       "active": w.active} for w in ReceivingWindow.objects.all()]
    window_rows = WindowFormSet(prefix="windows", initial=window_initial)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "cutoff":
        cutoff_form = CutoffForm(request.POST)
        if cutoff_form.is_valid():
            try:
                services.update_cutoff(actor=request.user, cutoff=cutoff_form.cleaned_data["cutoff"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    cutoff_form.add_error(field if field in cutoff_form.fields else None, errors)
            else:
                messages.success(request, _("The exchange cutoff has been saved."))
                return redirect("workdays:settings")
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "windows":
        window_rows = WindowFormSet(request.POST, prefix="windows")
        if window_rows.is_valid():
            rows = entered_rows(window_rows)
            windows = [row.window() for _index, row in rows]
            problems = services.check_windows(windows)
            if problems:
                for problem in problems:
                    if problem.index is not None:
                        rows[problem.index][1].add_error(problem.field, problem.message)
                    else:
                        window_rows.forms[0].add_error(None, problem.message)
            else:
                try:
                    services.update_receiving_windows(actor=request.user, windows=windows)
                except ValidationError as exc:
                    for message in exc.messages:
                        window_rows.forms[0].add_error(None, message)
                else:
                    messages.success(request, _("The receiving windows have been saved."))
                    return redirect("workdays:settings")
        status = 400
    return render(request, "workdays/settings.html", {
        "cutoff_form": cutoff_form, "window_rows": window_rows,
        "window_errors": [error for form in window_rows.forms for error in form.non_field_errors()],
    }, status=status)


def today_panel_context(request) -> dict:
    """The home-page panel: is today a working day, the next receiving window, the cutoff."""
    return selectors.today_summary()
