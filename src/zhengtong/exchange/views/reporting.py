"""Pages of the receiving windows, the 通报 and each unit's 公文通知接收登记表 (thin: forms, selectors, render)."""

from __future__ import annotations

import datetime
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.audit import services as audit
from zhengtong.directory.selectors import is_platform_operator
from zhengtong.exchange import ledger, reports
from zhengtong.exchange.services import windows
from zhengtong.workdays import selectors as workdays

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366


class PeriodForm(forms.Form):
    """This week, this month, last month, or from–to (dates, at most a year)."""

    PERIODS = [("week", gettext_lazy("This week")), ("month", gettext_lazy("This month")),
               ("last_month", gettext_lazy("Last month")), ("custom", gettext_lazy("Custom"))]
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, default: str = "month", **kwargs):
        super().__init__(data, **kwargs)
        self.default = default

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period") or (
            "custom" if cleaned.get("start") or cleaned.get("end") else self.default)
        cleaned["period"] = period
        if period == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both the first and the last day of the period."))
            if end < start:
                raise forms.ValidationError(_("The last day is before the first day."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("A period is at most a year long."))
        return cleaned

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
        period = self.cleaned_data["period"] if self.is_valid() else self.default
        if period == "custom" and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"], period
        if period == "week":
            start = today - datetime.timedelta(days=today.weekday())
            return start, start + datetime.timedelta(days=6), period
        first = today.replace(day=1)
        if period == "last_month":
            end = first - datetime.timedelta(days=1)
            return end.replace(day=1), end, period
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1), "month"


def _operator_or_404(request) -> None:
    if not is_platform_operator(request.user):
        raise Http404


def _period(request, *, default: str = "month"):
    form = PeriodForm(request.GET or None, default=default)
    start, end, period = form.dates(timezone.localdate())
    return form, start, end, period


def _query(start: datetime.date, end: datetime.date) -> str:
    """The exports' query: the period's dates, so that the file holds exactly what the page shows."""
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


def _download(content: bytes, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the operator's pages ------------------------------------------------------------------------

@login_required
def windows_overview(request):
    """seed 000: today's receiving windows (or ``?day=``): which units received in them, which did not."""
    _operator_or_404(request)
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET["day"]) if request.GET.get("day") else today
    except ValueError:
        raise Http404 from None
    calendar = workdays.working_calendar()
    slots = reports.windows_overview(day)
    expected = windows.units_with_clerks().count()
    return render(request, "exchange/reports/windows.html", {
        "day": day, "today": today, "slots": slots, "expected": expected,
        "is_working_day": calendar.is_working_day(day),
        "previous_day": calendar.previous_working_day(day), "next_day": calendar.next_working_day(day),
        "missed_week": windows.missed_by_unit(start=day - datetime.timedelta(days=6), end=day),
        "week_start": day - datetime.timedelta(days=6),
        "nav_active": "exchange-report", "tab": "windows",
    })


def _report_rows(request):
    _operator_or_404(request)
    form, start, end, period = _period(request)
    return form, start, end, period, reports.receiving_report(start=start, end=end)


@login_required
def report(request):
    """The 通报: every unit's on-time rate, delays, overdue, returns and windows, as a chart and a table."""
    form, start, end, period, rows = _report_rows(request)
    chart = {
        "labels": [row.unit.display_name for row in rows if row.judged],
        "rate": [row.on_time_rate for row in rows if row.judged],
        "windows": [row.windows_rate for row in rows if row.judged],
        "rate_label": _("On-time rate (%)"), "windows_label": _("Windows attended (%)"),
    }
    return render(request, "exchange/reports/report.html", {
        "form": form, "start": start, "end": end, "period": period, "rows": rows,
        "total": reports.totals(rows), "chart": chart, "query": _query(start, end),
        "windows_total": reports.windows_in_period(start, end),
        "nav_active": "exchange-report", "tab": "report",
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
def report_export(request):
    """The 通报 as an Excel workbook (A4 landscape)."""
    form, start, end, period, rows = _report_rows(request)
    stream = io.BytesIO()
    count = reports.write_report(rows, stream, start=start, end=end)
    _audit_report(request, start, end, count, "xlsx")
    return _download(stream.getvalue(), content_type=XLSX, name=f"tongbao-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


@login_required
def report_pdf(request):
    """The 通报 as a printable PDF."""
    form, start, end, period, rows = _report_rows(request)
    content = reports.report_pdf(rows, start=start, end=end)
    _audit_report(request, start, end, len(rows), "pdf")
    return _download(content, content_type="application/pdf", name=f"tongbao-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


def _audit_report(request, start, end, count, file_format):
    audit.record(actor=request.user, action="exchange.report.export",
                 summary=_("Exported the receiving report %(start)s to %(end)s (%(count)s units)") % {
                     "start": start.isoformat(), "end": end.isoformat(), "count": count},
                 changes={"start": start.isoformat(), "end": end.isoformat(), "format": file_format})


# --- the unit's 接收登记表 ---------------------------------------------------------------------------

def _ledger(request):
    unit = ledger.ledger_unit_for(request.user, getattr(request, "unit", None))
    form, start, end, period = _period(request)
    lines = ledger.ledger_lines(ledger.received_deliveries(unit, start=start, end=end)[:5000])
    return unit, form, start, end, period, lines


@login_required
def ledger_page(request):
    """公文通知接收登记表 of the current unit for a period (its clerks, unit admins and leaders)."""
    unit, form, start, end, period, lines = _ledger(request)
    return render(request, "exchange/reports/ledger.html", {
        "unit": unit, "form": form, "start": start, "end": end, "period": period, "lines": lines,
        "query": _query(start, end), "nav_active": "exchange-ledger",
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
def ledger_export(request):
    unit, form, start, end, period, lines = _ledger(request)
    stream = io.BytesIO()
    ledger.write_ledger(lines, stream, unit=unit, start=start, end=end)
    _audit_ledger(request, unit, start, end, len(lines), "xlsx")
    return _download(stream.getvalue(), content_type=XLSX,
                     name=f"jieshou-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


@login_required
def ledger_pdf(request):
    unit, form, start, end, period, lines = _ledger(request)
    content = ledger.ledger_pdf(lines, unit=unit, start=start, end=end)
    _audit_ledger(request, unit, start, end, len(lines), "pdf")
    return _download(content, content_type="application/pdf",
                     name=f"jieshou-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


def _audit_ledger(request, unit, start, end, count, file_format):
    audit.record(actor=request.user, action="exchange.ledger.export", unit=unit,
                 summary=_("Exported the register of received documents %(start)s to %(end)s (%(count)s lines)")
                 % {"start": start.isoformat(), "end": end.isoformat(), "count": count},
                 changes={"start": start.isoformat(), "end": end.isoformat(), "format": file_format,
                          "count": count})
