"""The drafting pages as a clerk uses them, and 404 for everybody who may not see them."""

from __future__ import annotations

import datetime
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhengtong.documents import selectors, services
from zhengtong.documents.models import Attachment, Distribution, Document, IssuedNumber, RedHeaderTemplate

from .factories import draft, incoming, staff

pytestmark = pytest.mark.django_db

BLOCKS = [{"level": 0, "text": "现将有关事项通知如下。"}, {"level": 1, "text": "工作目标"}]


def _post_draft(client, **overrides):
    data = {"kind": "notice", "flow_direction": "", "title": "关于开展农机安全检查的通知",
            "main_recipients": "各镇人民政府", "urgency": "normal", "classification": "none",
            "body": json.dumps(BLOCKS, ensure_ascii=False), "printer": "鹤山区农业农村局办公室"}
    data.update(overrides)
    return client.post(reverse("documents:add"), data)


def test_the_draft_form_creates_a_draft_with_its_body_blocks(cast, signed_in):
    client = signed_in(cast.clerk)
    page = client.get(reverse("documents:add"))
    assert page.status_code == 200
    assert b"body_editor.js" in page.content and b'data-testid="body-editor"' in page.content
    response = _post_draft(client, countersign_departments=[cast.office.pk], co_issuers=[cast.other_unit.pk])
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.body == BLOCKS and document.flow_direction == "downward"
    assert document.countersign_departments == [cast.office.pk]
    assert document.co_issuers.get().unit == cast.other_unit
    assert document.current_version.saved_by == cast.clerk


def test_a_secret_classification_is_refused_on_the_form_with_the_reason(cast, signed_in):
    response = _post_draft(signed_in(cast.clerk), classification="secret")
    assert response.status_code == 400
    assert "涉密" in response.content.decode() or "秘密" in response.content.decode()
    assert not Document.objects.exists()


def test_a_secret_marking_in_the_body_is_refused_on_the_form(cast, signed_in):
    body = json.dumps([{"level": 0, "text": "秘密★1年"}], ensure_ascii=False)
    response = _post_draft(signed_in(cast.clerk), body=body)
    assert response.status_code == 400 and "秘密" in response.content.decode()
    assert not Document.objects.exists()


def test_a_broken_body_is_refused(cast, signed_in):
    response = _post_draft(signed_in(cast.clerk), body="[{not json")
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_editing_saves_a_new_version_and_the_versions_page_compares(cast, signed_in):
    document = draft(cast)
    client = signed_in(cast.clerk)
    assert client.get(reverse("documents:edit", args=[document.pk])).status_code == 200
    body = json.dumps([*document.body, {"level": 1, "text": "组织保障"}], ensure_ascii=False)
    response = client.post(reverse("documents:edit", args=[document.pk]), {
        "kind": "notice", "title": document.title, "main_recipients": document.main_recipients,
        "urgency": "normal", "classification": "none", "body": body, "note": "补充组织保障"})
    assert response.status_code == 302
    assert document.versions.count() == 2
    page = client.get(reverse("documents:versions", args=[document.pk]), {"a": 1, "b": 2})
    assert page.status_code == 200
    assert '<ins class="zt-ins">三、组织保障</ins>' in page.content.decode()
    assert client.get(reverse("documents:version", args=[document.pk, 1])).status_code == 200


def test_others_cannot_edit_a_draft(cast, signed_in):
    document = draft(cast)
    assert signed_in(cast.leader).get(reverse("documents:edit", args=[document.pk])).status_code == 403
    assert signed_in(cast.outsider).get(reverse("documents:edit", args=[document.pk])).status_code == 404


def test_attachments_upload_download_and_remove(cast, signed_in):
    document = draft(cast)
    client = signed_in(cast.clerk)
    upload = SimpleUploadedFile("2026年秋冬种统计表.xlsx", b"PK\x03\x04 table", content_type="application/vnd.ms-excel")
    response = client.post(reverse("documents:attachment-add", args=[document.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "2026年秋冬种统计表.xlsx" and attachment.size == len(b"PK\x03\x04 table")
    assert attachment.uploaded_by == cast.clerk and attachment.content_type == "application/vnd.ms-excel"
    assert attachment.sha256 == hashlib.sha256(b"PK\x03\x04 table").hexdigest()
    download = client.get(reverse("documents:attachment", args=[document.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == b"PK\x03\x04 table"
    assert "2026" in download["Content-Disposition"]
    outsider = signed_in(cast.outsider)
    assert outsider.get(reverse("documents:attachment", args=[document.pk, attachment.pk])).status_code == 404
    assert outsider.post(reverse("documents:attachment-add", args=[document.pk]),
                         {"file": SimpleUploadedFile("x.txt", b"x")}).status_code == 404
    assert outsider.post(reverse("documents:attachment-remove", args=[document.pk, attachment.pk])).status_code == 404
    client = signed_in(cast.clerk)
    client.post(reverse("documents:attachment-remove", args=[document.pk, attachment.pk]))
    assert not Attachment.objects.exists()


def test_an_empty_file_is_refused(cast, signed_in):
    document = draft(cast)
    client = signed_in(cast.clerk)
    client.post(reverse("documents:attachment-add", args=[document.pk]), {"file": SimpleUploadedFile("a.txt", b"")})
    assert not Attachment.objects.exists()


def test_visibility_of_documents(cast):
    document = draft(cast, actor=cast.section_chief)
    for person in (cast.section_chief, cast.clerk, cast.admin, cast.leader):
        assert selectors.documents_visible_to(person, cast.unit).filter(pk=document.pk).exists()
        assert selectors.document_for(person, document.pk) == document
    assert not selectors.documents_visible_to(cast.outsider, cast.unit).exists()
    assert not selectors.documents_visible_to(cast.outsider, cast.other_unit).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.document_for(cast.outsider, document.pk)


def test_a_plain_member_sees_only_what_they_take_part_in(cast):
    member = staff(cast)
    document = draft(cast)
    assert not selectors.documents_visible_to(member, cast.unit).exists()
    Distribution.objects.create(document=document, recipient=member, distributed_by=cast.clerk)
    assert list(selectors.documents_visible_to(member, cast.unit)) == [document]


def test_co_issuing_units_people_see_it_only_when_they_take_part(cast):
    document = draft(cast, co_issuers=[cast.other_unit])
    assert not selectors.documents_visible_to(cast.outsider, cast.other_unit).exists()
    Distribution.objects.create(document=document, recipient=cast.outsider, distributed_by=cast.clerk)
    assert list(selectors.documents_visible_to(cast.outsider, cast.other_unit)) == [document]


def test_registers_page_lists_numbers_and_voids_with_a_reason(cast, signed_in):
    issued = services.take_number(actor=cast.clerk, document=draft(cast, document_date=datetime.date(2026, 5, 1)))
    client = signed_in(cast.admin)
    page = client.get(reverse("documents:registers"))
    assert page.status_code == 200 and "鹤农发" in page.content.decode()
    numbers = client.get(reverse("documents:register-numbers", args=[issued.register_id]), {"year": 2026})
    assert "鹤农发〔2026〕1号" in numbers.content.decode()
    client.post(reverse("documents:number-void", args=[issued.pk]), {"reason": ""})
    issued.refresh_from_db()
    assert issued.status == "issued"
    client.post(reverse("documents:number-void", args=[issued.pk]), {"reason": "重复编号"})
    issued.refresh_from_db()
    assert (issued.status, issued.void_reason) == ("voided", "重复编号")
    response = client.post(reverse("documents:register-add"), {"name": "局函", "prefix": "鹤农函", "kinds": ["letter"],
                                                                "is_active": "on"})
    assert response.status_code == 302
    response = client.post(reverse("documents:register-add"), {"name": "局函", "prefix": "鹤农函"})
    assert response.status_code == 400 and "鹤农函" in response.content.decode()


def test_red_header_pages(cast, signed_in):
    client = signed_in(cast.admin)
    assert client.get(reverse("documents:red-header-add")).status_code == 200
    response = client.post(reverse("documents:red-header-add"), {
        "name": "联合发文", "lines": "鹤山区农业农村局\n鹤山区财政局", "suffix": "文件", "color": "#E60012",
        "kinds": ["notice"], "is_default": "on"})
    assert response.status_code == 302
    template = RedHeaderTemplate.objects.get()
    page = client.get(reverse("documents:red-headers"))
    assert "鹤山区财政局" in page.content.decode() and 'data-testid="red-header-preview"' in page.content.decode()
    response = client.post(reverse("documents:red-header-edit", args=[template.pk]), {
        "name": "联合发文", "lines": "", "suffix": "文件", "color": "#E60012"})
    assert response.status_code == 400
    client.post(reverse("documents:red-header-delete", args=[template.pk]))
    assert not RedHeaderTemplate.objects.exists()


def test_outgoing_ledger_search_and_excel_layout(cast, signed_in):
    first = draft(cast, document_date=datetime.date(2026, 3, 2), signers="局长丁")
    services.take_number(actor=cast.clerk, document=first)
    second = draft(cast, title="关于印发农机补贴方案的通知", document_date=datetime.date(2026, 4, 8))
    services.take_number(actor=cast.clerk, document=second)
    Document.objects.filter(pk__in=[first.pk, second.pk]).update(status=Document.Status.DISTRIBUTED)
    draft(cast, title="还在起草的通知")
    client = signed_in(cast.clerk)
    page = client.get(reverse("documents:ledger-outgoing"), {"year": 2026})
    content = page.content.decode()
    assert "鹤农发〔2026〕1号" in content and "鹤农发〔2026〕2号" in content and "还在起草" not in content
    found = client.get(reverse("documents:ledger-outgoing"), {"year": 2026, "q": "农机"}).content.decode()
    assert "农机补贴" in found and "秋冬种" not in found
    dated = client.get(reverse("documents:ledger-outgoing"),
                       {"year": 2026, "date_from": "2026-03-01", "date_to": "2026-03-31"}).content.decode()
    assert "秋冬种" in dated and "农机补贴" not in dated
    assert client.get(reverse("documents:ledger-outgoing"),
                      {"date_from": "2026-05-01", "date_to": "2026-03-31"}).status_code == 400
    export = client.get(reverse("documents:ledger-outgoing-export"), {"year": 2026})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "鹤山区农业农村局 2026年 发文登记簿"
    assert [cell.value for cell in sheet[2]] == ["序号", "发文字号", "标题", "密级", "紧急程度", "主送机关", "签发人",
                                                 "成文日期", "份数/印发", "拟稿科室/拟稿人", "状态"]
    assert [sheet.cell(row=3, column=c).value for c in (1, 2, 7, 8)] == [1, "鹤农发〔2026〕1号", "局长丁", "2026-03-02"]
    assert sheet.cell(row=4, column=2).value == "鹤农发〔2026〕2号" and sheet.max_row == 4
    assert sheet["B2"].border.left.style == "thin" and sheet["C3"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    assert sheet.column_dimensions["C"].width == 42
    from zhengtong.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="documents.ledger.export", actor_id=cast.clerk.pk).count() == 1


def test_the_ledger_is_paginated(cast, signed_in):
    for _ in range(52):
        services.take_number(actor=cast.clerk, document=draft(cast, document_date=datetime.date(2026, 2, 1)))
    client = signed_in(cast.clerk)
    first = client.get(reverse("documents:ledger-outgoing"), {"year": 2026}).content.decode()
    second = client.get(reverse("documents:ledger-outgoing"), {"year": 2026, "page": 2}).content.decode()
    assert "鹤农发〔2026〕50号" in first and "鹤农发〔2026〕51号" not in first
    assert "鹤农发〔2026〕51号" in second
    assert "?year=2026&page=1" in second


def test_incoming_ledger_and_export(cast, signed_in):
    incoming(cast, seq=1, year=2026)
    incoming(cast, seq=2, year=2026, title="关于防汛工作的紧急通知", source="鹤山区应急管理局", number="鹤应急〔2026〕9号",
             urgency="very_urgent", handling_deadline=datetime.date(2026, 6, 30))
    incoming(cast, seq=1, year=2025, title="去年的来文")
    client = signed_in(cast.clerk)
    content = client.get(reverse("documents:ledger-incoming"), {"year": 2026}).content.decode()
    assert "2026-0001" in content and "2026-0002" in content and "去年的来文" not in content
    found = client.get(reverse("documents:ledger-incoming"), {"year": 2026, "source": "应急"}).content.decode()
    assert "防汛" in found and "统计数据" not in found
    sheet = load_workbook(io.BytesIO(client.get(reverse("documents:ledger-incoming-export"),
                                                {"year": 2026}).content)).active
    assert sheet["A1"].value == "鹤山区农业农村局 2026年 收文登记簿"
    assert [cell.value for cell in sheet[2]][:5] == ["收文编号", "收文日期", "来文单位", "来文字号", "标题"]
    assert [sheet.cell(row=4, column=c).value for c in (1, 3, 4, 10)] == [
        "2026-0002", "鹤山区应急管理局", "鹤应急〔2026〕9号", "2026-06-30"]
    assert "特急" in sheet.cell(row=4, column=8).value


@pytest.mark.parametrize("name", ["drafts", "add", "ledger-outgoing", "ledger-incoming", "ledger-outgoing-export",
                                  "ledger-incoming-export", "registers", "register-add", "red-headers",
                                  "red-header-add"])
def test_plain_members_get_404_on_ledgers_and_admin_pages(cast, signed_in, name):
    """A 科员 without roles drafts, but the ledgers and the admin pages of the unit do not exist for them."""
    client = signed_in(staff(cast))
    expected = 200 if name in ("drafts", "add") else 404
    assert client.get(reverse(f"documents:{name}")).status_code == expected


def test_outsiders_get_404_on_every_object_page(cast, signed_in):
    document = draft(cast)
    issued = services.take_number(actor=cast.clerk, document=document)
    template = services.create_red_header(actor=cast.admin, unit=cast.unit, name="局文件", lines=["鹤山区农业农村局"])
    client = signed_in(cast.outsider)
    for url in (reverse("documents:edit", args=[document.pk]), reverse("documents:versions", args=[document.pk]),
                reverse("documents:version", args=[document.pk, 1]),
                reverse("documents:register-numbers", args=[issued.register_id]),
                reverse("documents:register-edit", args=[issued.register_id]),
                reverse("documents:red-header-edit", args=[template.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("documents:number-void", args=[issued.pk]),
                reverse("documents:red-header-delete", args=[template.pk])):
        assert client.post(url, {"reason": "外单位"}).status_code == 404, url
    issued.refresh_from_db()
    assert issued.status == IssuedNumber.Status.ISSUED and RedHeaderTemplate.objects.exists()
    # the outsider's own unit's ledger shows nothing of the agricultural bureau
    ledger = client.get(reverse("documents:ledger-outgoing"), {"year": issued.year}).content.decode()
    assert "鹤农发" not in ledger


def test_the_attachments_include_offers_upload_only_to_who_may_edit(cast, rf):
    from django.template.loader import render_to_string

    document = draft(cast)
    for person, offered in ((cast.clerk, True), (cast.leader, False)):
        request = rf.get("/")
        request.user = person
        html = render_to_string("documents/includes/attachments.html", {"document": document}, request=request)
        assert ('data-testid="attachment-upload"' in html) is offered


def test_the_edit_page_lists_attachments_with_the_upload_form(cast, signed_in):
    document = draft(cast)
    page = signed_in(cast.clerk).get(reverse("documents:edit", args=[document.pk])).content.decode()
    assert 'data-testid="attachment-upload"' in page and 'data-testid="body-editor"' in page


def test_the_elements_and_versions_includes_render(cast, rf):
    from django.template.loader import render_to_string

    document = draft(cast, signers="局长丁", attachment_note="统计表")
    services.update_draft(actor=cast.clerk, document=document, title="关于切实做好2026年秋冬种工作的通知")
    request = rf.get("/")
    request.user = cast.clerk
    elements = render_to_string("documents/includes/elements.html", {"document": document}, request=request)
    assert "局长丁" in elements and "统计表" in elements and elements.count("<dt") == 18
    versions = render_to_string("documents/includes/versions.html", {"document": document}, request=request)
    assert "?a=1&amp;b=2" in versions or "?a=1&b=2" in versions


def test_the_clerk_finds_the_registration_page_from_the_incoming_ledger(cast, signed_in):
    page = signed_in(cast.clerk).get(reverse("documents:ledger-incoming")).content.decode()
    assert reverse("documents:incoming-register") in page
    assert reverse("documents:incoming-register") not in signed_in(cast.admin).get(
        reverse("documents:ledger-incoming")).content.decode()
