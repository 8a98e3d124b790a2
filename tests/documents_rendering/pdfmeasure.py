"""Measuring rendered PDFs: text lines with their boxes in millimetres (pdfplumber)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4  # points per millimetre


@dataclass
class Line:
    page: int  # 1-based
    text: str
    top: float  # mm from the top of the page (character box: the em square)
    bottom: float
    x0: float
    x1: float
    size: float  # points
    fonts: set[str]
    chars: list

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def lines_of(pdf: bytes) -> list[Line]:
    """Every text line of every page, in reading order (chars grouped by their top)."""
    result = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            rows: dict[float, list] = {}
            for char in page.chars:
                key = round(char["top"] / MM, 0)
                # join a char to a row within 0.6 mm, whatever the rounding
                for existing in rows:
                    if abs(existing - char["top"] / MM) < 0.6:
                        key = existing
                        break
                else:
                    key = char["top"] / MM
                rows.setdefault(key, []).append(char)
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c["x0"])
                result.append(Line(
                    page=number,
                    text="".join(c["text"] for c in chars),
                    top=min(c["top"] for c in chars) / MM,
                    bottom=max(c["bottom"] for c in chars) / MM,
                    x0=chars[0]["x0"] / MM,
                    x1=chars[-1]["x1"] / MM,
                    size=max(c["size"] for c in chars),
                    fonts={c["fontname"].split("+")[-1] for c in chars},
                    chars=chars,
                ))
    return result


def rects_of(pdf: bytes, page: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [{**rect, **{k: rect[k] / MM for k in ("x0", "x1", "top", "bottom")}}
                for rect in document.pages[page - 1].rects]


def page_count(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def dark_runs(pdf: bytes, page: int, x_mm: float, top_mm: float, bottom_mm: float,
              dpi: int = 600) -> list[tuple[float, float]]:
    """Rasterise one pixel column of a page with poppler and return its dark runs (mm)."""
    px = dpi / 25.4
    y0 = int(top_mm * px)
    height = int((bottom_mm - top_mm) * px)
    with tempfile.TemporaryDirectory() as directory:
        source = f"{directory}/in.pdf"
        with open(source, "wb") as file:
            file.write(pdf)
        subprocess.run(
            ["pdftoppm", "-gray", "-singlefile", "-r", str(dpi), "-f", str(page), "-l", str(page),
             "-x", str(int(x_mm * px)), "-y", str(y0), "-W", "1", "-H", str(height),
             source, f"{directory}/out"], capture_output=True, check=True)
        with open(f"{directory}/out.pgm", "rb") as file:
            output = file.read()
    # PGM: "P5\n1 H\n255\n" then one byte per pixel
    header_end = 0
    for _ in range(3):
        header_end = output.index(b"\n", header_end) + 1
    pixels = output[header_end:]
    runs, start = [], None
    for index, value in enumerate(pixels):
        dark = value < 128
        if dark and start is None:
            start = index
        if not dark and start is not None:
            runs.append(((y0 + start) / px, (y0 + index) / px))
            start = None
    if start is not None:
        runs.append(((y0 + start) / px, (y0 + len(pixels)) / px))
    return runs
