"""Red-header templates (红头模板) and the mapping of a document onto the rendering layout."""

from __future__ import annotations

import datetime

import pytest

from zhengtong.documents import services
from zhengtong.documents.exceptions import DocumentInvalid, DocumentPermissionDenied
from zhengtong.documents.models import RedHeaderTemplate

from .factories import draft

pytestmark = pytest.mark.django_db


def test_the_first_template_becomes_the_default_and_only_one_is_default(cast):
    first = services.create_red_header(actor=cast.admin, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    assert first.is_default
    second = services.create_red_header(actor=cast.admin, unit=cast.unit, name="联合", is_default=True,
                                        lines="鹤山区农业农村局\n鹤山区财政局", color="#e60012")
    first.refresh_from_db()
    assert not first.is_default and second.is_default
    assert second.lines == ["鹤山区农业农村局", "鹤山区财政局"] and second.color == "#E60012"


def test_template_input_is_checked(cast):
    with pytest.raises(DocumentInvalid) as refused:
        services.create_red_header(actor=cast.admin, unit=cast.unit, name="", lines=[], color="red",
                                   kinds=["poem"])
    assert len(refused.value.messages) == 4
    assert not RedHeaderTemplate.objects.exists()


def test_only_the_unit_admin_manages_templates(cast):
    for person in (cast.outsider, cast.clerk):
        with pytest.raises(DocumentPermissionDenied):
            services.create_red_header(actor=person, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    template = services.create_red_header(actor=cast.admin, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    with pytest.raises(DocumentPermissionDenied):
        services.update_red_header(actor=cast.outsider, template=template, name="改", lines=["外单位"])
    with pytest.raises(DocumentPermissionDenied):
        services.delete_red_header(actor=cast.outsider, template=template)
    assert RedHeaderTemplate.objects.filter(pk=template.pk, name="局文件").exists()


def test_layout_maps_the_elements(cast):
    services.create_red_header(actor=cast.admin, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    letters = services.create_red_header(actor=cast.admin, unit=cast.unit, name="函", lines=["鹤山区农业农村局"],
                                         suffix="", kinds=["letter"])
    document = draft(cast, kind="request", main_recipients="鹤山区人民政府", signers="局长丁", urgency="urgent",
                     classification="internal", attachment_note="1.统计表\n2.说明",
                     document_date=datetime.date(2026, 11, 20), cc="区财政局")
    services.take_number(actor=cast.clerk, document=document)
    document.refresh_from_db()
    layout = services.layout_for(document)
    assert layout.header.lines == ("鹤山区农业农村局",) and layout.header.suffix == "文件"
    assert layout.number == "鹤农发〔2026〕1号" and layout.upward and layout.signers == ("局长丁",)
    assert (layout.urgency, layout.classification) == ("加急", "内部")
    assert layout.attachments == ("1.统计表", "2.说明")
    assert layout.signature_lines == ("鹤山区农业农村局",) and layout.date == datetime.date(2026, 11, 20)
    assert [(block.level, block.text) for block in layout.body][:2] == [(0, "为做好今年秋冬种工作，现将有关事项通知如下。"),
                                                                        (1, "总体要求")]
    assert services.layout_for(draft(cast, kind="letter")).header.suffix == letters.suffix == ""


def test_a_document_renders_to_pdf(cast):
    pytest.importorskip("weasyprint")
    from zhengtong.documents.rendering import render_document

    document = draft(cast)
    pdf = render_document(services.layout_for(document))
    assert pdf[:5] == b"%PDF-"


def test_a_joint_document_stacks_every_issuing_authority(cast):
    services.create_red_header(actor=cast.admin, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    layout = services.layout_for(draft(cast, co_issuers=[cast.other_unit]))
    assert layout.header.lines == ("鹤山区农业农村局", "鹤山区财政局") and layout.header.suffix == "文件"
    assert layout.signature_lines == ("鹤山区农业农村局", "鹤山区财政局")
    chosen = services.create_red_header(actor=cast.admin, unit=cast.unit, name="只有本局", lines=["鹤山区农业农村局"],
                                        suffix="")
    assert services.layout_for(draft(cast, co_issuers=[cast.other_unit], red_header=chosen)).header.lines == (
        "鹤山区农业农村局",)
