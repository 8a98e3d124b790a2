"""Render a processing sheet (发文稿纸 / 收文处理单) to PDF: an A4 form with ruled boxes.

Field and section labels are data (the documents app passes them in the unit's language);
the few words the sheet adds itself are interface text, marked for translation.
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from zhengtong.documents.rendering.fonts import font_faces_css, resolve_fonts
from zhengtong.documents.rendering.layout import chinese_date, text_width
from zhengtong.documents.rendering.pdf import render_html, write_pdf
from zhengtong.documents.rendering.types import ProcessingSheet, SheetEntry

WIDE_FIELD = 14  # characters: a longer value takes the whole row


def _e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.strip().splitlines())


def _stylesheet() -> str:
    fonts = resolve_fonts()
    title_font = fonts["xiaobiaosong"]
    title_weight = "normal" if title_font.heavy and title_font.file is None else "bold"
    return font_faces_css() + f"""
@page {{
    size: A4; margin: 18mm 18mm 16mm 18mm;
    @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt;
                      font-family: {fonts['songti'].stack()}; }}
}}
html {{ font-family: {fonts['songti'].stack()}; font-size: 11pt; line-height: 1.5; color: #000; }}
body {{ margin: 0; }}
h1 {{ font-family: {title_font.stack()}; font-weight: {title_weight}; font-size: 22pt;
      text-align: center; margin: 0 0 1mm; line-height: 1.4; letter-spacing: 0.1em; color: #c00; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 4mm;
         border: 0.6mm solid #c00; }}
td, th {{ border: 0.25mm solid #c00; padding: 1.5mm 2mm; vertical-align: top;
          overflow-wrap: anywhere; }}
th {{ font-weight: normal; font-family: {fonts['heiti'].stack()}; text-align: center;
      vertical-align: middle; }}
tr.section td {{ height: 30mm; }}
tr.section {{ break-inside: avoid; }}
.entry {{ margin: 0 0 2mm; break-inside: avoid; }}
.entry .decision {{ font-family: {fonts['heiti'].stack()}; margin-right: 0.5em; }}
.entry .opinion {{ font-family: {fonts['kaiti'].stack()}; font-size: 12pt; }}
.entry .sign {{ text-align: right; font-size: 10pt; }}
.footer {{ margin-top: 3mm; font-size: 9pt; }}
"""


def _sign_line(entry: SheetEntry) -> str:
    person = entry.person.strip()
    if entry.on_behalf_of.strip():
        person = _("%(person)s (on behalf of %(principal)s)") % {
            "person": person, "principal": entry.on_behalf_of.strip()}
    when = ""
    if entry.time is not None:
        # The form's own date style, as on the paper sheet: 2026年11月21日 10:05.
        when = f"{chinese_date(entry.time)} {entry.time:%H:%M}"
    return " ".join(part for part in ("—", person, when) if part)


def _entry(entry: SheetEntry) -> str:
    decision = (f'<span class="decision">{_e(entry.decision.strip())}</span>'
                if entry.decision.strip() else "")
    return (f'<div class="entry"><div>{decision}<span class="opinion">{_lines(entry.opinion)}'
            f'</span></div><div class="sign">{_e(_sign_line(entry))}</div></div>')


def _field_row(left: tuple[str, str], right: tuple[str, str] | None = None) -> str:
    """Two fields side by side, or one across the whole width."""
    cells = f"<th>{_e(left[0])}</th>"
    if right is None:
        return f'<tr>{cells}<td colspan="3">{_lines(left[1])}</td></tr>'
    return (f"<tr>{cells}<td>{_lines(left[1])}</td><th>{_e(right[0])}</th>"
            f"<td>{_lines(right[1])}</td></tr>")


def sheet_html(sheet: ProcessingSheet) -> str:
    """The HTML WeasyPrint lays out for ``sheet`` (every user string escaped)."""
    rows = []
    pending: tuple[str, str] | None = None  # a short field waiting for its right-hand neighbour
    for label, value in sheet.fields:
        if text_width(value) > WIDE_FIELD:
            if pending is not None:
                rows.append(_field_row(pending))
                pending = None
            rows.append(_field_row((label, value)))
        elif pending is None:
            pending = (label, value)
        else:
            rows.append(_field_row(pending, (label, value)))
            pending = None
    if pending is not None:
        rows.append(_field_row(pending))
    for section in sheet.sections:
        entries = "".join(_entry(entry) for entry in section.entries)
        rows.append(f'<tr class="section"><th>{_e(section.label)}</th>'
                    f'<td colspan="3">{entries}</td></tr>')
    unit = sheet.unit_name.strip()
    title = sheet.title.strip()
    heading = title if unit and title.startswith(unit) else f"{unit}{title}"
    footer = f'<p class="footer">{_lines(sheet.footer)}</p>' if sheet.footer.strip() else ""
    columns = '<colgroup><col style="width: 16%"><col style="width: 34%">' \
              '<col style="width: 16%"><col style="width: 34%"></colgroup>'
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(heading)}</title><style>{_stylesheet()}</style></head><body>"
            f'<h1>{_e(heading)}</h1><table>{columns}{"".join(rows)}</table>{footer}'
            "</body></html>")


def render_processing_sheet(sheet: ProcessingSheet) -> bytes:
    """Render a 发文稿纸 or 收文处理单 as an A4 PDF form with one ruled box per section."""
    return write_pdf(render_html(sheet_html(sheet)))
