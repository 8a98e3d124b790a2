"""Drafting rules: the elements of 条例 第九条, secrets refused, versions kept (痕迹保留)."""

from __future__ import annotations

import datetime

import pytest

from zhengtong.audit.models import AuditRecord
from zhengtong.documents import services
from zhengtong.documents.exceptions import ClassifiedRefused, DocumentInvalid, DocumentPermissionDenied
from zhengtong.documents.models import Document, DocumentVersion
from zhengtong.documents.text import chinese_number, numbered, numbered_lines

from .factories import BODY, draft

pytestmark = pytest.mark.django_db


def test_create_draft_saves_version_one_with_who_and_step(cast):
    document = draft(cast)
    assert document.status == Document.Status.DRAFT
    assert document.drafter == cast.clerk
    assert document.signature == "鹤山区农业农村局"
    version = document.current_version
    assert (version.seq, version.saved_by, version.step_label) == (1, cast.clerk, "拟稿")
    assert document.body == BODY
    assert AuditRecord.objects.filter(action="documents.document.create", object_id=str(document.pk)).exists()


@pytest.mark.parametrize(("kind", "direction"), [("request", "upward"), ("report", "upward"),
                                                  ("letter", "parallel"), ("notice", "downward")])
def test_flow_direction_defaults_from_the_kind(cast, kind, direction):
    assert draft(cast, kind=kind).flow_direction == direction


@pytest.mark.parametrize("classification", ["secret", "秘密", "机密", "top_secret"])
def test_a_classified_document_is_refused_with_the_reason(cast, classification):
    with pytest.raises(ClassifiedRefused) as refused:
        draft(cast, classification=classification)
    assert "秘密" in str(refused.value)
    assert not Document.objects.exists()


@pytest.mark.parametrize(("title", "text"), [("关于某事项的通知（秘密★1年）", "正文"), ("通知", "机密★10年"),
                                             ("通知", "绝密")])
def test_a_classification_marking_in_title_or_body_is_refused(cast, title, text):
    with pytest.raises(ClassifiedRefused):
        draft(cast, title=title, body=[{"level": 0, "text": text}])
    assert not Document.objects.exists()


def test_internal_documents_are_allowed_and_words_about_secrecy_are_not_markings(cast):
    document = draft(cast, classification="internal", body=[{"level": 0, "text": "各单位要严格保守国家秘密。"}])
    assert document.classification == "internal"
    assert services.check_elements(document, stage="submit") == []


def test_submit_needs_main_recipients_except_for_public_kinds(cast):
    notice = draft(cast, main_recipients="")
    problems = services.check_elements(notice, stage="submit")
    assert any("主送机关" in problem for problem in problems)
    announcement = draft(cast, kind="announcement", main_recipients="")
    assert services.check_elements(announcement, stage="submit") == []


def test_compose_refuses_a_request_without_signers_number_or_date(cast):
    request = draft(cast, kind="request", main_recipients="鹤山区人民政府")
    problems = services.check_elements(request, stage="compose")
    assert any("签发人" in problem for problem in problems)
    assert any("发文字号" in problem for problem in problems)
    assert any("成文日期" in problem for problem in problems)
    assert not any("签发人" in problem for problem in services.check_elements(draft(cast), stage="compose"))


def test_compose_passes_once_the_elements_are_complete(cast):
    request = draft(cast, kind="request", main_recipients="鹤山区人民政府", signers="局长丁",
                    document_date=datetime.date(2026, 11, 20))
    services.take_number(actor=cast.clerk, document=request)
    request.refresh_from_db()
    assert services.check_elements(request, stage="compose") == []
    with pytest.raises(DocumentInvalid):
        services.require_elements(draft(cast, kind="request", main_recipients="区政府"), stage="compose")


def test_a_title_is_required_and_nothing_changes(cast):
    with pytest.raises(DocumentInvalid):
        draft(cast, title="   ")
    assert not Document.objects.exists()


def test_countersign_departments_must_be_of_the_unit(cast):
    from zhengtong.directory import services as directory

    theirs = directory.create_department(actor=None, unit=cast.other_unit, name="预算科")
    with pytest.raises(DocumentInvalid):
        draft(cast, countersign_departments=[theirs.pk])
    document = draft(cast, countersign_departments=[cast.office.pk], co_issuers=[cast.other_unit])
    assert document.countersign_departments == [cast.office.pk]
    assert [item.unit for item in document.co_issuers.all()] == [cast.other_unit]


def test_outsiders_cannot_draft_for_another_unit(cast):
    with pytest.raises(DocumentPermissionDenied):
        draft(cast, actor=cast.outsider)


def test_update_draft_keeps_every_version_and_only_when_the_text_changes(cast):
    document = draft(cast)
    services.update_draft(actor=cast.clerk, document=document, urgency="urgent")
    assert document.versions.count() == 1
    new_body = [*BODY, {"level": 1, "text": "工作要求"}]
    services.update_draft(actor=cast.clerk, document=document, body=new_body, note="增加工作要求")
    document.refresh_from_db()
    assert document.versions.count() == 2
    assert document.current_version.seq == 2
    assert document.current_version.note == "增加工作要求"
    assert document.urgency == "urgent"
    assert DocumentVersion.objects.get(document=document, seq=1).body == BODY


def test_only_the_drafter_edits_a_draft(cast):
    document = draft(cast)
    for person in (cast.section_chief, cast.outsider, cast.leader):
        with pytest.raises(DocumentPermissionDenied):
            services.update_draft(actor=person, document=document, title="改标题")
    document.refresh_from_db()
    assert document.title == "关于做好2026年秋冬种工作的通知"


def test_the_drafter_cannot_edit_once_submitted(cast):
    document = draft(cast)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.IN_REVIEW)
    with pytest.raises(DocumentPermissionDenied):
        services.update_draft(actor=cast.clerk, document=document, title="改标题")


def test_numbering_of_body_blocks():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]
    lines = numbered_lines([{"level": 1, "text": "甲"}, {"level": 2, "text": "乙"}, {"level": 2, "text": "丙"},
                            {"level": 3, "text": "丁"}, {"level": 4, "text": "戊"}, {"level": 1, "text": "己"},
                            {"level": 2, "text": "庚"}, {"level": 0, "text": "段落"}])
    assert lines == ["一、甲", "（一）乙", "（二）丙", "1.丁", "（1）戊", "二、己", "（一）庚", "段落"]
    assert numbered([{"level": 3, "text": "a"}])[0][1] == "1."


def test_compare_versions_marks_additions_and_deletions_and_escapes(cast):
    document = draft(cast, body=[{"level": 1, "text": "总体要求"}, {"level": 0, "text": "旧的段落<b>"}])
    services.update_draft(actor=cast.clerk, document=document, title="关于做好秋冬种工作的通知",
                          body=[{"level": 1, "text": "总体要求"}, {"level": 0, "text": "新的段落<b>"},
                                {"level": 1, "text": "保障措施"}])
    first, second = document.versions.order_by("seq")
    html = str(services.compare_versions(first, second))
    assert '<del class="zt-del">旧</del>' in html
    assert '<ins class="zt-ins">新</ins>' in html
    assert '<ins class="zt-ins">二、保障措施</ins>' in html
    assert "2026年" in html and "&lt;b&gt;" in html and "<b>" not in html
    assert "一、总体要求" in html


def test_a_request_goes_to_one_main_recipient(cast):
    """条例 第十五条(一): 请示应当一文一事，一般只写一个主送机关."""
    problems = services.check_elements(draft(cast, kind="request", main_recipients="区政府、区财政局"), stage="submit")
    assert any("请示" in problem for problem in problems)
    assert services.check_elements(draft(cast, kind="request", main_recipients="鹤山区人民政府"), stage="submit") == []


def test_a_secrecy_period_naming_a_classification_is_refused(cast):
    with pytest.raises(ClassifiedRefused):
        draft(cast, secrecy_period="秘密★6个月")
    assert not Document.objects.exists()


def test_an_empty_body_stops_submission(cast):
    assert any("正文" in problem for problem in services.check_elements(draft(cast, body=[]), stage="submit"))
