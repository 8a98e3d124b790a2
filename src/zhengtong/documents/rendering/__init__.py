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
]
