"""The 通报 of electronic document receiving (电子公文接收情况通报) and the receiving windows overview.

Seed 000 (公文每天接收2次, 不迟不误), seed 001 第三十三条 and 第三十七条, seed 002 第八条. Per unit, for
the deliveries that arrived in a period: how many were received by their deadline (``due_at``), how
many late and by how long, how many are still waiting past it, how many were returned, and how many
of the receiving windows in which the unit had something waiting it attended.

When a delivery counts as received: a notice (通知类) when first opened (seed 002 第八条: within
10 minutes); a document at its receipt under 第三十七条 (first print, 脱密下载 or read through the
interface) or when signed for, whichever came first.

Delays are measured in hours of working days: the time between the deadline and the receipt, minus
the weekends and holidays of the working-day calendar in between.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhengtong.directory.models import Unit
from zhengtong.documents.exports import BORDER, CENTRE, HEADER_FILL, WRAP, print_like_a_paper_ledger
from zhengtong.exchange.models import Delivery, Dispatch, WindowAttendance
from zhengtong.exchange.services.windows import pending_counts, units_with_clerks
from zhengtong.workdays import selectors as workdays
from zhengtong.workdays.calendar import WindowSlot, WorkingCalendar

ONE_DAY = datetime.timedelta(days=1)


# --- the period ------------------------------------------------------------------------------------

def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware moments from the start of ``start`` to the start of the day after ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tz),
            datetime.datetime.combine(end + ONE_DAY, datetime.time.min, tz))


def received_expression():
    """The moment a delivery counts as received (see the module docstring), as a query expression."""
    return Case(
        When(dispatch__category=Dispatch.Category.NOTICE,
             then=Coalesce("opened_at", "received_at", "signed_at")),
        When(received_at__isnull=True, then=F("signed_at")),
        When(signed_at__isnull=True, then=F("received_at")),
        When(received_at__lt=F("signed_at"), then=F("received_at")),
        default=F("signed_at"),
    )


def working_delay(calendar: WorkingCalendar, due: datetime.datetime, received: datetime.datetime) -> datetime.timedelta:
    """The time from ``due`` to ``received`` without the days off in between (zero when not late)."""
    if received <= due:
        return datetime.timedelta(0)
    start, end = calendar.local(due), calendar.local(received)
    total = datetime.timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            day_start = datetime.datetime.combine(day, datetime.time.min, calendar.tz)
            day_end = day_start + ONE_DAY
            total += max(datetime.timedelta(0), min(end, day_end) - max(start, day_start))
        day += ONE_DAY
    return total


# --- the 通报 ----------------------------------------------------------------------------------------

@dataclass
class UnitRow:
    """One unit's line of the 通报."""

    unit: Unit
    delivered: int = 0  # arrived in the period (withdrawn ones not counted)
    on_time: int = 0
    late: int = 0
    overdue: int = 0  # still waiting after the deadline
    waiting: int = 0  # still waiting, deadline not reached
    returned: int = 0
    windows_attended: int = 0
    windows_expected: int = 0  # windows in which the unit had something waiting (or received)
    delay: datetime.timedelta = field(default_factory=datetime.timedelta)  # summed over the late ones

    @property
    def judged(self) -> int:
        """Deliveries whose timeliness is known: on time, late, or overdue."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """On time / (on time + late + overdue), as a percentage; None when nothing was due."""
        return round(100 * self.on_time / self.judged, 1) if self.judged else None

    @property
    def average_delay_hours(self) -> float | None:
        """Average lateness of the late receipts, in working-day hours."""
        return round(self.delay.total_seconds() / 3600 / self.late, 1) if self.late else None

    @property
    def windows_rate(self) -> float | None:
        return round(100 * self.windows_attended / self.windows_expected, 1) if self.windows_expected else None


def receiving_report(*, start: datetime.date, end: datetime.date, units=None,
                     now: datetime.datetime | None = None) -> list[UnitRow]:
    """seed 000 / 001 第三十三条: each unit's receiving in [start, end], best on-time rate first.

    ``units``: the units to report on; by default every active unit with a clerk and every unit that
    had a delivery in the period. Three queries whatever the number of deliveries, plus one for the
    late receipts (to measure their delay in working hours).
    """
    now = now or timezone.now()
    since, until = period_bounds(start, end)
    deliveries = (Delivery.objects.filter(delivered_at__gte=since, delivered_at__lt=until)
                  .exclude(status=Delivery.Status.WITHDRAWN)
                  .annotate(receipt=received_expression()))
    if units is not None:
        deliveries = deliveries.filter(unit__in=units)
    live = ~Q(status=Delivery.Status.RETURNED)
    counts = (deliveries.values("unit_id").order_by("unit_id").annotate(
        delivered=Count("pk"),
        on_time=Count("pk", filter=live & Q(receipt__isnull=False, receipt__lte=F("due_at"))),
        late=Count("pk", filter=live & Q(receipt__isnull=False, receipt__gt=F("due_at"))),
        overdue=Count("pk", filter=live & Q(receipt__isnull=True, due_at__lt=now)),
        waiting=Count("pk", filter=live & Q(receipt__isnull=True, due_at__gte=now)),
        returned=Count("pk", filter=Q(status=Delivery.Status.RETURNED)),
    ))
    by_unit = {row["unit_id"]: row for row in counts}
    if units is None:
        unit_qs = Unit.objects.filter(Q(pk__in=units_with_clerks().values("pk")) | Q(pk__in=list(by_unit)))
    else:
        unit_qs = Unit.objects.filter(pk__in=[getattr(unit, "pk", unit) for unit in units])
    rows = {unit.pk: UnitRow(unit=unit) for unit in unit_qs.select_related("category")}
    for unit_id, found in by_unit.items():
        row = rows.get(unit_id)
        if row is not None:
            for name in ("delivered", "on_time", "late", "overdue", "waiting", "returned"):
                setattr(row, name, found[name])
    calendar = workdays.working_calendar()
    late = deliveries.filter(live, receipt__isnull=False, receipt__gt=F("due_at")).values_list(
        "unit_id", "due_at", "receipt")
    for unit_id, due, receipt in late.iterator():
        if unit_id in rows:
            rows[unit_id].delay += working_delay(calendar, due, receipt)
    windows = (WindowAttendance.objects.filter(day__gte=start, day__lte=end, unit_id__in=list(rows))
               .values("unit_id").order_by("unit_id")
               .annotate(expected=Count("pk"), attended=Count("pk", filter=Q(attended_at__isnull=False))))
    for found in windows:
        row = rows[found["unit_id"]]
        row.windows_expected, row.windows_attended = found["expected"], found["attended"]
    return sorted(rows.values(), key=_rank)


def _rank(row: UnitRow):
    rate = row.on_time_rate
    return (rate is None, -(rate or 0), -(row.windows_rate or 0), row.unit.category.sort_order,
            row.unit.sort_order, row.unit.pk)


def totals(rows: Iterable[UnitRow]) -> UnitRow:
    """The whole district's line (the unit left empty)."""
    total = UnitRow(unit=None)
    for row in rows:
        for name in ("delivered", "on_time", "late", "overdue", "waiting", "returned", "windows_attended",
                     "windows_expected", "delay"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def windows_in_period(start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """How many receiving windows the period had (ended ones only)."""
    now = now or timezone.now()
    calendar = workdays.working_calendar()
    count, day = 0, start
    while day <= end:
        count += sum(1 for slot in calendar.windows_on(day) if slot.ends_at <= now)
        day += ONE_DAY
    return count


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def report_columns() -> list[tuple[str, float]]:
    return [(_("No."), 6), (_("Unit"), 30), (_("Delivered"), 9), (_("On time"), 9), (_("Late"), 9),
            (_("Average delay (working hours)"), 12), (_("Overdue, not received"), 11), (_("Returned"), 8),
            (_("Windows attended / with items waiting"), 14), (_("On-time rate"), 10)]


def report_cells(index, row: UnitRow) -> list:
    name = row.unit.name if row.unit is not None else pgettext("report", "Total")
    return [index, name, row.delivered, row.on_time, row.late, _hours(row.average_delay_hours), row.overdue,
            row.returned, f"{row.windows_attended} / {row.windows_expected}", _percent(row.on_time_rate)]


def report_title(start: datetime.date, end: datetime.date) -> str:
    return _("Electronic document receiving report (%(start)s to %(end)s)") % {
        "start": start.isoformat(), "end": end.isoformat()}


def report_explanation() -> str:
    return _("On time: a notice opened, a document printed, downloaded or signed for by its deadline "
             "(notices 10 minutes after delivery; documents the end of the exchange day's last receiving "
             "window). Delays in hours of working days. Windows: the receiving windows (10:00–10:30, "
             "16:00–16:30) in which the unit had documents waiting, and how many it received in.")


def write_report(rows: list[UnitRow], stream: BinaryIO, *, start: datetime.date, end: datetime.date) -> int:
    """The 通报 as an Excel workbook: title, explanation, bordered table, a total line; A4 landscape."""
    cells = [report_cells(index, row) for index, row in enumerate(rows, 1)]
    write_table(stream, title=report_title(start, end), subtitle=report_explanation(),
                sheet_name=_("Receiving report"), columns=report_columns(), rows=cells,
                footer=[report_cells("", totals(rows))])
    return len(rows)


# --- Excel and PDF tables shared with the ledger -----------------------------------------------------

def write_table(stream: BinaryIO, *, title: str, subtitle: str, sheet_name: str,
                columns: list[tuple[str, float]], rows: Iterable[list], footer: Iterable[list] = ()) -> int:
    """A bordered table laid out like the documents ledgers: title row, repeated header, A4 landscape."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    width = len(columns)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(row=1, column=1, value=title)
    cell.font = Font(size=16, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    cell = sheet.cell(row=2, column=1, value=subtitle)
    cell.font = Font(size=9)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 30 if len(subtitle) > 60 else 18
    for column, (label, column_width) in enumerate(columns, start=1):
        cell = sheet.cell(row=3, column=column, value=label)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        cell.border = BORDER
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    sheet.row_dimensions[3].height = 32
    count = 0
    row_index = 3
    for bold, values in [(False, values) for values in rows] + [(True, values) for values in footer]:
        row_index += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = "" if value is None else str(value)
                cell.data_type = "s"  # a title typed as "=…" stays text, never a formula
            cell.border = BORDER
            cell.alignment = WRAP if columns[column - 1][1] >= 16 else CENTRE
            if bold:
                cell.font = Font(bold=True)
        count += not bold
    print_like_a_paper_ledger(sheet, header_rows=3)
    book.save(stream)
    return count


def table_pdf(*, title: str, subtitle: str, columns: list[tuple[str, float]], rows: Iterable[list],
              footer: Iterable[list] = (), note: str = "") -> bytes:
    """The same table as a PDF (WeasyPrint, A4 landscape, the documents renderer's Chinese fonts)."""
    from html import escape

    from zhengtong.documents.rendering.fonts import font_faces_css, resolve_fonts
    from zhengtong.documents.rendering.pdf import render_html, write_pdf

    fonts = resolve_fonts()
    total_width = sum(width for _label, width in columns)
    cols = "".join(f'<col style="width:{100 * width / total_width:.2f}%">' for _label, width in columns)
    head = "".join(f"<th>{escape(label)}</th>" for label, _width in columns)

    def line(values, css=""):
        return f'<tr class="{css}">' + "".join(
            f'<td class="{"wide" if columns[i][1] >= 16 else "narrow"}">{escape("" if v is None else str(v))}</td>'
            for i, v in enumerate(values)) + "</tr>"

    body = "".join(line(values) for values in rows) or (
        f'<tr><td colspan="{len(columns)}" class="empty">{escape(_("Nothing in this period."))}</td></tr>')
    foot = "".join(line(values, "total") for values in footer)
    # "Page &P of &N" (the Excel footer's words) becomes CSS: "第 " counter(page) " 页，共 " counter(pages) " 页".
    words = _("Page &P of &N").replace('"', "")
    before, rest = words.split("&P", 1) if "&P" in words else (words + " ", "")
    middle, after = rest.split("&N", 1) if "&N" in rest else (rest, "")
    page_content = f'"{before}" counter(page) "{middle}" counter(pages) "{after}"'
    html = f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
{font_faces_css()}
@page {{ size: A4 landscape; margin: 14mm 12mm 14mm 12mm;
  @bottom-center {{ content: {page_content}; font-size: 8pt;
                    font-family: {fonts['songti'].stack()}; }} }}
html {{ font-family: {fonts['songti'].stack()}; font-size: 9.5pt; color: #000; }}
h1 {{ font-family: {fonts['xiaobiaosong'].stack()}; font-weight: bold; font-size: 18pt; text-align: center;
      margin: 0 0 2mm; letter-spacing: 0.05em; }}
p.subtitle {{ font-size: 8.5pt; margin: 0 0 3mm; color: #333; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
thead {{ display: table-header-group; }}
th {{ font-family: {fonts['heiti'].stack()}; font-weight: normal; background: #f2f2f2; }}
th, td {{ border: 0.25mm solid #000; padding: 1.2mm 1.5mm; vertical-align: middle; overflow-wrap: anywhere; }}
td.narrow, th {{ text-align: center; }}
tr {{ break-inside: avoid; }}
tr.total td {{ font-family: {fonts['heiti'].stack()}; }}
td.empty {{ text-align: center; color: #666; padding: 6mm; }}
p.note {{ margin-top: 3mm; font-size: 8.5pt; text-align: right; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p class="subtitle">{escape(subtitle)}</p>
<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}{foot}</tbody></table>
{f'<p class="note">{escape(note)}</p>' if note else ''}
</body></html>"""
    return write_pdf(render_html(html))


def report_pdf(rows: list[UnitRow], *, start: datetime.date, end: datetime.date) -> bytes:
    """The 通报 as a printable PDF."""
    cells = [report_cells(index, row) for index, row in enumerate(rows, 1)]
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return table_pdf(title=report_title(start, end), subtitle=report_explanation(), columns=report_columns(),
                     rows=cells, footer=[report_cells("", totals(rows))] if rows else [],
                     note=_("Made on %(time)s") % {"time": made})


# --- the windows overview ------------------------------------------------------------------------

@dataclass
class SlotOverview:
    """One receiving window of a day, as the operator sees it."""

    slot: WindowSlot
    state: str  # "upcoming", "open" or "closed"
    attended: list[WindowAttendance]
    missed: list[WindowAttendance]
    waiting: list[tuple[Unit, int]]  # open/upcoming: units with items waiting that did not receive yet


def windows_overview(day: datetime.date, *, now: datetime.datetime | None = None) -> list[SlotOverview]:
    """seed 000: for each window of ``day``: which units received in it and which did not."""
    now = now or timezone.now()
    calendar = workdays.working_calendar()
    slots = calendar.windows_on(day)
    if not slots:
        return []
    records: dict = {}
    for row in (WindowAttendance.objects.filter(day=day).select_related("unit", "attended_by")
                .order_by("attended_at", "unit__category__sort_order", "unit__sort_order", "unit_id")):
        records.setdefault(row.starts_at, []).append(row)
    waiting_now = None
    result = []
    for slot in slots:
        rows = records.get(slot.starts_at, [])
        attended = [row for row in rows if row.attended_at is not None]
        missed = sorted((row for row in rows if row.attended_at is None), key=lambda row: -row.pending_count)
        state = "closed" if slot.ends_at <= now else ("open" if slot.starts_at <= now else "upcoming")
        waiting: list[tuple[Unit, int]] = []
        if state != "closed":
            if waiting_now is None:
                waiting_now = pending_counts(before=now, units=units_with_clerks())
            came = {row.unit_id for row in attended}
            units = Unit.objects.in_bulk([pk for pk in waiting_now if pk not in came])
            waiting = sorted(((units[pk], waiting_now[pk]) for pk in units), key=lambda item: -item[1])
        result.append(SlotOverview(slot=slot, state=state, attended=attended, missed=missed, waiting=waiting))
    return result
