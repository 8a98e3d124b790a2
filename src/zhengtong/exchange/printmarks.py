"""Marks on printed and 脱密 copies of an exchanged document (seed 001 第三十四条–第三十七条).

Every page of a controlled print carries the copy number ("第 3 份/共 5 份"), the receiving unit,
the person and the time, and a QR code whose link verifies that paper copy. A 脱密下载 copy carries
"脱密件 — 相当于复印件" instead and no longer any digital signature (第三十六条: it is the same as a
photocopy of the paper document).

The mark is an overlay page drawn by WeasyPrint with the renderer's Chinese fonts and merged onto
every page with pypdf. Signature fields are flattened first: the seal's picture stays on the page
as ordinary content, the signature itself is gone, so no copy can pass for the sealed original.
Pure functions of bytes: no database here.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import segno
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

# PDF annotation flags (ISO 32000-1, 12.5.3)
_HIDDEN = 1 << 1
_NO_VIEW = 1 << 5


@dataclass(frozen=True)
class CopyMark:
    """What is printed on every page of a copy."""

    headline: str  # "第 3 份/共 5 份" or "脱密件 — 相当于复印件"
    lines: tuple[str, ...]  # the receiving unit; who and when
    verify_url: str  # the QR code's link (/verify/c/<token>)
    declassified: bool = False
    hint: str = ""  # a small line under the others ("扫描右侧二维码核验此件")
    watermark: str = ""  # large faint text across the page (脱密件)


def qr_svg_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (vector, sharp on paper)."""
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#000", light=None)


def _stack(role: str) -> str:
    from zhengtong.documents.rendering.fonts import resolve_fonts

    return resolve_fonts()[role].stack()


def overlay_html(mark: CopyMark, *, width_pt: float, height_pt: float) -> str:
    """One transparent page of the given size with the mark in its top margin (above the 版心)."""
    from zhengtong.documents.rendering.fonts import font_faces_css

    headline_colour = "#b3141b" if mark.declassified else "#111"
    lines = "".join(f'<div class="line">{html.escape(line)}</div>' for line in mark.lines)
    hint = f'<div class="hint">{html.escape(mark.hint)}</div>' if mark.hint else ""
    watermark = (f'<div class="watermark">{html.escape(mark.watermark)}</div>' if mark.watermark else "")
    # GB/T 9704 leaves 37 mm above the 版心: the mark sits in the top 30 mm, the QR code at the right.
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
{font_faces_css()}
@page {{ size: {width_pt:.2f}pt {height_pt:.2f}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; background: transparent; }}
.qr {{ position: absolute; top: 7mm; right: 12mm; width: 21mm; height: 21mm; }}
.mark {{ position: absolute; top: 7.5mm; right: 36mm; width: 110mm; text-align: right;
         font-family: {_stack("songti")}; font-size: 8.5pt; line-height: 1.4; color: #222; }}
.headline {{ font-family: {_stack("heiti")}; font-size: 12pt; font-weight: bold; color: {headline_colour};
             margin-bottom: 0.8mm; letter-spacing: 0.3pt; }}
.hint {{ font-size: 7pt; color: #555; }}
.watermark {{ position: absolute; top: {height_pt / 2 - 40:.1f}pt; left: 0; width: {width_pt:.1f}pt;
              text-align: center; transform: rotate(-32deg); font-family: {_stack("heiti")};
              font-size: 80pt; color: rgba(179, 20, 27, 0.10); letter-spacing: 12pt; }}
</style></head><body>
{watermark}
<img class="qr" src="{qr_svg_data_uri(mark.verify_url)}" alt="">
<div class="mark"><div class="headline">{html.escape(mark.headline)}</div>{lines}
{hint}</div>
</body></html>"""


def render_overlay(mark: CopyMark, *, width_pt: float, height_pt: float) -> bytes:
    from weasyprint import HTML

    from zhengtong.documents.rendering.fonts import font_configuration

    source = overlay_html(mark, width_pt=width_pt, height_pt=height_pt)
    return HTML(string=source).write_pdf(font_config=font_configuration())


def _bbox_after(matrix: list[float], bbox: list[float]) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = matrix
    x1, y1, x2, y2 = bbox
    points = [(a * x + c * y + e, b * x + d * y + f) for x, y in ((x1, y1), (x1, y2), (x2, y1), (x2, y2))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _normal_appearance(annotation):
    appearance = annotation.get("/AP")
    if appearance is None:
        return None
    normal = appearance.get_object().get("/N")
    if normal is None:
        return None
    normal = normal.get_object()
    if "/BBox" not in normal:  # a dictionary of states (check boxes): the current one
        state = annotation.get("/AS")
        normal = normal.get(state).get_object() if state is not None and state in normal else None
    return normal


def _flatten_widgets(writer: PdfWriter, page) -> int:
    """Draw the page's form widgets (the seals' pictures) into its content and drop the widgets."""
    annotations = page.get("/Annots")
    if annotations is None:
        return 0
    kept = ArrayObject()
    drawing = []
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
    resources = resources.get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    flattened = 0
    for reference in annotations.get_object():
        annotation = reference.get_object()
        if annotation.get("/Subtype") != "/Widget":
            kept.append(reference)
            continue
        flattened += 1
        flags = int(annotation.get("/F", 0))
        normal = _normal_appearance(annotation)
        if normal is None or flags & (_HIDDEN | _NO_VIEW):
            continue
        rx1, ry1, rx2, ry2 = (float(v) for v in annotation["/Rect"])
        rx1, rx2 = sorted((rx1, rx2))
        ry1, ry2 = sorted((ry1, ry2))
        matrix = [float(v) for v in normal.get("/Matrix", [1, 0, 0, 1, 0, 0])]
        bx1, by1, bx2, by2 = _bbox_after(matrix, [float(v) for v in normal["/BBox"]])
        if bx2 - bx1 <= 0 or by2 - by1 <= 0:
            continue
        sx, sy = (rx2 - rx1) / (bx2 - bx1), (ry2 - ry1) / (by2 - by1)
        normal[NameObject("/Type")] = NameObject("/XObject")
        normal[NameObject("/Subtype")] = NameObject("/Form")
        name = f"/ZtSeal{flattened}"
        xobjects[NameObject(name)] = normal.indirect_reference or writer._add_object(normal)
        drawing.append(f"q {sx:.6f} 0 0 {sy:.6f} {rx1 - sx * bx1:.4f} {ry1 - sy * by1:.4f} cm {name} Do Q")
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]
    if drawing:
        contents = page.get_contents()
        data = b"q\n" + (contents.get_data() if contents is not None else b"") + b"\nQ\n"
        stream = DecodedStreamObject()
        stream.set_data(data + "\n".join(drawing).encode("ascii") + b"\n")
        page.replace_contents(stream)
    return flattened


def remove_signatures(writer: PdfWriter) -> int:
    """Flatten every form widget and drop the form, DocMDP permissions and validation data.

    Returns how many widgets were flattened. Afterwards the file holds no signature at all.
    """
    count = sum(_flatten_widgets(writer, page) for page in writer.pages)
    root = writer._root_object
    for key in ("/AcroForm", "/Perms", "/DSS"):
        if key in root:
            del root[key]
    return count


def mark_pdf(pdf: bytes, mark: CopyMark) -> bytes:
    """The copy of ``pdf`` with ``mark`` on every page and no signature left in it."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    remove_signatures(writer)
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        if page.get("/Rotate", 0):
            page.transfer_rotation_to_content()
        box = page.mediabox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        if size not in overlays:
            rendered = render_overlay(mark, width_pt=size[0], height_pt=size[1])
            overlays[size] = PdfReader(io.BytesIO(rendered)).pages[0]
        page.merge_transformed_page(overlays[size], Transformation().translate(float(box.left),
                                                                               float(box.bottom)))
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    writer.add_metadata({"/Producer": "Zhengtong"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
