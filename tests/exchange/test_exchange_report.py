"""The 通报 of electronic document receiving, on real 2026 working days around the National Day holiday."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from zhengtong.audit.models import AuditRecord
from zhengtong.exchange import reports
from zhengtong.exchange.models import Delivery, Dispatch, WindowAttendance

try:
    from .windows_reports_helpers import at, delivery, dispatch
except ImportError:
    from windows_reports_helpers import at, delivery, dispatch

START, END = datetime.date(2026, 9, 28), datetime.date(2026, 10, 12)
NOW = at("2026-10-12", "12:00")  # Monday after the holiday week; 2026-10-10 (Saturday) was a working day


@pytest.fixture
def receipts(cast):
    """The cast's unit: 8 delivered: 3 on time, 2 late, 1 overdue, 1 waiting, 1 returned (+1 withdrawn); the other unit: 1 on time."""
    unit = cast.unit
    sent = dispatch(cast, sent_at=at("2026-10-09", "09:00"))
    delivery(sent, unit, due_at=at("2026-10-09", "16:30"), status="signed", signed_at=at("2026-10-09", "10:10"))
    delivery(sent, cast.other_unit, due_at=at("2026-10-09", "16:30"), received_at=at("2026-10-09", "16:05"))
    # Printed (第三十七条 receipt) before the deadline, signed for after it: the print counts.
    delivery(dispatch(cast, sent_at=at("2026-10-09", "09:30")), unit, due_at=at("2026-10-09", "16:30"),
             status="signed", received_at=at("2026-10-09", "16:10"), signed_at=at("2026-10-12", "10:00"))
    # Due on the eve of the holiday, printed on the first working day after it: 7.5 + 10 working hours late.
    delivery(dispatch(cast, sent_at=at("2026-09-30", "09:00")), unit, due_at=at("2026-09-30", "16:30"),
             received_at=at("2026-10-08", "10:00"))
    notice = dispatch(cast, sent_at=at("2026-10-12", "10:00"), category=Dispatch.Category.NOTICE)
    delivery(notice, unit, due_at=at("2026-10-12", "10:10"), opened_at=at("2026-10-12", "10:05"))
    late_notice = dispatch(cast, sent_at=at("2026-10-12", "10:00"), category=Dispatch.Category.NOTICE)
    delivery(late_notice, unit, due_at=at("2026-10-12", "10:10"), opened_at=at("2026-10-12", "10:22"))
    delivery(dispatch(cast, sent_at=at("2026-10-09", "11:00")), unit, due_at=at("2026-10-09", "16:30"))  # overdue
    delivery(dispatch(cast, sent_at=at("2026-10-12", "11:00")), unit, due_at=at("2026-10-12", "16:30"))  # waiting
    delivery(dispatch(cast, sent_at=at("2026-10-09", "11:00")), unit, due_at=at("2026-10-09", "16:30"),
             status="returned", returned_at=at("2026-10-09", "16:00"), return_reason="附件缺页")
    delivery(dispatch(cast, sent_at=at("2026-10-09", "11:00")), unit, due_at=at("2026-10-09", "16:30"),
             status="withdrawn")
    # Outside the period: not counted.
    delivery(dispatch(cast, sent_at=at("2026-10-13", "09:00")), unit, due_at=at("2026-10-13", "16:30"))
    WindowAttendance.objects.create(unit=unit, day=datetime.date(2026, 10, 9), starts_at=at("2026-10-09", "10:00"),
                                    ends_at=at("2026-10-09", "10:30"), attended_at=at("2026-10-09", "10:10"),
                                    attended_by=cast.clerk)
    WindowAttendance.objects.create(unit=unit, day=datetime.date(2026, 10, 9), starts_at=at("2026-10-09", "16:00"),
                                    ends_at=at("2026-10-09", "16:30"), pending_count=2)
    return cast


@pytest.mark.django_db
def test_report_counts_on_time_late_overdue_returned_and_windows(receipts):
    rows = reports.receiving_report(start=START, end=END, now=NOW)
    by_unit = {row.unit: row for row in rows}
    mine = by_unit[receipts.unit]
    assert (mine.delivered, mine.on_time, mine.late, mine.overdue, mine.waiting, mine.returned) == (8, 3, 2, 1, 1, 1)
    assert mine.on_time_rate == 50.0
    # 17.5 h over the National Day holiday (days off not counted) and 12 minutes: (17.5 + 0.2) / 2.
    assert mine.average_delay_hours == pytest.approx(8.85, abs=0.06)
    assert (mine.windows_attended, mine.windows_expected) == (1, 2)
    other = by_unit[receipts.other_unit]
    assert (other.delivered, other.on_time, other.on_time_rate) == (1, 1, 100.0)
    assert rows[0].unit == receipts.other_unit  # best rate first
    total = reports.totals(rows)
    assert (total.delivered, total.on_time, total.late) == (9, 4, 2)


def test_working_delay_leaves_out_days_off():
    from zhengtong.workdays.calendar import WorkingCalendar, WindowDefinition, package_days

    calendar = WorkingCalendar(year_days=package_days, windows=[WindowDefinition("上午", datetime.time(10),
                                                                                 datetime.time(10, 30))],
                               cutoff=datetime.time(15), time_zone="Asia/Shanghai")
    # Friday 16:30 to the swapped Saturday 2026-10-10 09:00: the Saturday is a working day.
    assert reports.working_delay(calendar, at("2026-10-09", "16:30"), at("2026-10-10", "09:00")) == \
        datetime.timedelta(hours=16, minutes=30)
    # Saturday 2026-10-10 23:00 to Monday 01:00: Sunday is off.
    assert reports.working_delay(calendar, at("2026-10-10", "23:00"), at("2026-10-12", "01:00")) == \
        datetime.timedelta(hours=2)
    assert reports.working_delay(calendar, at("2026-10-12", "10:00"), at("2026-10-12", "09:00")) == \
        datetime.timedelta(0)


@pytest.mark.django_db
def test_report_page_shows_the_table_and_the_chart(receipts, signed_in):
    client = signed_in(receipts.operator)
    response = client.get("/office/exchange/report/", {"start": "2026-09-28", "end": "2026-10-12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "鹤山区农业农村局" in html and "鹤山区财政局" in html
    assert 'id="exchange-report-chart"' in html and "vendor/chart.js/chart.umd.js" in html
    assert "exchange-report-chart-data" in html
    rows = response.context["rows"]
    assert [row.unit for row in rows][:1] == [receipts.other_unit]


@pytest.mark.django_db
def test_report_period_picker_refuses_bad_periods(receipts, signed_in):
    client = signed_in(receipts.operator)
    response = client.get("/office/exchange/report/", {"start": "2026-10-12", "end": "2026-10-01"})
    assert response.status_code == 400
    assert "结束日期早于开始日期" in response.content.decode() or response.context["form"].errors
    assert client.get("/office/exchange/report/", {"period": "week"}).status_code == 200


@pytest.mark.django_db
def test_report_excel_export_is_laid_out_for_a4_landscape_and_audited(receipts, signed_in):
    client = signed_in(receipts.operator)
    response = client.get("/office/exchange/report/export.xlsx", {"start": "2026-09-28", "end": "2026-10-12"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('tongbao-20260928-20261012.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "2026-09-28" in sheet["A1"].value
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$3"
    names = [sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row + 1)]
    assert names[:2] == ["鹤山区财政局", "鹤山区农业农村局"]
    mine = [sheet.cell(row=5, column=c).value for c in range(1, 11)]
    # Read today (after 2026-10-12 16:30), the delivery that was still waiting is overdue too: 3 of 7.
    assert mine[2:5] == [8, 3, 2] and mine[-1] == "42.9%" and mine[8] == "1 / 2"
    assert sheet.cell(row=sheet.max_row, column=2).value == "合计"
    assert AuditRecord.objects.filter(action="exchange.report.export").count() == 1


@pytest.mark.django_db
def test_report_pdf_renders(receipts, signed_in):
    response = signed_in(receipts.operator).get("/office/exchange/report/export.pdf",
                                                {"start": "2026-09-28", "end": "2026-10-12"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "鹤山区农业农村局" in text and "42.9%" in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clerk", "admin", "leader", "outsider"])
def test_only_the_operator_sees_the_report_and_the_windows(receipts, signed_in, who):
    client = signed_in(getattr(receipts, who))
    for url in ("/office/exchange/report/", "/office/exchange/report/export.xlsx",
                "/office/exchange/report/export.pdf", "/office/exchange/windows/"):
        assert client.get(url).status_code == 404
    assert not AuditRecord.objects.filter(action="exchange.report.export").exists()


@pytest.mark.django_db
def test_report_is_empty_when_nothing_arrived(cast, signed_in):
    response = signed_in(cast.operator).get("/office/exchange/report/", {"start": "2026-10-01",
                                                                          "end": "2026-10-07"})
    assert response.status_code == 200
    assert all(row.delivered == 0 and row.on_time_rate is None for row in response.context["rows"])
    assert 'id="exchange-report-chart"' not in response.content.decode()


@pytest.mark.django_db
def test_report_of_deliveries_is_a_few_queries(receipts, django_assert_max_num_queries):
    for index in range(30):
        sent = dispatch(receipts, sent_at=at("2026-10-09", "09:00"), title=f"通知{index}")
        delivery(sent, receipts.unit, due_at=at("2026-10-09", "16:30"), received_at=at("2026-10-09", "17:00"))
    reports.receiving_report(start=START, end=END, now=NOW)  # the process's calendar cache, filled or not
    with django_assert_max_num_queries(8):
        rows = reports.receiving_report(start=START, end=END, now=NOW)
    assert {row.unit: row.late for row in rows}[receipts.unit] == 32
    assert Delivery.objects.count() == 41
