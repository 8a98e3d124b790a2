"""Render an official document (公文) to PDF in the GB/T 9704-2012 layout.

The text printed here that is not user data (附件：, 抄送：, 印发, 签发人：, the page number's
dashes, heading numbers) is part of the document itself as the standard prescribes it, so it is
Chinese whatever the interface language and is deliberately not marked for translation.
"""

from __future__ import annotations

import math
import re
from html import escape

from django.utils.translation import gettext as _

from zhengtong.documents.rendering import layout as g
from zhengtong.documents.rendering.fonts import font_faces_css, resolve_fonts
from zhengtong.documents.rendering.pdf import render_html, write_pdf
from zhengtong.documents.rendering.types import DocumentLayout, RenderedDocument, SealBox

SEAL_ANCHOR = "zt-seal-"
END_ANCHOR = "zt-end-of-text"


class ClassifiedDocumentRefused(ValueError):
    """Classified documents (秘密 and above) never enter the system."""


def _mm(value: float) -> str:
    return f"{value:.4f}mm"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _stylesheet() -> str:
    fonts = resolve_fonts()
    # A real 小标宋 is heavy by design; the fallbacks are asked for their bold face.
    title_font = fonts["xiaobiaosong"]
    title_weight = "normal" if title_font.heavy and title_font.file is None else "bold"
    small = f"{g.SMALL_SIZE_PT}pt"
    page_number = f"""
        content: "— " counter(page) " —"; font-family: {fonts['songti'].stack()};
        font-size: {small}; line-height: 1; vertical-align: top;
        padding-top: {_mm(g.PAGE_NUMBER_GAP - g.SMALL_SIZE_PT * g.PT / 2)};"""
    return font_faces_css() + f"""
@page {{
    size: A4;
    margin: {_mm(g.MARGIN_TOP)} {_mm(g.MARGIN_RIGHT)} {_mm(g.MARGIN_BOTTOM)} {_mm(g.MARGIN_LEFT)};
    @footnote {{ margin: 0; padding: 0; border: 0; }}
}}
@page :right {{ @bottom-right {{ {page_number} text-align: right; padding-right: {small}; }} }}
@page :left {{ @bottom-left {{ {page_number} text-align: left; padding-left: {small}; }} }}
html {{
    font-family: {fonts['fangsong'].stack()}; font-size: {g.BODY_SIZE_PT}pt;
    line-height: {_mm(g.GRID_LINE_HEIGHT)}; color: #000;
}}
body {{ margin: 0; }}
p, div {{ margin: 0; padding: 0; }}
.heiti {{ font-family: {fonts['heiti'].stack()}; }}
.kaiti {{ font-family: {fonts['kaiti'].stack()}; }}
.xbs {{ font-family: {fonts['xiaobiaosong'].stack()}; font-weight: {title_weight}; }}
.grid {{ letter-spacing: {_mm(g.BODY_LETTER_SPACING)}; overflow-wrap: anywhere; }}
.indent {{ text-indent: {_mm(2 * g.PITCH)}; }}
.header {{ position: relative; }}
.header > div, .header > table {{ position: absolute; }}
.header .meta {{ left: 0; white-space: nowrap; }}
.mark {{ left: 0; width: {_mm(g.TEXT_WIDTH)}; text-align: center; white-space: nowrap;
         transform: scaleY({g.HEADER_MARK_STRETCH}); transform-origin: 0 0; }}
.mark table {{ margin: 0 auto; border-collapse: collapse; }}
.mark td {{ padding: 0; vertical-align: middle; }}
.mark .name {{ display: flex; justify-content: space-between; }}
.number {{ left: 0; width: {_mm(g.TEXT_WIDTH)}; text-align: center; white-space: nowrap; }}
.number.upward {{ text-align: left; padding-left: {_mm(g.PITCH)}; width: auto; }}
.signers {{ right: {_mm(g.PITCH)}; border-collapse: collapse; white-space: nowrap; }}
.signers td {{ padding: 0; vertical-align: top; }}
.signers td.person {{ padding-right: {_mm(g.PITCH)}; }}
.signers td.person:last-child {{ padding-right: 0; }}
.rule {{ left: 0; width: {_mm(g.TEXT_WIDTH)}; height: {_mm(g.RED_RULE_THICKNESS)}; }}
.title {{ font-size: {g.TITLE_SIZE_PT}pt; text-align: center; }}
.blank-before {{ margin-top: {_mm(g.LINE)}; }}
table.attachments {{ width: {_mm(g.TEXT_WIDTH)}; border-collapse: collapse; table-layout: fixed; }}
table.attachments td {{ padding: 0; vertical-align: top; }}
.closing {{ position: relative; break-inside: avoid; break-before: avoid; }}
.closing .row {{ position: relative; height: {_mm(g.LINE)}; white-space: nowrap; }}
.closing .row span {{ position: absolute; top: 0; }}
.seal {{ position: absolute; width: {_mm(g.SEAL_DIAMETER)}; height: {_mm(g.SEAL_DIAMETER)}; }}
.banji {{ float: footnote; font-size: {small}; }}
.banji::footnote-call {{ content: none; }}
.banji::footnote-marker {{ content: none; }}
.banji .cc {{ box-sizing: border-box; padding: 0 {small} 0 calc({small} * 4);
               text-indent: calc({small} * -3); }}
.banji .printer {{ box-sizing: border-box; }}
.banji table {{ width: 100%; border-collapse: collapse; }}
.banji td {{ padding: 0 {small}; white-space: nowrap; }}
.banji td.when {{ text-align: right; }}
"""


def _check_classification(layout: DocumentLayout) -> None:
    if layout.classification.strip() in g.CLASSIFIED_LEVELS or any(
            level in layout.classification for level in g.CLASSIFIED_LEVELS):
        raise ClassifiedDocumentRefused(
            _("Classified documents cannot be handled by this system."))


def _header(layout: DocumentLayout) -> tuple[str, float]:
    """The 版头 as absolutely placed pieces; returns the HTML and its height (whole lines)."""
    parts = []
    meta = []
    if layout.copy_number:
        number = layout.copy_number.strip()
        meta.append(("", number.zfill(6) if number.isdigit() else number))
    if layout.classification:
        text = layout.classification.strip()
        if layout.secrecy_period:
            text += "★" + layout.secrecy_period.strip()
        meta.append(("heiti", text))
    if layout.urgency:
        meta.append(("heiti", layout.urgency.strip()))
    for row, (font, text) in enumerate(meta):
        parts.append(f'<div class="meta {font}" style="top: {_mm(row * g.LINE)}">{_e(text)}</div>')

    header = layout.header
    color = header.color if _is_css_color(header.color) else "#E60012"
    names = [name.strip() for name in header.lines if name.strip()]
    suffix = header.suffix.strip()
    if len(names) <= 1:
        text = (names[0] if names else "") + suffix
        char = min(g.HEADER_MARK_MAX_CHAR, (g.TEXT_WIDTH - 2) / max(g.text_width(text), 1))
        height = char
        inner = _e(text)
        style = f"font-size: {_mm(char)}; line-height: {_mm(char)}"
    else:
        widest = max(g.text_width(name) for name in names)
        suffix_width = g.text_width(suffix) + (0.4 if suffix else 0)
        char = min(g.HEADER_MARK_MAX_CHAR * 0.8, (g.TEXT_WIDTH - 2) / (widest + suffix_width))
        row_height = char * 1.2
        height = row_height * len(names)
        rows = "".join(
            f'<div class="name">{"".join(f"<span>{_e(ch)}</span>" for ch in name)}</div>'
            for name in names)
        suffix_cell = (f'<td class="suffix" style="padding-left: {_mm(char * 0.4)}">'
                       f'{_e(suffix)}</td>' if suffix else "")
        inner = (f'<table><tr><td class="names" style="width: {_mm(widest * char)}">{rows}</td>'
                 f'{suffix_cell}</tr></table>')
        style = f"font-size: {_mm(char)}; line-height: {_mm(row_height)}"
    visual_height = height * g.HEADER_MARK_STRETCH
    parts.append(f'<div class="mark xbs" style="top: {_mm(g.HEADER_MARK_TOP)}; {style}; '
                 f'color: {color}">{inner}</div>')

    # 发文字号: two blank lines below the mark; for 上行文 on the last line of the 签发人.
    number_row = math.ceil((g.HEADER_MARK_TOP + visual_height) / g.LINE - 0.05) + 2
    signers = [name.strip() for name in layout.signers if name.strip()]
    if layout.upward and signers:
        signer_rows = [signers[i:i + 2] for i in range(0, len(signers), 2)]
        rows_html = []
        for index, row in enumerate(signer_rows):
            label = "签发人：" if index == 0 else ""
            cells = "".join(f'<td class="person kaiti">{_e(name)}</td>' for name in row)
            rows_html.append(f"<tr><td>{label}</td>{cells}</tr>")
        parts.append(f'<table class="signers" style="top: {_mm(number_row * g.LINE)}">'
                     f'{"".join(rows_html)}</table>')
        number_row += len(signer_rows) - 1
    number_class = "number upward" if layout.upward else "number"
    parts.append(f'<div class="{number_class}" style="top: {_mm(number_row * g.LINE)}">'
                 f'{_e(layout.number.strip())}</div>')
    # The red rule 4 mm below the number's characters (centred in their line).
    number_bottom = number_row * g.LINE + g.LINE / 2 + g.BODY_SIZE_PT * g.PT / 2
    rule_top = number_bottom + g.RED_RULE_GAP
    parts.append(f'<div class="rule" style="top: {_mm(rule_top)}; background: {color}"></div>')
    # The title two blank lines below the rule.
    title_row = math.ceil((rule_top + g.RED_RULE_THICKNESS) / g.LINE) + 2
    height = title_row * g.LINE
    return (f'<div class="header" style="height: {_mm(height)}">{"".join(parts)}</div>', height)


def _is_css_color(value: str) -> bool:
    return bool(re.fullmatch(r"#[0-9A-Fa-f]{3,8}|[a-z]{3,20}", value or ""))


def _body(layout: DocumentLayout) -> str:
    levels = []
    for block in layout.body:
        if not 0 <= block.level <= 4:
            raise ValueError(_("A body block's level must be between 0 and 4."))
        levels.append(block.level)
    labels = g.number_headings(levels)
    paragraphs = []
    for block, label in zip(layout.body, labels):
        font = {1: "heiti", 2: "kaiti"}.get(block.level, "")
        if block.level == 0:
            for line in block.text.splitlines() or [""]:
                if line.strip():
                    paragraphs.append(f'<p class="grid indent">{_e(line.strip())}</p>')
        else:
            text = " ".join(block.text.split())
            paragraphs.append(f'<p class="grid indent {font} h{block.level}">'
                              f'{_e(label)}{_e(text)}</p>')
    return "".join(paragraphs)


_ATTACHMENT_NUMBER = re.compile(r"^(?:附件\s*)?[0-9０-９]{1,2}\s*[.．、:：]\s*(?=\D)")


def _attachments(layout: DocumentLayout) -> str:
    # The renderer numbers the attachments; a number typed by the drafter is dropped.
    names = [_ATTACHMENT_NUMBER.sub("", name.strip(), count=1) for name in layout.attachments]
    names = [name for name in names if name]
    if not names:
        return ""
    lead = _mm(5 * g.PITCH)  # two characters' indent, then 附件：
    if len(names) == 1:
        columns = f'<col style="width: {lead}"><col>'
        rows = (f'<tr><td style="padding-left: {_mm(2 * g.PITCH)}">附件：</td>'
                f"<td>{_e(names[0])}</td></tr>")
    else:
        number_width = _mm((g.text_width(f"{len(names)}.") + 0.5) * g.PITCH)
        columns = f'<col style="width: {lead}"><col style="width: {number_width}"><col>'
        rows = "".join(
            f'<tr><td style="padding-left: {_mm(2 * g.PITCH)}">{"附件：" if i == 0 else ""}</td>'
            f"<td>{i + 1}.</td><td>{_e(name)}</td></tr>" for i, name in enumerate(names))
    return f'<table class="attachments grid blank-before">{columns}{rows}</table>'


def _closing(layout: DocumentLayout) -> str:
    """发文机关署名, 成文日期 and the room for the seals (GB/T 9704-2012 7.3.5)."""
    signatures = [line.strip() for line in layout.signature_lines if line.strip()]
    date = g.chinese_date(layout.date) if layout.date else ""
    if not signatures and not date:
        return ""
    # Each line of the block: (left offset in mm, text) pieces; no pieces is a blank line.
    rows: list[list[tuple[float, str]]] = []
    seals: list[tuple[float, float]] = []  # (left, top) of each seal, mm within the block
    if layout.seal_space:
        _sealed_closing(signatures, date, rows, seals)
    else:
        # Without a seal: 署名 right with two characters of space, one line below the body,
        # the date on the next line two characters right of the 署名's first character; joint
        # documents list the other 署名 below the first (7.3.5.2).
        rows.append([])
        widest = max([g.text_width(line) for line in signatures] or [0])
        date_width = g.text_width(date)
        if signatures and date_width + 2 > widest:
            date_left = g.CHARS_PER_LINE - 2 - date_width
            signature_left = date_left - 2
        else:
            signature_left = g.CHARS_PER_LINE - 2 - widest
            date_left = signature_left + 2
        rows += [[(signature_left * g.PITCH, line)] for line in signatures]
        if date:
            rows.append([(date_left * g.PITCH, date)])
    html = []
    for pieces in rows:
        spans = "".join(f'<span style="left: {_mm(left)}">{_e(text)}</span>'
                        for left, text in pieces)
        html.append(f'<div class="row grid">{spans}</div>')
    for index, (left, top) in enumerate(seals, start=1):
        name = f"{SEAL_ANCHOR}{index}"
        html.append(f'<div class="seal" id="{name}" style="-weasy-anchor: &quot;{name}&quot;; '
                    f'top: {_mm(top)}; left: {_mm(left)}"></div>')
    return f'<div class="closing">{"".join(html)}</div>'


def _sealed_closing(signatures, date, rows, seals) -> None:
    """Sealed documents: the date right with four characters of space, each 署名 centred
    under its seal, the last seal over the last 署名 and the date; seals in rows that stay
    inside the 版心, the first row's top within one line of the body (7.3.5.1)."""
    date_width = g.text_width(date or "0000年00月00日") * g.PITCH
    centre = g.TEXT_WIDTH - 4 * g.PITCH - date_width / 2
    radius = g.SEAL_DIAMETER / 2
    widest = max([g.text_width(line) * g.PITCH for line in signatures] or [0])
    # Seals neither overlap nor touch, and the names under them keep a character apart.
    step = max(g.SEAL_DIAMETER + 4, widest + g.PITCH)
    per_row = max(1, 1 + int((centre - max(radius, widest / 2)) // step))
    if not signatures:
        rows += [[], [], []]
        seals.append((centre - radius, g.LINE / 2))
        rows.append([(centre - date_width / 2, date)])
        return
    groups = []
    remaining = list(signatures)
    while remaining:  # the last row is full; earlier rows take what is left
        groups.insert(0, remaining[-per_row:])
        remaining = remaining[:-per_row]
    for number, group in enumerate(groups):
        top = len(rows) * g.LINE
        pieces = []
        for position, line in enumerate(group):
            x = centre - step * (len(group) - 1 - position)
            width = g.text_width(line) * g.PITCH
            pieces.append((min(max(x - width / 2, 0), g.TEXT_WIDTH - width), line))
            seals.append((min(max(x - radius, 0), g.TEXT_WIDTH - g.SEAL_DIAMETER),
                          top + g.LINE / 2))
        rows += [[], [], pieces]
        if number < len(groups) - 1:
            rows += [[], []]
    if date:
        rows.append([(centre - date_width / 2, date)])


def _notes(layout: DocumentLayout) -> str:
    notes = " ".join(layout.notes.split())
    if not notes:
        return ""
    if not (notes.startswith(("（", "(")) and notes.endswith(("）", ")"))):
        notes = f"（{notes}）"
    return f'<p class="grid indent">{_e(notes)}</p>'


def _imprint(layout: DocumentLayout) -> str:
    """版记 at the foot of the last page, as a footnote so it sits on the last 版心 line."""
    cc = g.with_ending(" ".join(layout.cc.split()), "。", "。.")
    printer = " ".join(layout.printer.split())
    print_date = f"{g.chinese_date(layout.print_date)}印发" if layout.print_date else ""
    if not (cc or printer or print_date):
        return ""
    rows = []
    if cc:
        last = not (printer or print_date)
        borders = f"border-top: {_mm(g.THICK_RULE)} solid #000;"
        if last:
            borders += f" border-bottom: {_mm(g.THICK_RULE)} solid #000;"
        rows.append(f'<div class="cc" style="{borders} line-height: '
                    f'{_mm(g.LINE - g.THICK_RULE * (2 if last else 1))}">'
                    f"抄送：{_e(cc)}</div>")
    if printer or print_date:
        top = g.THIN_RULE if cc else g.THICK_RULE
        rows.append(f'<div class="printer" style="border-top: {_mm(top)} solid #000; '
                    f'border-bottom: {_mm(g.THICK_RULE)} solid #000; '
                    f'line-height: {_mm(g.LINE - top - g.THICK_RULE)}">'
                    f'<table><tr><td class="who">{_e(printer)}</td>'
                    f'<td class="when">{_e(print_date)}</td></tr></table></div>')
    # The empty block before the call marks where the text ends: when the imprint lands on a
    # page of its own, that page carries no page number (7.5).
    return (f'<div style="-weasy-anchor: &quot;{END_ANCHOR}&quot;"></div>'
            '<div class="imprint-call">'
            f'<span class="banji">{"".join(rows)}</span></div>')


def document_html(layout: DocumentLayout, *, unnumbered_pages: tuple[int, ...] = ()) -> str:
    """The HTML WeasyPrint lays out for ``layout`` (every user string escaped).

    ``unnumbered_pages`` (1-based) get no page number: a page holding only the imprint.
    """
    _check_classification(layout)
    header, _height = _header(layout)
    title_lines = g.split_title(layout.title)
    title = "<br>".join(_e(line) for line in title_lines)
    recipients = g.with_ending(" ".join(layout.main_recipients.split()), "：", "：:")
    parts = [
        header,
        f'<div class="title xbs">{title}</div>',
        f'<p class="grid blank-before">{_e(recipients)}</p>' if recipients else "",
        _body(layout),
        _attachments(layout),
        _closing(layout),
        _notes(layout),
        _imprint(layout),
    ]
    # An empty main-recipients line still leaves the blank line below the title.
    if not recipients:
        parts[2] = '<div class="blank-before"></div>'
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(' '.join(title_lines))}</title><style>{_stylesheet()}"
            f"{''.join(_unnumbered(page) for page in unnumbered_pages)}</style>"
            f'</head><body>{"".join(parts)}</body></html>')


def _unnumbered(page: int) -> str:
    return (f"@page :nth({int(page)}) {{ @bottom-right {{ content: none; }} "
            f"@bottom-left {{ content: none; }} }}")


def _page_of(document, anchor: str) -> int | None:
    for index, page in enumerate(document.pages, start=1):
        if anchor in page.anchors:
            return index
    return None


def render_document_with_anchors(layout: DocumentLayout) -> RenderedDocument:
    """Render ``layout`` and report where the seals go, for the seals app to stamp them."""
    document = render_html(document_html(layout))
    end_page = _page_of(document, END_ANCHOR)
    if end_page and len(document.pages) > end_page:
        # The imprint was pushed to a page of its own (WeasyPrint defers a footnote that does
        # not fit): lay out again without the number on that page. Rare, so twice is fine.
        document = render_html(document_html(layout, unnumbered_pages=(len(document.pages),)))
    seal_boxes = []
    page_height_pt = g.PAGE_HEIGHT / g.PT
    px_to_pt = 0.75  # WeasyPrint's CSS pixel is 1/96 in, a PDF point 1/72 in
    for index, page in enumerate(document.pages, start=1):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith(SEAL_ANCHOR):
                size = (x2 - x1) * px_to_pt
                seal_boxes.append(SealBox(page=index, x=x1 * px_to_pt,
                                          y=page_height_pt - y2 * px_to_pt, size=size))
    return RenderedDocument(pdf=write_pdf(document), page_count=len(document.pages),
                            seal_boxes=tuple(seal_boxes))


def render_document(layout: DocumentLayout) -> bytes:
    """Render an official document to PDF in the GB/T 9704-2012 layout."""
    return render_document_with_anchors(layout).pdf
