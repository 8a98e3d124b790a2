"""Reading and writing the people sheets (.xlsx) with openpyxl: template, upload, export, passwords."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhengtong.directory.imports.columns import COLUMNS, STATUS_COLUMN, header_map, normalised_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A 2 MB upload that unpacks to far more than any real sheet of 5,000 people is refused (zip bomb).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Rows that only carry formatting are skipped, but only so many of them are read.
MAX_SCANNED_ROWS = 4 * MAX_ROWS
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 10
# Columns kept as text so that Excel does not turn 13812345678 into 1.38E+10.
TEXT_COLUMNS = {"username", "mobile", "office_phone"}

SHEET_PEOPLE = pgettext_lazy("people sheet title", "People")
SHEET_INSTRUCTIONS = pgettext_lazy("people sheet title", "Instructions")
SHEET_EXAMPLE = pgettext_lazy("people sheet title", "Example")
SHEET_LISTS = pgettext_lazy("people sheet title", "Lists")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="A61B1B")
_NOTE_FONT = Font(bold=True, color="A61B1B")


class SheetError(ValidationError):
    """The upload is not a people sheet we can read (wrong format, empty, too big…)."""


@dataclass(frozen=True)
class SheetRow:
    row: int  # the row number Excel shows
    values: dict[str, str]


# --- reading -----------------------------------------------------------------------------------

def read_people_sheet(data: bytes) -> list[SheetRow]:
    """The non-empty rows under the header row of the people sheet, as text by column key."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise SheetError(_("This is an old Excel 97-2003 (.xls) file. Open it in Excel or WPS, save it as "
                           "an Excel workbook (.xlsx) and upload that."), code="xls")
    if data[:4] != b"PK\x03\x04":
        raise SheetError(_("This file is not an Excel workbook (.xlsx). Download the template, fill it in "
                           "and upload it."), code="format")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SheetError(_("The file is damaged and cannot be read as an Excel workbook (.xlsx)."),
                         code="damaged") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(_("The workbook is too large to read. Keep only the people sheet and upload it "
                           "again."), code="unpacked")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file it cannot understand
        raise SheetError(_("The file is damaged and cannot be read as an Excel workbook (.xlsx)."),
                         code="damaged") from None
    try:
        return _read_rows(_people_worksheet(workbook))
    finally:
        workbook.close()


def _titles(lazy) -> set[str]:
    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(str(lazy))
    return titles


def _people_worksheet(workbook):
    """The sheet named like the template's people sheet, else the first ordinary worksheet."""
    wanted = _titles(SHEET_PEOPLE)
    skipped = _titles(SHEET_INSTRUCTIONS) | _titles(SHEET_EXAMPLE) | _titles(SHEET_LISTS)
    sheets = [sheet for sheet in workbook.worksheets if hasattr(sheet, "iter_rows")]
    for sheet in sheets:
        if sheet.title.strip() in wanted:
            return sheet
    for sheet in sheets:
        if sheet.title.strip() not in skipped and getattr(sheet, "sheet_state", "visible") == "visible":
            return sheet
    if sheets:
        return sheets[0]
    raise SheetError(_("The workbook has no worksheet."), code="empty")


def _read_rows(sheet) -> list[SheetRow]:
    spellings = header_map()
    columns: dict[int, str] | None = None
    rows: list[SheetRow] = []
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        texts = [cell_text(value) for value in cells]
        if columns is None:
            if not any(texts):
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            columns = _header_columns(texts, spellings)
            continue
        if number > MAX_SCANNED_ROWS + HEADER_SEARCH_ROWS:
            raise SheetError(_("The sheet has too many rows: at most %(max)s people can be imported at once.")
                             % {"max": MAX_ROWS}, code="rows")
        values = {key: texts[index] if index < len(texts) else "" for index, key in columns.items()}
        if not any(value for key, value in values.items() if key != STATUS_COLUMN.key):
            continue
        rows.append(SheetRow(row=number, values=values))
        if len(rows) > MAX_ROWS:
            raise SheetError(_("The sheet has too many rows: at most %(max)s people can be imported at once.")
                             % {"max": MAX_ROWS}, code="rows")
    if columns is None:
        raise SheetError(_("The sheet is empty. Fill in the template: one person per row under the header "
                           "row."), code="empty")
    if not rows:
        raise SheetError(_("The sheet has a header row but no people under it."), code="no_rows")
    return rows


def _header_columns(texts: list[str], spellings: dict[str, str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, text in enumerate(texts):
        key = spellings.get(normalised_header(text))
        if key is None:
            continue  # a column of one's own (remarks…) is ignored
        if key in seen:
            raise SheetError(_("The column “%(column)s” appears twice in the header row.") % {"column": text},
                             code="header")
        seen[key] = text
        columns[index] = key
    if "name" not in columns.values():
        raise SheetError(_("The header row has no “%(column)s” column. Use the template: its first row holds "
                           "the column names.") % {"column": COLUMNS[0].label}, code="header")
    return columns


def cell_text(value) -> str:
    """A cell as text: whole numbers without “.0”, dates as YYYY-MM-DD, surrounding space removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


# --- writing -----------------------------------------------------------------------------------

def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_header(sheet, columns, row: int = 1) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=column.header())
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[row].height = 22


def _write_row(sheet, row: int, values: Iterable, columns) -> None:
    for index, (value, column) in enumerate(zip(values, columns), start=1):
        cell = sheet.cell(row=row, column=index, value=value)
        if column.key in TEXT_COLUMNS:
            cell.number_format = "@"


def template_workbook(*, unit_name: str, department_paths: list[str], role_names: list[str]) -> bytes:
    """The template: an empty people sheet with lists to choose from, instructions, and an example."""
    workbook = openpyxl.Workbook()
    people = workbook.active
    people.title = str(SHEET_PEOPLE)
    _write_header(people, COLUMNS)
    people.freeze_panes = "A2"

    lists = workbook.create_sheet(str(SHEET_LISTS))
    lists.cell(row=1, column=1, value=str(COLUMNS[2].label)).font = Font(bold=True)
    lists.cell(row=1, column=2, value=str(COLUMNS[9].label)).font = Font(bold=True)
    for row, path in enumerate(department_paths, start=2):
        lists.cell(row=row, column=1, value=path)
    for row, name in enumerate(role_names, start=2):
        lists.cell(row=row, column=2, value=name)
    lists.column_dimensions["A"].width = 30
    lists.column_dimensions["B"].width = 30
    lists.sheet_state = "hidden"

    last = MAX_ROWS + 1
    # A formula in the file has no leading "=" (Excel repairs the file otherwise).
    title = lists.title.replace("'", "''")
    keys = [column.key for column in COLUMNS]
    if department_paths:
        letter = get_column_letter(keys.index("department") + 1)
        validation = DataValidation(type="list", formula1=f"'{title}'!$A$2:$A${len(department_paths) + 1}",
                                    allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                    errorTitle=_("Unknown department"),
                                    error=_("Choose a department of %(unit)s from the list.") % {"unit": unit_name})
        validation.add(f"{letter}2:{letter}{last}")
        people.add_data_validation(validation)
    if role_names:
        letter = get_column_letter(keys.index("roles") + 1)
        # Several roles may share a cell (拟稿人、承办人), so the list only suggests: a warning, not a stop.
        validation = DataValidation(type="list", formula1=f"'{title}'!$B$2:$B${len(role_names) + 1}",
                                    allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                    errorTitle=_("Several roles?"),
                                    error=_("Separate several roles with 、 — for example 拟稿人、承办人. "
                                            "Choose Yes to keep what you typed."))
        validation.add(f"{letter}2:{letter}{last}")
        people.add_data_validation(validation)
    for key, kind in (("sort_order", "whole"), ("leader_order", "whole")):
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type=kind, operator="between", formula1="0", formula2="999999",
                                    allow_blank=True, showErrorMessage=True, errorStyle="stop",
                                    errorTitle=_("Whole number"), error=_("Enter a whole number from 0 to 999999."))
        validation.add(f"{letter}2:{letter}{last}")
        people.add_data_validation(validation)

    _instructions_sheet(workbook, unit_name=unit_name)
    _example_sheet(workbook, department_paths=department_paths)
    workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    workbook.active = 0
    return _save(workbook)


def _instructions_sheet(workbook, *, unit_name: str) -> None:
    sheet = workbook.create_sheet(str(SHEET_INSTRUCTIONS))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 80
    sheet.cell(row=1, column=1, value=_("People import template for %(unit)s") % {"unit": unit_name}).font = \
        Font(bold=True, size=14)
    rules = [
        _("Fill in the sheet “%(sheet)s”: one person per row under the header row. Do not change the header "
          "row.") % {"sheet": SHEET_PEOPLE},
        _("Columns marked * are required; every other column may be left empty."),
        _("At most %(rows)s people and %(size)s MB per file; save it as an Excel workbook (.xlsx).")
        % {"rows": MAX_ROWS, "size": MAX_FILE_BYTES // (1024 * 1024)},
        _("After the upload every row is checked and shown with the username it will get. If any row has an "
          "error nothing is imported: correct the sheet and upload it again."),
        _("Each new account gets a random one-time password, to be changed at the first sign-in. The "
          "passwords can be downloaded once, right after the import; then they are deleted."),
        _("The sheet “%(sheet)s” shows an example. It is never imported.") % {"sheet": SHEET_EXAMPLE},
    ]
    for row, rule in enumerate(rules, start=3):
        sheet.cell(row=row, column=1, value=f"{row - 2}.")
        cell = sheet.cell(row=row, column=2, value=rule)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 32
    start = len(rules) + 4
    headings = (pgettext("people sheet instructions", "Column"), pgettext("people sheet instructions", "Required"),
                pgettext("people sheet instructions", "How to fill it in"))
    for index, text in enumerate(headings, start=1):
        cell = sheet.cell(row=start, column=index, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for offset, column in enumerate((*COLUMNS, STATUS_COLUMN), start=1):
        row = start + offset
        sheet.cell(row=row, column=1, value=str(column.label))
        sheet.cell(row=row, column=2, value=pgettext("people sheet instructions", "Yes") if column.required
                   else pgettext("people sheet instructions", "No"))
        cell = sheet.cell(row=row, column=3, value=str(column.help))
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _example_sheet(workbook, *, department_paths: list[str]) -> None:
    sheet = workbook.create_sheet(str(SHEET_EXAMPLE))
    note = sheet.cell(row=1, column=1, value=_("EXAMPLE ONLY: this sheet is never imported. Fill in the sheet "
                                               "“%(sheet)s”.") % {"sheet": SHEET_PEOPLE})
    note.font = _NOTE_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    _write_header(sheet, COLUMNS, row=2)
    department = department_paths[0] if department_paths else "办公室"
    examples = [
        ["张三", "", department, "科员", "13800138000", "zhangsan@example.com", "0750-1234567", 10, None,
         "拟稿人、承办人"],
        ["欧阳明", "ouyangming", department, "副局长", "13900139000", "", "0750-1234568转801", 2, 2, "分管领导"],
    ]
    for offset, values in enumerate(examples, start=3):
        _write_row(sheet, offset, values, COLUMNS)


def export_workbook(rows: Iterable[list]) -> bytes:
    """People in the template's layout plus their status, so the file can be edited and imported."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_PEOPLE)
    columns = (*COLUMNS, STATUS_COLUMN)
    _write_header(sheet, columns)
    sheet.freeze_panes = "A2"
    for row, values in enumerate(rows, start=2):
        _write_row(sheet, row, values, columns)
    return _save(workbook)


def passwords_workbook(*, unit_name: str, rows: Iterable[list]) -> bytes:
    """The one-time passwords of an import, with a reminder that they must be changed."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = pgettext("people passwords sheet", "Passwords")
    headings = [pgettext("people passwords sheet", "Row"), str(COLUMNS[0].label), str(COLUMNS[1].label),
                pgettext("people passwords sheet", "One-time password"), str(COLUMNS[2].label),
                str(COLUMNS[4].label)]
    widths = [8, 12, 18, 20, 24, 16]
    note = sheet.cell(row=1, column=1, value=_("Initial passwords for new accounts in %(unit)s. Each one works "
                                               "once: it must be changed at the first sign-in. Hand each person "
                                               "only their own password, then destroy this file.")
                      % {"unit": unit_name})
    note.font = _NOTE_FONT
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.row_dimensions[1].height = 48
    for index, (text, width) in enumerate(zip(headings, widths), start=1):
        cell = sheet.cell(row=2, column=index, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row, values in enumerate(rows, start=3):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.number_format = "@"
    sheet.freeze_panes = "A3"
    return _save(workbook)
