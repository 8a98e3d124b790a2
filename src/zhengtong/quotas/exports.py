"""The monthly 双百考核 website scores as an Excel workbook (A4 landscape, ready to print)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from zhengtong.quotas.models import MonthlyScore
from zhengtong.quotas.periods import Period

WIDTHS = [8, 36, 14, 14, 14, 12, 12, 60]
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def details_text(score: MonthlyScore) -> str:
    """Each rule of the month: name met/assessed, e.g. 部门工作动态每周至少 1 篇 3/4."""
    return "；".join(f"{row['name']} {row['met']}/{row['assessed']}" for row in score.details)


def write_scores(scores: Iterable[MonthlyScore], month: Period, stream: BinaryIO) -> int:
    """Write the month's ranked scores as one sheet into ``stream``; return the number of units."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scores %(month)s") % {"month": month.key}
    headers = [_("Rank"), _("Unit"), _("Public part"), _("Information part"), _("Total"), _("Periods met"),
               _("Periods missed"), _("Rules (met/assessed)")]
    title = _("Website update assessment (双百考核) of %(month)s") % {"month": month.label}
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    count = 0
    for score in scores:
        sheet.append([score.rank, score.unit.name, float(score.public_score), float(score.information_score),
                      float(score.total), score.periods_met, score.periods_missed, details_text(score)])
        row = sheet.max_row
        for column in (3, 4, 5):
            sheet.cell(row=row, column=column).number_format = "0.0"
        sheet.cell(row=row, column=2).data_type = "s"
        sheet.cell(row=row, column=8).alignment = Alignment(wrap_text=True, vertical="top")
        count += 1
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=len(headers)):
        for cell in row:
            cell.border = BOX
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = _("Exported %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    book.save(stream)
    return count
