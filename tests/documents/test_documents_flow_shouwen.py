"""收文 end to end through the services (seed 004 三.3): 登记录入 of a paper document, 初审, 拟办, 批办,
承办 with a 转办, 协办, 传阅, 催办, 办结 and 归档; every step in the 收文处理单 PDF."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

try:
    from .flow_fixtures import _fresh_definition_cache, flow  # noqa: F401 (fixtures)
    from .test_documents_flow_fawen import act, open_item, pdf_text
except ImportError:
    from flow_fixtures import _fresh_definition_cache, flow  # noqa: F401 (fixtures)
    from test_documents_flow_fawen import act, open_item, pdf_text

pytestmark = pytest.mark.django_db


def register(flow, **overrides):
    from zhengtong.documents.services import incoming

    values = dict(actor=flow.clerk, unit=flow.unit, title="关于开展冬季农村人居环境整治的通知", kind="notice",
                  source_unit_name="鹤山区人民政府办公室", source_number="鹤政办〔2026〕45号", copies=3,
                  urgency="urgent", classification="none",
                  received_at=timezone.now() - datetime.timedelta(hours=1))
    values.update(overrides)
    return incoming.register_paper_document(**values)


def test_shouwen_from_registration_to_archive(flow):
    """A paper document registered with its scan goes to 办结 with a directive, a transfer, a co-handling
    department and a circulation; each step is in the processing sheet."""
    from zhengtong.documents.models import Document, Urge
    from zhengtong.documents.services import incoming, processing, sheets
    from zhengtong.workdays.selectors import add_working_days

    scan = SimpleUploadedFile("来文扫描件.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    document = register(flow, files=[scan])
    assert document.incoming_number == f"{timezone.localdate().year}-0001"
    assert document.status == Document.Status.IN_HANDLING
    assert document.attachments.get().name == "来文扫描件.pdf"
    assert register(flow, title="第二份来文").incoming_seq == 2

    act(incoming.review_incoming, flow.checker, document, "initial_review", opinion="来文要素齐全。")
    act(incoming.review_incoming, flow.checker, document, "propose", opinion="拟请种植业管理科牵头办理，呈局长阅示。")
    act(incoming.direct, flow.leader, document, "direct", directive="请种植业管理科牵头，产业发展科配合，十个工作日内报结果。",
        lead_department=flow.planting.pk, co_departments=[flow.industry.pk], deadline_days=10,
        circulate_to=[flow.deputy.pk])
    assert document.directive.startswith("请种植业管理科")
    assert document.handling_deadline == add_working_days(timezone.localdate(), 10)
    handle_item = open_item(flow.planting_handler, document, "handle")
    assert handle_item.due_at is not None

    # 催办 by the office, any time
    incoming.urge(actor=flow.clerk, document=document, work_item=handle_item, note="请抓紧办理。")
    assert Urge.objects.filter(document=document, work_item_id=handle_item.pk).exists()

    # 转办: the lead department passes it to 农村改革科 with a reason
    act(incoming.transfer, flow.planting_handler, document, "handle", reason="属农村改革科职责。",
        to_department=flow.reform.pk)
    assert document.lead_department == flow.reform
    act(incoming.handle, flow.handler, document, "handle", opinion="已制定整治方案，正在组织实施。")
    act(incoming.handle, flow.industry_chief, document, "co_handle", opinion="产业发展科已配合摸排。")
    assert [row["read"] for row in incoming.circulation_of(document)] == [False]
    act(incoming.mark_circulated, flow.deputy, document, "circulate", note="已阅，请按时完成。")
    assert [row["read"] for row in incoming.circulation_of(document)] == [True]

    act(incoming.finish, flow.handler, document, "finish", result="整治方案已印发，12个村完成整治。")
    assert document.status == Document.Status.FINISHED and document.finished_at
    act(processing.archive, flow.clerk, document, "archive")
    assert document.status == Document.Status.ARCHIVED

    sheet = pdf_text(sheets.sheet_pdf(document))
    for text in ("拟请种植业管理科牵头办理", "十个工作日内报结果", "属农村改革科职责", "已制定整治方案",
                 "产业发展科已配合摸排", "已阅，请按时完成", "12个村完成整治", "鹤政办〔2026〕45号"):
        assert text in sheet, text


def test_classified_paper_document_is_refused(flow):
    """seed 001 第四条: a 秘密 document is refused with the reason; nothing is registered, no number used."""
    from zhengtong.documents.exceptions import ClassifiedRefused
    from zhengtong.documents.models import Document

    for level in ("secret", "confidential", "top_secret"):
        with pytest.raises(ClassifiedRefused) as refused:
            register(flow, classification=level)
        assert "涉密公文" in str(refused.value) and "不得进入本系统" in str(refused.value)
    assert not Document.objects.exists()
    assert register(flow).incoming_seq == 1


def test_only_clerks_register(flow):
    from django.core.exceptions import PermissionDenied

    from zhengtong.documents.models import Document

    with pytest.raises(PermissionDenied):
        register(flow, actor=flow.drafter)
    with pytest.raises(PermissionDenied):
        register(flow, actor=flow.cast.outsider)  # a clerk, but of another unit
    assert not Document.objects.exists()


def test_bad_registration_input_changes_nothing(flow):
    from zhengtong.documents.exceptions import DocumentInvalid
    from zhengtong.documents.models import Document

    with pytest.raises(DocumentInvalid) as refused:
        register(flow, title=" ", source_unit_name="", copies=0)
    assert len(refused.value.messages) == 3
    assert not Document.objects.exists()


def test_overdue_handling_shows_and_can_be_urged(flow):
    """The overdue state comes from the engine's due date; the office urges the handler."""
    from zhengtong.documents.services import incoming

    document = register(flow)
    act(incoming.review_incoming, flow.checker, document, "initial_review")
    act(incoming.review_incoming, flow.checker, document, "propose", opinion="拟请农村改革科办理。")
    act(incoming.direct, flow.leader, document, "direct", directive="请农村改革科办理。",
        lead_department=flow.reform.pk, deadline_days=3)
    item = open_item(flow.handler, document, "handle")
    item.due_at = timezone.now() - datetime.timedelta(days=1)
    item.save(update_fields=["due_at"])
    assert item.is_overdue
    urge = incoming.urge(actor=flow.checker, document=document, work_item=item, note="请今天办结。")
    assert urge.urged_by == flow.checker
    from zhengtong.notifications.models import Notice

    notice = Notice.objects.get(recipient=flow.handler, category="documents.urge")
    assert document.title in notice.title and notice.body == "请今天办结。"
    assert notice.url == document.get_absolute_url()
    assert not Notice.objects.filter(recipient=flow.drafter, category="documents.urge").exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        incoming.urge(actor=flow.drafter, document=document, work_item=item)
