"""The document page, its step actions, the PDFs and 登记录入 through HTTP; outsiders see 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

try:
    from .flow_fixtures import _fresh_definition_cache, flow  # noqa: F401 (fixtures)
    from .test_documents_flow_fawen import act, draft, open_item, pdf_text, run_to_sign_off
except ImportError:
    from flow_fixtures import _fresh_definition_cache, flow  # noqa: F401 (fixtures)
    from test_documents_flow_fawen import act, draft, open_item, pdf_text, run_to_sign_off

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="zhengtong.accounts.backends.AccountBackend")
    return client


def test_drafter_submits_and_section_chief_approves_through_the_page(client, flow):
    from zhengtong.documents.models import Document

    document = draft(flow)
    url = reverse("documents:detail", args=[document.pk])
    page = login(client, flow.drafter).get(url)
    assert page.status_code == 200
    assert 'data-testid="submit-panel"' in page.content.decode()
    response = client.post(reverse("documents:submit", args=[document.pk]),
                           {"countersign_departments": [flow.reform.pk]})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.IN_REVIEW and document.countersign_departments == [flow.reform.pk]

    page = login(client, flow.industry_chief).get(url).content.decode()
    assert 'data-step="section_review"' in page
    item = open_item(flow.industry_chief, document, "section_review")
    client.post(reverse("documents:act", args=[document.pk, item.pk]),
                {"revision": item.instance.revision, "action": "approve", "opinion": "同意。",
                 "countersign_departments": [flow.reform.pk]})
    item.refresh_from_db()
    assert item.status == "done" and item.opinion == "同意。"
    assert open_item(flow.reform_chief, document, "countersign")

    # a second post of the same (now stale) form changes nothing and says why
    response = client.post(reverse("documents:act", args=[document.pk, item.pk]),
                           {"revision": item.instance.revision, "action": "approve", "opinion": "又同意"},
                           follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    item.refresh_from_db()
    assert item.opinion == "同意。"


def test_send_back_through_the_page_needs_a_reason(client, flow):
    from zhengtong.documents.services import processing

    document = draft(flow)
    processing.submit_draft(actor=flow.drafter, document=document)
    item = open_item(flow.industry_chief, document, "section_review")
    url = reverse("documents:act", args=[document.pk, item.pk])
    login(client, flow.industry_chief).post(url, {"revision": item.instance.revision, "action": "send_back",
                                                  "to_step": "draft", "reason": ""})
    item.refresh_from_db()
    assert item.status == "open"
    client.post(url, {"revision": item.instance.revision, "action": "send_back", "to_step": "draft",
                      "reason": "请补充报送时限。"})
    item.refresh_from_db()
    assert item.status == "sent_back"
    document.refresh_from_db()
    assert document.status == "draft"
    assert open_item(flow.drafter, document, "draft")


def test_compose_then_pdf_inline_and_download(client, flow):
    from zhengtong.documents.services import processing

    document = draft(flow)
    run_to_sign_off(flow, document)
    act(processing.review, flow.checker, document, "recheck")
    login(client, flow.clerk)
    item = open_item(flow.clerk, document, "numbering")
    client.post(reverse("documents:act", args=[document.pk, item.pk]),
                {"revision": item.instance.revision, "action": "number"})
    item = open_item(flow.clerk, document, "compose")
    client.post(reverse("documents:act", args=[document.pk, item.pk]),
                {"revision": item.instance.revision, "action": "compose"})
    document.refresh_from_db()
    assert document.status == "composed"
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'data-testid="pdf-preview"' in page and document.number in page
    inline = client.get(reverse("documents:pdf", args=[document.pk]))
    assert inline["Content-Type"] == "application/pdf" and inline["Content-Disposition"].startswith("inline")
    download = client.get(reverse("documents:pdf", args=[document.pk]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert document.number in pdf_text(b"".join(download.streaming_content))
    sheet = client.get(reverse("documents:processing-sheet", args=[document.pk]))
    assert sheet["Content-Type"] == "application/pdf"
    assert "呈局长签发" in pdf_text(sheet.content)


def test_outsiders_get_404_everywhere(client, flow):
    """Another unit's clerk cannot see the document, its PDFs, or act on its items."""
    from zhengtong.documents.services import processing

    document = draft(flow)
    processing.submit_draft(actor=flow.drafter, document=document)
    item = open_item(flow.industry_chief, document, "section_review")
    login(client, flow.cast.outsider)
    for name in ("documents:detail", "documents:processing-sheet", "documents:pdf"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    response = client.post(reverse("documents:act", args=[document.pk, item.pk]),
                           {"revision": item.instance.revision, "action": "approve", "opinion": "同意"})
    assert response.status_code == 404
    assert client.post(reverse("documents:submit", args=[document.pk])).status_code == 404
    assert client.post(reverse("documents:urge", args=[document.pk, item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_insider_without_the_item_cannot_act(client, flow):
    """A colleague who sees the document but does not hold the item is refused; nothing changes."""
    from zhengtong.documents.services import processing

    document = draft(flow)
    processing.submit_draft(actor=flow.drafter, document=document)
    item = open_item(flow.industry_chief, document, "section_review")
    response = login(client, flow.clerk).post(reverse("documents:act", args=[document.pk, item.pk]),
                                              {"revision": item.instance.revision, "action": "approve",
                                               "opinion": "同意"}, follow=True)
    assert "alert-danger" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_register_page_for_clerks_only(client, flow):
    from zhengtong.documents.models import Document

    url = reverse("documents:incoming-register")
    assert login(client, flow.drafter).get(url).status_code == 404
    login(client, flow.clerk)
    assert client.get(url).status_code == 200
    data = {"source_unit_name": "鹤山区财政局", "source_number": "鹤财〔2026〕8号", "title": "关于下达资金的通知",
            "kind": "notice", "copies": 2, "urgency": "normal", "classification": "secret",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "不得进入本系统" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(url, {**data, "classification": "none"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.status == "in_handling" and document.incoming_seq == 1


def test_circulation_and_overdue_on_the_page(client, flow):
    from zhengtong.documents.services import incoming

    document = incoming.register_paper_document(
        actor=flow.clerk, unit=flow.unit, title="关于报送统计数据的通知", kind="notice",
        source_unit_name="鹤山区统计局", copies=1)
    act(incoming.review_incoming, flow.checker, document, "initial_review")
    act(incoming.review_incoming, flow.checker, document, "propose", opinion="拟请农村改革科办理。")
    act(incoming.direct, flow.leader, document, "direct", directive="请农村改革科办理。",
        lead_department=flow.reform.pk, deadline_days=2, circulate_to=[flow.deputy.pk])
    item = open_item(flow.handler, document, "handle")
    item.due_at = timezone.now() - datetime.timedelta(days=1)
    item.save(update_fields=["due_at"])
    page = login(client, flow.clerk).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'data-testid="circulation"' in page and flow.deputy.name in page
    assert 'data-testid="urge"' in page and "text-bg-danger" in page
    client.post(reverse("documents:urge", args=[document.pk, item.pk]), {"note": "已超期，请尽快办理。"})
    assert document.urges.count() == 1


def test_the_co_issuing_unit_acts_on_its_own_page_and_its_other_people_see_nothing(client, flow):
    """联合发文: 财政局's checker sees the document and its joint_check; 财政局's clerk, who takes no
    part, gets 404."""
    from zhengtong.documents.services import processing

    document = draft(flow, co_issuers=[flow.cast.other_unit])
    run_to_sign_off(flow, document)
    act(processing.review, flow.checker, document, "recheck")
    item = open_item(flow.other_checker, document, "joint_check")
    url = reverse("documents:detail", args=[document.pk])
    page = login(client, flow.other_checker).get(url).content.decode()
    assert 'data-step="joint_check"' in page
    client.post(reverse("documents:act", args=[document.pk, item.pk]),
                {"revision": item.instance.revision, "action": "approve", "opinion": "财政局无意见。"})
    item.refresh_from_db()
    assert item.status == "done"
    assert login(client, flow.cast.outsider).get(url).status_code == 404
    nxt = open_item(flow.other_leader, document, "joint_sign_off")
    response = client.post(reverse("documents:act", args=[document.pk, nxt.pk]),
                           {"revision": nxt.instance.revision, "action": "sign_off"})
    assert response.status_code == 404
    nxt.refresh_from_db()
    assert nxt.status == "open"
