import datetime

import pytest

from zhengtong.documents.rendering import (
    BodyBlock,
    DocumentLayout,
    RedHeader,
    render_document,
    render_document_with_anchors,
)
from zhengtong.documents.rendering.samples import sample_layout

from .pdfmeasure import lines_of

LONG_PARAGRAPH = "为深入贯彻落实党中央国务院关于全面推进乡村振兴的决策部署加快建设农业强区经区政府同意" * 40


@pytest.fixture(scope="session")
def three_pages():
    rendered = render_document_with_anchors(sample_layout(3))
    return rendered, lines_of(rendered.pdf)


@pytest.fixture(scope="session")
def long_paragraph():
    """One paragraph of 1,720 characters without punctuation: page 2 is all body."""
    layout = DocumentLayout(
        header=RedHeader(lines=("鹤山区人民政府",)), title="关于测试版心的通知",
        body=(BodyBlock(0, LONG_PARAGRAPH),), number="鹤府〔2026〕1号",
        date=datetime.date(2026, 11, 21))
    pdf = render_document(layout)
    return pdf, lines_of(pdf)
