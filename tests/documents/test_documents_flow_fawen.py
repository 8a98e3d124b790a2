"""发文 end to end through the services (seed 004 三.1 and 三.2): review, send back, countersign, sign-off,
joint issuance with a second unit, numbering, composing a real PDF, seal, distribution, archive."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

try:
    from .flow_fixtures import BODY, _fresh_definition_cache, flow  # noqa: F401 (fixtures)
except ImportError:
    from flow_fixtures import BODY, _fresh_definition_cache, flow  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")


def open_item(user, document, step):
    from zhengtong.workflow.models import WorkItem

    items = [item for item in WorkItem.objects.filter(status="open", step=step).select_related("instance")
             if item.instance.subject_id == str(document.pk) and item.candidates.filter(pk=user.pk).exists()]
    assert items, f"{user.name} has no open {step} on {document.title}"
    item = items[0]
    item.instance.refresh_from_db()
    return item


def act(service, user, document, step, **kwargs):
    item = open_item(user, document, step)
    service(actor=user, document=document, work_item=item, revision=item.instance.revision, **kwargs)
    document.refresh_from_db()
    return item


def draft(flow, **elements):
    from zhengtong.documents.services import drafting

    elements.setdefault("main_recipients", "局属各科室")
    elements.setdefault("kind", "notice")
    return drafting.create_draft(actor=flow.drafter, unit=flow.unit, title="关于做好今冬明春农田水利建设工作的通知",
                                 body=BODY, department=flow.industry, **elements)


def run_to_sign_off(flow, document, *, countersign=()):
    from zhengtong.documents.services import processing

    processing.submit_draft(actor=flow.drafter, document=document, countersign_departments=countersign)
    act(processing.review, flow.industry_chief, document, "section_review", opinion="同意。")
    for chief in countersign:
        person = {flow.reform.pk: flow.reform_chief, flow.planting.pk: flow.planting_chief}[chief.pk]
        act(processing.review, person, document, "countersign", opinion=f"{chief.name}无意见。")
    act(processing.review, flow.checker, document, "office_check", opinion="文字已核。")
    act(processing.review, flow.deputy, document, "leader_review", opinion="同意，呈局长签发。")
    act(processing.sign_off, flow.leader, document, "sign_off", opinion="发。")


def test_fawen_from_draft_to_archive(flow):
    """A 通知 goes through every step: sent back once, two countersigns, sign-off, number, PDF, seal,
    distribution (read on opening), archive; the draft sheet holds every opinion."""
    from zhengtong.documents.models import Document
    from zhengtong.documents.services import drafting, processing, sheets

    document = draft(flow, cc="区农业农村局领导班子成员")
    processing.submit_draft(actor=flow.drafter, document=document, countersign_departments=[flow.reform, flow.planting])
    document.refresh_from_db()
    assert document.status == Document.Status.IN_REVIEW
    assert document.countersign_departments == [flow.reform.pk, flow.planting.pk]

    # the section chief sends it back once; the drafter changes the text and resubmits
    item = open_item(flow.industry_chief, document, "section_review")
    processing.send_back(actor=flow.industry_chief, document=document, work_item=item,
                         revision=item.instance.revision, to_step="draft", reason="请补充报送时限。")
    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT
    drafting.update_draft(actor=flow.drafter, document=document,
                          body=[*BODY, {"level": 0, "text": "逾期未报的，予以通报。"}])
    processing.submit_draft(actor=flow.drafter, document=document)
    document.refresh_from_db()
    assert document.status == Document.Status.IN_REVIEW

    act(processing.review, flow.industry_chief, document, "section_review", opinion="同意，请会签。")
    act(processing.review, flow.reform_chief, document, "countersign", opinion="农村改革科无意见。")
    act(processing.review, flow.planting_chief, document, "countersign", opinion="种植业管理科同意。")
    act(processing.review, flow.checker, document, "office_check", opinion="文字已核。")
    # the deputy leader changes a sentence: the change is kept as a version labelled with the step
    item = open_item(flow.deputy, document, "leader_review")
    processing.review(actor=flow.deputy, document=document, work_item=item, revision=item.instance.revision,
                      opinion="同意，呈局长签发。", body=[*document.body, {"level": 0, "text": "特此通知。"}])
    document.refresh_from_db()
    assert document.current_version.step_label == item.step_label
    assert document.versions.count() == 3

    act(processing.sign_off, flow.leader, document, "sign_off", opinion="发。")
    assert document.status == Document.Status.SIGNED_OFF
    assert document.signers == [flow.leader.name]
    assert document.signed_off_by == flow.leader
    assert document.document_date == timezone.localdate()

    act(processing.review, flow.checker, document, "recheck", opinion="已复核。")
    act(processing.take_number, flow.clerk, document, "numbering")
    assert document.status == Document.Status.NUMBERED
    assert document.number.startswith("鹤农")

    act(processing.compose, flow.clerk, document, "compose")
    assert document.status == Document.Status.COMPOSED
    with document.rendered_pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert document.number.replace(" ", "") in text
    assert "农田水利建设" in text
    today = timezone.localdate()
    assert document.print_date == today  # 印发日期: the day it was composed
    assert f"{today.year}年{today.month}月{today.day}日印发" in text

    act(processing.confirm_seal, flow.seal_keeper, document, "seal")
    assert document.status == Document.Status.SEALED
    act(processing.distribute, flow.clerk, document, "distribute", people=[flow.deputy], departments=[flow.reform])
    assert document.status == Document.Status.DISTRIBUTED
    recipients = set(document.distributions.values_list("recipient_id", flat=True))
    assert recipients == {flow.deputy.pk, flow.reform_chief.pk, flow.handler.pk}
    assert processing.mark_read(user=flow.handler, document=document) is True
    assert document.distributions.get(recipient=flow.handler).read_at is not None

    act(processing.archive, flow.clerk, document, "archive")
    assert document.status == Document.Status.ARCHIVED and document.archived_at
    assert processing.main_instance(document).status == "completed"

    sheet = pdf_text(sheets.sheet_pdf(document))
    for opinion in ("请补充报送时限", "农村改革科无意见", "种植业管理科同意", "文字已核", "呈局长签发", "发。", "已复核"):
        assert opinion in sheet, opinion


def test_joint_issuance_waits_for_the_co_issuing_unit(flow):
    """联合发文: after recheck, the 财政局 checks and signs off in its own unit; then numbering opens by
    itself and 签发人 lists both leaders."""
    from zhengtong.documents.models import CoIssuer
    from zhengtong.documents.services import processing
    from zhengtong.workflow.models import WorkItem

    document = draft(flow, co_issuers=[flow.cast.other_unit])
    run_to_sign_off(flow, document)
    act(processing.review, flow.checker, document, "recheck", opinion="已复核，送财政局会签。")
    joint = processing.instances_of(document, processing.JOINT_SIGN).get()
    assert joint.unit == flow.cast.other_unit
    assert not WorkItem.objects.filter(step="numbering", status="open").exists()
    co_issuer = document.co_issuers.get()
    assert co_issuer.status == CoIssuer.Status.PENDING

    act(processing.review, flow.other_checker, document, "joint_check", opinion="财政局核稿无意见。")
    act(processing.joint_sign_off, flow.other_leader, document, "joint_sign_off", opinion="同意联合发文。")
    co_issuer.refresh_from_db()
    assert co_issuer.status == CoIssuer.Status.SIGNED_OFF and co_issuer.signer_name == flow.other_leader.name
    assert document.signers == [flow.leader.name, flow.other_leader.name]
    assert open_item(flow.clerk, document, "numbering")
    assert WorkItem.objects.get(step="joint_review").status == "done"


def test_a_request_without_signer_is_refused_at_compose(flow):
    """条例 第九条(五): a 请示 names its 签发人; composing one without is refused and nothing changes."""
    from zhengtong.documents.exceptions import DocumentInvalid
    from zhengtong.documents.services import drafting, processing

    document = draft(flow, kind="request", main_recipients="鹤山区人民政府")
    run_to_sign_off(flow, document)
    act(processing.review, flow.checker, document, "recheck")
    act(processing.take_number, flow.clerk, document, "numbering")
    drafting.update_draft(actor=flow.clerk, document=document, signers="")
    item = open_item(flow.clerk, document, "compose")
    with pytest.raises(DocumentInvalid) as refused:
        processing.compose(actor=flow.clerk, document=document, work_item=item, revision=item.instance.revision)
    assert "签发人" in str(refused.value) or "signers" in str(refused.value)
    document.refresh_from_db()
    assert document.status == "numbered" and not document.rendered_pdf
    item.refresh_from_db()
    assert item.status == "open"


def test_missing_main_recipients_refused_at_submit(flow):
    """条例 第九条: a 通知 without 主送机关 is not submitted; no process starts."""
    from zhengtong.documents.exceptions import DocumentInvalid
    from zhengtong.documents.services import processing

    document = draft(flow, main_recipients="")
    with pytest.raises(DocumentInvalid) as refused:
        processing.submit_draft(actor=flow.drafter, document=document)
    assert "主送机关" in str(refused.value)
    document.refresh_from_db()
    assert document.status == "draft"
    assert processing.main_instance(document) is None


def test_acting_on_an_item_no_longer_yours_changes_nothing(flow):
    """Someone else's item, or one already handled, is refused with a message; nothing changes."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from zhengtong.documents.services import processing

    document = draft(flow)
    processing.submit_draft(actor=flow.drafter, document=document)
    item = open_item(flow.industry_chief, document, "section_review")
    revision = item.instance.revision
    with pytest.raises(PermissionDenied):
        processing.review(actor=flow.clerk, document=document, work_item=item, revision=revision, opinion="x")
    processing.review(actor=flow.industry_chief, document=document, work_item=item, revision=revision,
                      opinion="同意。")
    with pytest.raises((ValidationError, PermissionDenied)):
        processing.review(actor=flow.industry_chief, document=document, work_item=item, revision=revision,
                          opinion="再次同意。")
    item.refresh_from_db()
    assert item.opinion == "同意。"
