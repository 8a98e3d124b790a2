"""The audit trail as an Excel workbook (审计记录导出)."""

from __future__ import annotations

import json
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zhengtong.audit.models import AuditRecord

# Excel's limit is 1,048,576 rows; the header takes one.
MAX_ROWS = 1_000_000


def write_workbook(records: QuerySet[AuditRecord], stream: BinaryIO, *, limit: int = MAX_ROWS) -> int:
    """Write ``records`` (newest first) as one sheet into ``stream``; return how many were written.

    The workbook is written in openpyxl's write-only mode and the records are read in chunks, so a
    large export does not hold the trail in memory.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    widths = [8, 20, 14, 24, 20, 28, 14, 28, 48, 48, 16, 66, 66]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    headers = [_("Sequence number"), _("Time"), _("Actor"), _("Unit"), _("Action"), _("Action code"),
               _("Object type"), _("Object"), _("Summary"), _("Changes"), _("Address"), _("Hash"),
               _("Previous hash")]
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for record in records.order_by("-seq")[:limit].iterator(chunk_size=2000):
        sheet.append([
            record.seq,
            timezone.localtime(record.occurred_at).replace(tzinfo=None),
            *(_text(sheet, value) for value in (
                record.actor_name, record.unit_name, record.action_label, record.action,
                record.object_type_label, record.object_repr, record.summary,
                json.dumps(record.changes, ensure_ascii=False) if record.changes else "",
                record.ip_address or "", record.hash, record.prev_hash)),
        ])
        count += 1
    book.save(stream)
    return count


def _text(sheet, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text, never as a formula (a name typed as "=…" stays a name)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
