"""Screening before review (seed 003 第十九条; 上网不涉密): forbidden words and secrecy markings stop a submission."""

from __future__ import annotations

import io

import pytest

from .district import new_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def words(db):
    from zhengtong.webreview.models import ForbiddenWord

    ForbiddenWord.objects.create(word="测试违禁词", category=ForbiddenWord.Category.RUMOUR)
    ForbiddenWord.objects.create(word="停用的词", category=ForbiddenWord.Category.OTHER, is_active=False)


def _document(name: str, content: bytes, title: str):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    return Document.objects.create(title=title, file=ContentFile(content, name=name))


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f'<p style="font-family: \'Noto Sans CJK SC\'">{text}</p>').write_pdf()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("关于农业产业园的情况说明")
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _attach(article, document, user):
    from zhengtong.portal.models import ArticleAttachment

    draft = article.get_latest_revision_as_object()
    draft.attachments.add(ArticleAttachment(document=document))
    draft.save_revision(user=user)


def _submit(district, article):
    from zhengtong.webreview import services

    return services.submit_for_review(actor=district.officer, page=article)


def _blocked(district, article):
    from zhengtong.webreview.exceptions import ScreeningFailed

    with pytest.raises(ScreeningFailed) as caught:
        _submit(district, article)
    article.refresh_from_db()
    assert article.current_workflow_state is None  # nothing submitted
    return caught.value.matches


def test_a_forbidden_word_in_the_body_stops_the_submission_with_its_category_and_context(district, words):
    from zhengtong.audit.models import AuditRecord

    article = new_article(district.agriculture, body="<p>据网传消息，测试违禁词将在下月出现。</p>",
                          unit=district.cast.unit, user=district.officer)
    matches = _blocked(district, article)
    assert [(m.word, m.category, m.source) for m in matches] == [("测试违禁词", "rumour", "正文")]
    assert "据网传消息，" in matches[0].before and matches[0].after.startswith("将在下月")
    record = AuditRecord.objects.get(action="webreview.screening.block")
    assert record.actor_id == district.officer.pk
    assert record.changes["matches"][0]["context"].endswith("【测试违禁词】将在下月出现。")


def test_an_inactive_word_does_not_count(district, words):
    article = new_article(district.agriculture, body="<p>停用的词不再检查。</p>", unit=district.cast.unit,
                          user=district.officer)
    assert _submit(district, article).status == "in_progress"


@pytest.mark.parametrize("title", ["秘密★一年 关于农业补贴的通知", "机密 农业补贴", "绝密文件"])
def test_a_classification_marking_stops_the_submission(district, title):
    article = new_article(district.agriculture, title=title, unit=district.cast.unit, user=district.officer)
    matches = _blocked(district, article)
    assert matches[0].category == "secret" and matches[0].source == "标题"


def test_a_secret_marking_inside_an_attached_pdf_stops_the_submission(district):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _attach(article, _document("report.pdf", _pdf("本材料密级：机密★十年，请勿外传。"), "情况报告"), district.officer)
    matches = _blocked(district, article)
    assert matches[0].word.startswith("机密") and "情况报告" in matches[0].source


def test_a_forbidden_word_inside_an_attached_docx_stops_the_submission(district, words):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _attach(article, _document("note.docx", _docx("其中提到测试违禁词一次。"), "情况说明"), district.officer)
    matches = _blocked(district, article)
    assert [(m.word, m.category) for m in matches] == [("测试违禁词", "rumour")]
    assert "情况说明" in matches[0].source


def test_a_document_linked_from_the_body_is_screened(district):
    document = _document("linked.docx", _docx("秘密★一年"), "链接的附件")
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer,
                          body=f'<p>详见<a linktype="document" id="{document.pk}">附件</a>。</p>')
    assert "链接的附件" in _blocked(district, article)[0].source


def test_a_clean_page_with_clean_attachments_goes_to_review(district, words):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _attach(article, _document("clean.pdf", _pdf("全区新增高标准农田一万亩。"), "附件一"), district.officer)
    _attach(article, _document("clean.docx", _docx("农业产业园建设进展顺利。"), "附件二"), district.officer)
    state = _submit(district, article)
    assert state.status == "in_progress"
    assert state.current_task_state.task.name == "单位领导审核"


def test_the_words_are_matched_in_text_not_in_markup():
    from zhengtong.webreview.screening import Source, find_matches

    hits = find_matches([Source("正文", "保密工作很重要；秘密★一年")], [])
    assert [m.word for m in hits] == ["秘密★一年"]
