"""Each unit's 公文通知接收登记表 (seed 000): page, Excel and PDF, for the unit's own people only."""

from __future__ import annotations

import datetime
import io

import pdfplumber
import pytest
from openpyxl import load_workbook

from zhengtong.audit.models import AuditRecord
from zhengtong.exchange import ledger
from zhengtong.exchange.models import Dispatch

try:
    from .windows_reports_helpers import at, delivery, dispatch
except ImportError:
    from windows_reports_helpers import at, delivery, dispatch

PERIOD = {"start": "2026-10-08", "end": "2026-10-12"}


@pytest.fixture
def received(cast):
    unit = cast.unit
    first = dispatch(cast, sent_at=at("2026-10-09", "09:00"), title="关于做好2026年秋冬种工作的通知",
                     number="鹤财〔2026〕21号", urgency="urgent")
    delivery(first, unit, due_at=at("2026-10-09", "16:30"), status="signed", opened_at=at("2026-10-09", "10:02"),
             received_at=at("2026-10-09", "10:05"), signed_at=at("2026-10-09", "10:12"), signed_by=cast.clerk,
             copies_printed=2)
    second = dispatch(cast, sent_at=at("2026-10-10", "09:00"), title="关于召开防汛工作会议的通知",
                      number="鹤财〔2026〕22号", category=Dispatch.Category.NOTICE)
    delivery(second, unit, due_at=at("2026-10-10", "09:10"), opened_at=at("2026-10-10", "09:04"))
    third = dispatch(cast, sent_at=at("2026-10-12", "09:00"), title="关于报送统计数据的函", number="鹤财函〔2026〕5号")
    delivery(third, unit, due_at=at("2026-10-12", "16:30"), status="returned", opened_at=at("2026-10-12", "10:01"),
             returned_at=at("2026-10-12", "10:03"), returned_by=cast.clerk, return_reason="正文缺页")
    # Not in the register: still unopened; another unit's; outside the period.
    delivery(dispatch(cast, sent_at=at("2026-10-12", "11:00"), title="未打开的公文"), unit, due_at=at("2026-10-12", "16:30"))
    delivery(first, cast.other_unit, due_at=at("2026-10-09", "16:30"), received_at=at("2026-10-09", "10:20"))
    delivery(dispatch(cast, sent_at=at("2026-10-13", "09:00"), title="期外公文"), unit, due_at=at("2026-10-13", "16:30"),
             received_at=at("2026-10-13", "10:00"))
    return cast


@pytest.mark.django_db
def test_register_lines_are_the_units_receipts_in_order(received):
    deliveries = ledger.received_deliveries(received.unit, start=datetime.date(2026, 10, 8),
                                            end=datetime.date(2026, 10, 12))
    lines = ledger.ledger_lines(deliveries)
    assert [line.title for line in lines] == ["关于做好2026年秋冬种工作的通知", "关于召开防汛工作会议的通知", "关于报送统计数据的函"]
    first, notice, returned = lines
    assert first.received_at == at("2026-10-09", "10:05") and first.signed_by == "收发员乙"
    assert first.copies == "2 / 2" and first.urgency and first.state == "signed"
    assert notice.received_at == at("2026-10-10", "09:04") and notice.state == "received"  # opened = received
    assert returned.state == "returned" and "正文缺页" in returned.handling


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clerk", "admin", "leader"])
def test_the_units_people_see_the_register_page(received, signed_in, who):
    response = signed_in(getattr(received, who)).get("/office/exchange/register/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于召开防汛工作会议的通知" in html and "鹤财〔2026〕21号" in html
    assert "未打开的公文" not in html and "期外公文" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/office/exchange/register/", "/office/exchange/register/export.xlsx",
                                 "/office/exchange/register/export.pdf"])
def test_outsiders_and_plain_staff_get_404(received, signed_in, url):
    assert signed_in(received.outsider).get(url, PERIOD).status_code == 200  # their own (empty) register
    # The outsider's own register never shows the cast's unit's lines.
    if url.endswith("/"):
        assert "关于召开防汛工作会议的通知" not in signed_in(received.outsider).get(url, PERIOD).content.decode()
    assert signed_in(received.section_chief).get(url, PERIOD).status_code == 404
    assert signed_in(received.operator).get(url, PERIOD).status_code == 404


@pytest.mark.django_db
def test_register_excel_has_the_paper_forms_columns(received, signed_in):
    response = signed_in(received.clerk).get("/office/exchange/register/export.xlsx", PERIOD)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "鹤山区农业农村局" in sheet["A1"].value
    assert [sheet.cell(row=3, column=c).value for c in range(1, 11)] == [
        "序号", "收到时间", "来文单位", "文号", "标题", "紧急程度", "份数（打印/允许）", "签收人", "签收时间", "处理情况"]
    assert sheet.cell(row=4, column=2).value == "2026-10-09 10:05"
    assert sheet.cell(row=4, column=5).value == "关于做好2026年秋冬种工作的通知"
    assert sheet.max_row == 6
    assert sheet.page_setup.orientation == "landscape"
    assert AuditRecord.objects.filter(action="exchange.ledger.export", unit_id=received.unit.pk).count() == 1


@pytest.mark.django_db
def test_register_pdf_is_a4_landscape_with_chinese_text(received, signed_in):
    response = signed_in(received.clerk).get("/office/exchange/register/export.pdf", PERIOD)
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height  # landscape
        assert round(page.width) == 842  # A4: 297 mm
        text = page.extract_text()
    assert "公文通知接收登记表" in text and "关于召开防汛工作会议的通知" in text and "收发员乙" in text
