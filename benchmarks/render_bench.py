"""How long rendering an official document (GB/T 9704-2012) to PDF takes.

    .venv/bin/python benchmarks/render_bench.py [--runs N]

Prints the median wall time to render the sample 通知 of one page and of three pages (and the
processing sheet), after one warm-up render that loads fonts and the title segmenter. Also prints
the fonts used and whether HarfBuzz's subsetting library is present: without libharfbuzz-subset0
WeasyPrint subsets CJK fonts with fontTools, which takes seconds per document.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ["ZHENGTONG_DATA_DIR"] = tempfile.mkdtemp(prefix="zt-render-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)

import pypdf  # noqa: E402

from zhengtong.documents.rendering import (  # noqa: E402
    font_report,
    render_document,
    render_processing_sheet,
)
from zhengtong.documents.rendering.samples import sample_layout, sample_sheet  # noqa: E402


def median_time(label: str, function, runs: int) -> bytes:
    result = function()  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    pages = len(pypdf.PdfReader(__import__("io").BytesIO(result)).pages)
    print(f"{label:<34} {pages} page(s)  median {statistics.median(times) * 1000:7.0f} ms  "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs, "
          f"{len(result) / 1024:.0f} KiB)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subset = ctypes.util.find_library("harfbuzz-subset")
    print(f"libharfbuzz-subset: {subset or 'MISSING (apt-get install libharfbuzz-subset0)'}")
    print("fonts:", ", ".join(f"{role}={family}" for role, family in font_report().items()))
    started = time.perf_counter()
    render_document(sample_layout(1))
    print(f"first render (fonts, segmenter)    {(time.perf_counter() - started) * 1000:.0f} ms")
    median_time("document, one page", lambda: render_document(sample_layout(1)), args.runs)
    median_time("document, three pages", lambda: render_document(sample_layout(3)), args.runs)
    median_time("processing sheet", lambda: render_processing_sheet(sample_sheet()), args.runs)


if __name__ == "__main__":
    main()
