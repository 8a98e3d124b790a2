"""PDF rendering of official documents (GB/T 9704-2012) and processing sheets (公文排版).

Pure functions over dataclasses: the documents app maps its models to these types.
"""

from zhengtong.documents.rendering.document import (
    ClassifiedDocumentRefused,
    document_html,
    render_document,
    render_document_with_anchors,
)
from zhengtong.documents.rendering.fonts import font_report
from zhengtong.documents.rendering.sheet import render_processing_sheet, sheet_html
from zhengtong.documents.rendering.types import (
    BodyBlock,
    DocumentLayout,
    ProcessingSheet,
    RedHeader,
    RenderedDocument,
    SealBox,
    SheetEntry,
    SheetSection,
)



def warm_up() -> None:
    """Pay the one-off costs (font discovery, WeasyPrint's bindings, the title segmenter) now,
    e.g. when a worker starts, instead of in the first request that renders a document."""
    from zhengtong.documents.rendering.layout import split_title
    from zhengtong.documents.rendering.samples import sample_layout

    split_title("鹤山区农业农村局关于做好2026年冬春农田水利基本建设工作的通知")
    render_document(sample_layout(1))


__all__ = [
    "BodyBlock",
    "ClassifiedDocumentRefused",
    "DocumentLayout",
    "ProcessingSheet",
    "RedHeader",
    "RenderedDocument",
    "SealBox",
    "SheetEntry",
    "SheetSection",
    "document_html",
    "font_report",
    "render_document",
    "render_document_with_anchors",
    "render_processing_sheet",
    "sheet_html",
    "warm_up",
]
