"""The 发文登记簿 and 收文登记簿 as Excel workbooks laid out like the paper ledger (seed 000, seed 001).

A title row ("鹤山区农业农村局 2026年 发文登记簿"), a bordered header row repeated on every printed
page, fixed column widths, wrapped text, A4 landscape fitted to the page width.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhengtong.documents.models import Document

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
MAX_ROWS = 100_000


def _text(value) -> str:
    return "" if value is None else str(value)


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%Y-%m-%d")


def outgoing_columns() -> list[tuple[str, float]]:
    return [(_("No."), 6), (_("Document number"), 20), (pgettext("document", "Title"), 42), (_("Classification"), 8),
            (_("Urgency"), 8), (_("Main recipients"), 24), (_("Signers"), 10), (pgettext("document", "Date"), 12),
            (_("Copies / printed"), 14), (_("Drafting department / drafter"), 18), (_("Status"), 10)]


def incoming_columns() -> list[tuple[str, float]]:
    return [(_("Incoming number"), 12), (_("Received on"), 12), (_("Source unit"), 22), (_("Source number"), 20),
            (pgettext("document", "Title"), 40), (_("Copies"), 6), (_("Classification"), 8), (_("Urgency"), 8),
            (_("Lead department"), 14), (_("Deadline"), 12), (_("Finished on"), 12), (_("Status"), 10)]


def outgoing_row(index: int, document: Document) -> list:
    printed = _date(document.print_date) or ""
    copies = "" if document.copies is None else str(document.copies)
    drafter = " / ".join(part for part in (getattr(document.drafting_department, "name", ""),
                                           getattr(document.drafter, "name", "")) if part)
    return [index, document.number, document.title, document.get_classification_display(),
            document.get_urgency_display(), document.main_recipients, "、".join(document.signers or []),
            _date(document.document_date), " / ".join(part for part in (copies, printed) if part), drafter,
            document.get_status_display()]


def incoming_row(document: Document) -> list:
    return [document.incoming_number, _date(document.received_at), document.source_unit_name,
            document.source_number, document.title, "" if document.copies is None else document.copies,
            document.get_classification_display(), document.get_urgency_display(),
            getattr(document.lead_department, "name", ""), _date(document.handling_deadline),
            _date(document.finished_at), document.get_status_display()]


def _write(stream: BinaryIO, *, title: str, sheet_name: str, columns: list[tuple[str, float]],
           rows: Iterable[list]) -> int:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    width = len(columns)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(row=1, column=1, value=title)
    cell.font = Font(size=16, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for column, (label, column_width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=column, value=label)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        cell.border = BORDER
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    sheet.row_dimensions[2].height = 28
    count = 0
    for row_index, values in enumerate(rows, start=3):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if isinstance(value, int):
                cell.value = value
            else:
                cell.value = _text(value)
                cell.data_type = "s"  # a title typed as "=…" stays text, never a formula
            cell.border = BORDER
            cell.alignment = WRAP if columns[column - 1][1] >= 14 else CENTRE
        count += 1
        if count >= MAX_ROWS:
            break
    print_like_a_paper_ledger(sheet, header_rows=2)
    book.save(stream)
    return count


def print_like_a_paper_ledger(sheet, *, header_rows: int) -> None:
    """Page set-up of an exported ledger: A4 landscape, one page wide, the title and header rows
    repeated on every page and kept in view, centred, “第 n 页，共 m 页” in the footer."""
    sheet.freeze_panes = f"A{header_rows + 1}"
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = _("Page &P of &N")


def ledger_title(unit_name: str, year: int, ledger: str) -> str:
    return f"{unit_name} {year}年 {ledger}"


def write_outgoing_ledger(documents, stream: BinaryIO, *, unit_name: str, year: int) -> int:
    """发文登记簿 columns: 序号, 发文字号, 标题, 密级, 紧急程度, 主送机关, 签发人, 成文日期, 份数/印发, 拟稿科室/拟稿人, 状态."""
    return _write(stream, title=ledger_title(unit_name, year, _("outgoing document ledger")),
                  sheet_name=_("Outgoing ledger"), columns=outgoing_columns(),
                  rows=(outgoing_row(index, document) for index, document in enumerate(documents.iterator(), 1)))


def write_incoming_ledger(documents, stream: BinaryIO, *, unit_name: str, year: int) -> int:
    """收文登记簿 columns: 收文编号, 收文日期, 来文单位, 来文字号, 标题, 份数, 密级, 紧急程度, 承办科室, 办理时限, 办结日期, 状态."""
    return _write(stream, title=ledger_title(unit_name, year, _("incoming document ledger")),
                  sheet_name=_("Incoming ledger"), columns=incoming_columns(),
                  rows=(incoming_row(document) for document in documents.iterator()))
