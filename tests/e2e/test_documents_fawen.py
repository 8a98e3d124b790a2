"""发文 in Chromium (seed 004 三.1): a drafter drafts a 通知, the section chief sends it back once, it goes
through countersign, office check, leader review and sign-off; the clerk numbers and composes it and the
rendered PDF downloads with its number."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from documents.flow_fixtures import PASSWORD, build_flow  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_definition_cache():
    from zhengtong.workflow import engine

    engine._cache.clear()
    yield
    engine._cache.clear()


def become(page, sign_in_as, user):
    """Sign out whoever was signed in, then sign in through the real form."""
    page.context.clear_cookies()
    sign_in_as(user, PASSWORD)


def open_document(page, live_server, document):
    page.goto(f"{live_server.url}/office/documents/{document.pk}/")
    page.wait_for_load_state("networkidle")


def do_step(page, live_server, document, step, opinion=None, *, check=()):
    """Open the document, fill the step's panel and press its button; the page says it is done."""
    open_document(page, live_server, document)
    panel = page.locator(f'[data-testid="action-panel"][data-step="{step}"]')
    panel.wait_for()
    for label in check:
        panel.get_by_label(label).check()
    if opinion is not None:
        panel.locator("textarea[name=opinion]").fill(opinion)
    panel.locator('[data-testid="step-submit"]').click()
    page.wait_for_url(f"**/office/documents/{document.pk}/")
    page.locator(".alert-success").wait_for()


def test_a_notice_from_draft_to_the_downloaded_pdf(page, live_server, cast, sign_in_as):
    from pypdf import PdfReader

    from zhengtong.documents.models import Document

    flow = build_flow(cast)

    # the drafter drafts a 通知 through the drafting form and submits it with 农村改革科 to countersign
    become(page, sign_in_as, flow.drafter)
    page.goto(f"{live_server.url}/office/documents/drafts/add/")
    page.select_option("#id_kind", "notice")
    page.fill("#id_title", "关于做好今冬明春农田水利建设工作的通知")
    page.fill("#id_main_recipients", "局属各科室")
    if page.locator("[data-block] [data-text]").count() == 0:
        page.click('[data-add-block="0"]')
    page.locator("[data-block] [data-text]").first.fill("为做好今冬明春农田水利建设工作，现将有关事项通知如下。")
    page.click('[data-testid="save-draft"]')
    page.wait_for_load_state("networkidle")
    document = Document.objects.get(title="关于做好今冬明春农田水利建设工作的通知")
    open_document(page, live_server, document)
    page.locator('[data-testid="submit-panel"]').get_by_label("农村改革科").check()
    page.click('[data-testid="submit-draft"]')
    page.locator(".alert-success").wait_for()
    assert page.locator('[data-testid="document-status"]').inner_text() == "审核中"

    # the section chief sends it back once, with the reason
    become(page, sign_in_as, flow.industry_chief)
    open_document(page, live_server, document)
    panel = page.locator('[data-testid="action-panel"][data-step="section_review"]')
    panel.locator('[data-testid="send-back"] summary').click()
    panel.locator("textarea[name=reason]").fill("请补充报送时限。")
    panel.locator('[data-testid="send-back-submit"]').click()
    page.locator(".alert-success").wait_for()
    document.refresh_from_db()
    assert document.status == "draft"

    # the drafter resubmits; the chief agrees; 农村改革科 countersigns; office check, leader review, sign-off
    become(page, sign_in_as, flow.drafter)
    do_step(page, live_server, document, "draft", "已补充报送时限。")
    become(page, sign_in_as, flow.industry_chief)
    do_step(page, live_server, document, "section_review", "同意。")
    become(page, sign_in_as, flow.reform_chief)
    do_step(page, live_server, document, "countersign", "农村改革科无意见。")
    become(page, sign_in_as, flow.checker)
    do_step(page, live_server, document, "office_check", "文字已核。")
    become(page, sign_in_as, flow.deputy)
    do_step(page, live_server, document, "leader_review", "同意，呈局长签发。")
    become(page, sign_in_as, flow.leader)
    open_document(page, live_server, document)
    assert page.locator('[data-testid="signer"]').inner_text().endswith(flow.leader.name)
    do_step(page, live_server, document, "sign_off", "发。")
    become(page, sign_in_as, flow.checker)
    do_step(page, live_server, document, "recheck", "已复核。")

    # the clerk takes the next number and composes; the PDF previews and downloads with the number
    become(page, sign_in_as, flow.clerk)
    do_step(page, live_server, document, "numbering")
    document.refresh_from_db()
    assert document.number == "鹤农发〔2026〕1号"
    assert page.locator('[data-testid="document-number"]').inner_text() == document.number
    do_step(page, live_server, document, "compose")
    page.locator('[data-testid="pdf-preview"]').wait_for()
    with page.expect_download() as download_info:
        page.click('[data-testid="pdf-download"]')
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")
    assert document.number in text

    # the draft sheet shows every step's opinion, the send-back included
    sheet = page.locator('[data-testid="processing-sheet"]').inner_text()
    for opinion in ("农村改革科无意见", "文字已核", "呈局长签发", "发。", "已复核"):
        assert opinion in sheet
    assert "请补充报送时限" in page.locator('[data-testid="wf-history"]').inner_text()
    # the inline PDF viewer loads Chromium's built-in viewer (chrome://, chrome-extension://), never the network
    assert [url for url in page.context.outside_requests if not url.startswith(("chrome://", "chrome-extension://"))] == []
