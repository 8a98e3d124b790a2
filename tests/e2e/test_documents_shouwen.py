"""收文 in Chromium (seed 004 三.3): the clerk registers a paper document (登记录入); it goes to 办结 with a
directive, a transfer (转办) and a circulation (传阅), each step visible in the processing sheet."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from documents.flow_fixtures import build_flow  # noqa: E402

try:
    from test_documents_fawen import _fresh_definition_cache, become, do_step, open_document  # noqa: F401
except ImportError:
    from .test_documents_fawen import _fresh_definition_cache, become, do_step, open_document  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paper_document_from_registration_to_finished(page, live_server, cast, sign_in_as, tmp_path):
    from pypdf import PdfReader

    from zhengtong.documents.models import Document

    flow = build_flow(cast)

    # 登记录入: a 秘密 document is refused; the real one is registered with its scan
    become(page, sign_in_as, flow.clerk)
    page.goto(f"{live_server.url}/office/documents/incoming/register/")
    page.fill("#id_source_unit_name", "鹤山区人民政府办公室")
    page.fill("#id_source_number", "鹤政办〔2026〕45号")
    page.fill("#id_title", "关于开展冬季农村人居环境整治的通知")
    page.fill("#id_copies", "3")
    page.select_option("#id_classification", "secret")
    page.click('[data-testid="register-submit"]')
    page.locator(".alert-danger").wait_for()
    assert "不得进入本系统" in page.locator(".alert-danger").inner_text()
    assert not Document.objects.exists()
    page.select_option("#id_classification", "none")
    scan = tmp_path / "来文扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    page.set_input_files("#id_files", str(scan))
    page.click('[data-testid="register-submit"]')
    page.locator(".alert-success").wait_for()
    document = Document.objects.get()
    assert page.locator('[data-testid="incoming-number"]').inner_text() == document.incoming_number

    become(page, sign_in_as, flow.checker)
    do_step(page, live_server, document, "initial_review", "来文要素齐全。")
    do_step(page, live_server, document, "propose", "拟请种植业管理科牵头办理，呈局长阅示。")

    # 批办: the leader's directive, lead and co-handling departments, deadline, a reader
    become(page, sign_in_as, flow.leader)
    open_document(page, live_server, document)
    panel = page.locator('[data-testid="action-panel"][data-step="direct"]')
    panel.locator("textarea[name=directive]").fill("请种植业管理科牵头，产业发展科配合，十个工作日内报结果。")
    panel.locator("select[name=lead_department]").select_option(label="种植业管理科")
    panel.get_by_label("产业发展科", exact=True).check()
    panel.locator("input[name=deadline_days]").fill("10")
    panel.get_by_label(flow.deputy.name).check()
    panel.locator('[data-testid="step-submit"]').click()
    page.locator(".alert-success").wait_for()
    assert "十个工作日内报结果" in page.locator('[data-testid="directive"]').inner_text()

    # 转办: 种植业管理科 passes it to 农村改革科 with the reason
    become(page, sign_in_as, flow.planting_handler)
    open_document(page, live_server, document)
    panel = page.locator('[data-testid="action-panel"][data-step="handle"]')
    panel.locator('[data-testid="transfer"] summary').click()
    panel.locator("select[name=to_department]").select_option(label="农村改革科")
    panel.locator('[data-testid="transfer"] textarea[name=reason]').fill("属农村改革科职责。")
    panel.locator('[data-testid="transfer-submit"]').click()
    page.locator(".alert-success").wait_for()
    assert "/office/workflow/" in page.url  # passed on: back to the to-do list
    document.refresh_from_db()
    assert document.lead_department == flow.reform

    become(page, sign_in_as, flow.handler)
    do_step(page, live_server, document, "handle", "已制定整治方案，正在组织实施。")
    become(page, sign_in_as, flow.industry_chief)
    do_step(page, live_server, document, "co_handle", "产业发展科已配合摸排。")

    # 传阅: the reader marks it read; the page shows who has read it
    become(page, sign_in_as, flow.deputy)
    open_document(page, live_server, document)
    circulation = page.locator('[data-testid="circulation"] [data-read]')
    assert circulation.get_attribute("data-read") == "no" and flow.deputy.name in circulation.inner_text()
    do_step(page, live_server, document, "circulate", "已阅，请按时完成。")
    assert circulation.get_attribute("data-read") == "yes"

    # 办结 by the handler, with the result
    become(page, sign_in_as, flow.handler)
    open_document(page, live_server, document)
    panel = page.locator('[data-testid="action-panel"][data-step="finish"]')
    panel.locator("textarea[name=result]").fill("整治方案已印发，12个村完成整治。")
    panel.locator('[data-testid="step-submit"]').click()
    page.locator(".alert-success").wait_for()
    document.refresh_from_db()
    assert document.status == "finished"
    assert page.locator('[data-testid="lead-department"]').inner_text() == "农村改革科"

    sheet = page.locator('[data-testid="processing-sheet"]').inner_text()
    steps = ("拟请种植业管理科牵头办理", "十个工作日内报结果", "属农村改革科职责", "已制定整治方案",
             "产业发展科已配合摸排", "已阅，请按时完成", "12个村完成整治")
    for text in steps:
        assert text in sheet, text
    response = page.request.get(f"{live_server.url}/office/documents/{document.pk}/processing-sheet/")
    assert response.headers["content-type"] == "application/pdf"
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    pdf = pdf.replace(" ", "").replace("\n", "")
    for text in steps:
        assert text in pdf, text
    assert page.context.outside_requests == []
