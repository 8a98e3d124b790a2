"""Controlled printing, 脱密下载 and copy requests (seed 001 第三十四条–第三十八条)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.exchange.models import CopyRequest, Delivery, PrintRecord
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused
from zhengtong.exchange.services import printing

try:
    from .printing_helpers import make_delivery, page_text, pdfsig_report, self_signed_pdf, third_unit_clerk
except ImportError:
    from printing_helpers import make_delivery, page_text, pdfsig_report, self_signed_pdf, third_unit_clerk

MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_BASE_URL = "https://zw.heshan.gov.cn"


def _qr_modules(pdf: bytes, page: int = 1, dpi: int = 300) -> list[list[bool]]:
    """Read the QR code in the top-right margin back from the rendered page, module by module."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "copy.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-png",
                        str(path), str(Path(directory) / "page")], check=True, timeout=60)
        image = Image.open(next(Path(directory).glob("page*.png"))).convert("L")
        image.load()
    px = dpi / 25.4
    right, top, size = image.width - 12 * px, 7 * px, 21 * px
    left = right - size
    return left, top, size, image


def _qr_matches(pdf: bytes, url: str, page: int = 1) -> bool:
    left, top, size, image = _qr_modules(pdf, page)
    matrix = segno.make(url, error="m").matrix
    n = len(matrix)
    module = size / n
    for row in range(n):
        for col in range(n):
            pixel = image.getpixel((int(left + (col + 0.5) * module), int(top + (row + 0.5) * module)))
            if (pixel < 128) != bool(matrix[row][col]):
                return False
    return True


@pytest.mark.django_db
def test_a_print_is_marked_on_every_page_with_copy_unit_person_time_and_a_qr_code(cast):
    delivery = make_delivery(cast, copies=5)
    record, pdf = printing.print_copy(actor=cast.outsider, delivery=delivery)
    assert (record.kind, record.copy_number, record.copies_total, record.printed_by) == ("print", 1, 5, cast.outsider)
    pages = page_text(pdf)
    assert len(pages) == 2
    stamp = record.printed_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    for text in pages:
        assert "第 1 份/共 5 份" in text
        assert "鹤山区财政局" in text and "外单位戊" in text and stamp in text
    url = "https://zw.heshan.gov.cn/verify/c/" + record.token
    assert printing.verify_url(record.token) == url
    assert _qr_matches(pdf, url, page=1) and _qr_matches(pdf, url, page=2)
    assert not _qr_matches(pdf, url + "x", page=1)  # the check can fail
    import hashlib

    assert record.sha256 == hashlib.sha256(pdf).hexdigest()
    delivery.refresh_from_db()
    assert delivery.copies_printed == 1 and delivery.received_at is not None  # 第三十七条
    assert AuditRecord.objects.filter(action="exchange.copy.print", object_id=str(record.pk)).exists()
    assert AuditRecord.objects.filter(action="exchange.delivery.receive").count() == 1
    second, pdf2 = printing.print_copy(actor=cast.outsider, delivery=delivery)
    assert second.copy_number == 2 and "第 2 份/共 5 份" in page_text(pdf2)[0]
    delivery.refresh_from_db()
    assert delivery.copies_printed == 2
    assert AuditRecord.objects.filter(action="exchange.delivery.receive").count() == 1  # set once


@pytest.mark.django_db
def test_printing_beyond_the_quota_is_refused_audited_and_changes_nothing(cast):
    delivery = make_delivery(cast, copies=1)
    printing.print_copy(actor=cast.outsider, delivery=delivery)
    with pytest.raises(printing.PrintQuotaExhausted) as refused:
        printing.print_copy(actor=cast.outsider, delivery=delivery)
    assert "打印份数已用完" in str(refused.value)
    delivery.refresh_from_db()
    assert delivery.copies_printed == 1 and PrintRecord.objects.count() == 1
    refusal = AuditRecord.objects.get(action="exchange.copy.refuse")
    assert refusal.changes["copies_printed"] == 1 and "打印份数已用完" in refusal.changes["reasons"][0]


@pytest.mark.django_db
def test_printing_needs_the_check_first_and_a_delivery_not_returned(cast):
    unchecked = make_delivery(cast, checked=False)
    with pytest.raises(ExchangeRefused, match="核对"):
        printing.print_copy(actor=cast.outsider, delivery=unchecked)
    with pytest.raises(ExchangeRefused, match="核对"):
        printing.declassified_copy(actor=cast.outsider, delivery=unchecked)
    returned = make_delivery(cast, title="另一份通知", status=Delivery.Status.RETURNED)
    with pytest.raises(ExchangeRefused):
        printing.print_copy(actor=cast.outsider, delivery=returned)
    assert PrintRecord.objects.count() == 0
    assert Delivery.objects.filter(copies_printed__gt=0).count() == 0
    assert AuditRecord.objects.filter(action="exchange.copy.refuse").count() == 3


@pytest.mark.django_db
def test_only_the_receiving_units_clerks_print_or_download(cast):
    delivery = make_delivery(cast)
    for person in (cast.clerk, cast.section_chief, cast.leader, third_unit_clerk(cast), cast.operator):
        with pytest.raises(ExchangePermissionDenied):
            printing.print_copy(actor=person, delivery=delivery)
        with pytest.raises(ExchangePermissionDenied):
            printing.declassified_copy(actor=person, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.copies_printed == 0 and delivery.received_at is None and not PrintRecord.objects.exists()


@pytest.mark.django_db
def test_a_declassified_copy_carries_no_valid_seal_but_counts_as_receipt(cast):
    original = self_signed_pdf()
    assert "Signature is Valid" in pdfsig_report(original)  # the original carries a valid signature
    delivery = make_delivery(cast, copies=2)
    record, pdf = printing.declassified_copy(actor=cast.outsider, delivery=delivery)
    assert record.kind == PrintRecord.Kind.DECLASSIFIED and record.copy_number is None
    report = pdfsig_report(pdf)
    assert "does not contain any signatures" in report and "Signature is Valid" not in report
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert "/AcroForm" not in reader.trailer["/Root"] and "/Perms" not in reader.trailer["/Root"]
    for text in page_text(pdf):
        assert "脱密件 — 相当于复印件" in text and "鹤山区财政局" in text
    delivery.refresh_from_db()
    assert delivery.copies_printed == 0 and delivery.received_at is not None
    receipt = AuditRecord.objects.get(action="exchange.delivery.receive")
    assert receipt.changes["via"] == "declassified"


@pytest.mark.django_db
def test_the_seal_picture_stays_on_the_page_of_a_copy(cast):
    """The flattened seal is still drawn (red pixels where the seal box is)."""
    from PIL import Image

    delivery = make_delivery(cast)
    _, pdf = printing.declassified_copy(actor=cast.outsider, delivery=delivery)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "c.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-f", "2", "-l", "2", "-png", str(path),
                        str(Path(directory) / "p")], check=True)
        image = Image.open(next(Path(directory).glob("p*.png"))).convert("RGB")
        red = sum(1 for r, g, b in image.getdata() if r > 180 and g < 80 and b < 80)
    assert red > 200


@pytest.mark.django_db
def test_more_copies_requested_granted_then_printed(cast, django_capture_on_commit_callbacks):
    from zhengtong.notifications.models import Notice

    delivery = make_delivery(cast, copies=1)
    printing.print_copy(actor=cast.outsider, delivery=delivery)
    with pytest.raises(ExchangeRefused):
        printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=2, reason="  ")
    with pytest.raises(ExchangeRefused):
        printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=0, reason="卡纸")
    with pytest.raises(ExchangePermissionDenied):
        printing.request_copies(actor=cast.clerk, delivery=delivery, kind="more", copies=2, reason="卡纸")
    assert not CopyRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        request = printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=2,
                                          reason="第1份打印时卡纸")
    with pytest.raises(ExchangeRefused):  # one waiting request at a time
        printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=1, reason="再要")
    assert Notice.objects.filter(recipient=cast.clerk, url=reverse("exchange:copy-requests")).exists()
    # the receiver and other units cannot decide; refusing needs a note
    for person in (cast.outsider, third_unit_clerk(cast), cast.section_chief):
        with pytest.raises(ExchangePermissionDenied):
            printing.decide_copy_request(actor=person, request=request, grant=True)
    with pytest.raises(ExchangeRefused):
        printing.decide_copy_request(actor=cast.clerk, request=request, grant=False)
    with django_capture_on_commit_callbacks(execute=True):
        printing.decide_copy_request(actor=cast.clerk, request=request, grant=True, note="同意")
    request.refresh_from_db()
    delivery.refresh_from_db()
    assert (request.status, request.decided_by, delivery.copies_allowed) == ("granted", cast.clerk, 3)
    assert Notice.objects.filter(recipient=cast.outsider).exists()
    with pytest.raises(ExchangeRefused):
        printing.decide_copy_request(actor=cast.clerk, request=request, grant=True)
    record, pdf = printing.print_copy(actor=cast.outsider, delivery=delivery)
    assert record.copy_number == 2 and "第 2 份/共 3 份" in page_text(pdf)[0]
    assert AuditRecord.objects.filter(action__in=["exchange.copies.request", "exchange.copies.grant"]).count() == 2


@pytest.mark.django_db
def test_a_refused_request_changes_no_quota(cast):
    delivery = make_delivery(cast, copies=1)
    request = printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=5, reason="多要")
    printing.decide_copy_request(actor=cast.clerk, request=request, grant=False, note="一份足够")
    request.refresh_from_db()
    delivery.refresh_from_db()
    assert (request.status, request.decision_note, delivery.copies_allowed) == ("refused", "一份足够", 1)


@pytest.mark.django_db
def test_a_granted_resend_delivers_a_returned_document_again(cast):
    delivery = make_delivery(cast, status=Delivery.Status.RETURNED, return_reason="文件无法打开")
    request = printing.request_copies(actor=cast.outsider, delivery=delivery, kind="resend", copies=3,
                                      reason="文件损坏，请重发")
    assert request.copies == 0
    printing.decide_copy_request(actor=cast.clerk, request=request, grant=True)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.return_reason == ""
    assert delivery.returned_at is None and delivery.checked_at is None  # to be checked again
    grant = AuditRecord.objects.get(action="exchange.copies.grant")
    assert grant.changes["before"]["status"] == "returned"


@pytest.mark.django_db
def test_pages_for_the_receiver(cast, signed_in):
    delivery = make_delivery(cast, copies=1)
    client = signed_in(cast.outsider)
    page = client.get(reverse("exchange:printing", args=[delivery.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="print-button"' in html and "可打印 1 份/共 1 份" in html and "打印第 1 份" in html
    response = client.post(reverse("exchange:print", args=[delivery.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    again = client.post(reverse("exchange:print", args=[delivery.pk]), follow=True)
    assert "打印份数已用完" in again.content.decode()
    log = client.get(reverse("exchange:printing", args=[delivery.pk])).content.decode()
    assert "第 1 份/共 1 份" in log and "外单位戊" in log
    download = client.post(reverse("exchange:declassified", args=[delivery.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    form = client.post(reverse("exchange:copy-request", args=[delivery.pk]),
                       {"kind": "more", "copies": "2", "reason": "打印机卡纸"})
    assert form.status_code == 302
    assert CopyRequest.objects.get().copies == 2


@pytest.mark.django_db
def test_pages_for_the_sender(cast, signed_in):
    delivery = make_delivery(cast, copies=1)
    request = printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=2, reason="卡纸")
    printing.print_copy(actor=cast.outsider, delivery=delivery)
    client = signed_in(cast.clerk)
    listing = client.get(reverse("exchange:copy-requests")).content.decode()
    assert "鹤山区财政局" in listing and "卡纸" in listing and f'data-testid="decide-{request.pk}"' in listing
    prints = client.get(reverse("exchange:dispatch-prints", args=[delivery.dispatch_id])).content.decode()
    assert "鹤山区财政局" in prints and "第 1 份/共 1 份" in prints
    response = client.post(reverse("exchange:copy-request-decide", args=[request.pk]),
                           {"decision": "grant", "note": ""})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.copies_allowed == 3


@pytest.mark.django_db
def test_outsiders_see_nothing_of_prints_or_requests(cast, signed_in):
    delivery = make_delivery(cast, copies=1)
    request = printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=2, reason="卡纸")
    stranger = signed_in(third_unit_clerk(cast))
    for name in ("exchange:printing", "exchange:copy-request"):
        assert stranger.get(reverse(name, args=[delivery.pk])).status_code == 404
    for name in ("exchange:print", "exchange:declassified"):
        assert stranger.post(reverse(name, args=[delivery.pk])).status_code == 404
    assert stranger.get(reverse("exchange:dispatch-prints", args=[delivery.dispatch_id])).status_code == 404
    assert stranger.post(reverse("exchange:copy-request-decide", args=[request.pk]),
                         {"decision": "grant"}).status_code == 404
    assert "卡纸" not in stranger.get(reverse("exchange:copy-requests")).content.decode()
    # the sender's clerk does not print the receiver's copies; the receiver does not decide
    sender = signed_in(cast.clerk)
    assert sender.post(reverse("exchange:print", args=[delivery.pk])).status_code == 404
    receiver = signed_in(cast.outsider)
    assert receiver.post(reverse("exchange:copy-request-decide", args=[request.pk]),
                         {"decision": "grant"}).status_code == 404
    delivery.refresh_from_db()
    assert (delivery.copies_allowed, delivery.copies_printed) == (1, 0)


@pytest.mark.django_db
def test_the_senders_home_page_lists_waiting_requests(cast, signed_in):
    delivery = make_delivery(cast, copies=1)
    printing.request_copies(actor=cast.outsider, delivery=delivery, kind="resend", reason="文件打不开")
    home = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert 'data-testid="copy-requests-panel"' in home and "处理 1 项申请" in home and "鹤山区财政局"[3:] in home
    receiver_home = signed_in(cast.outsider).get(reverse("office:home")).content.decode()
    assert 'data-testid="copy-requests-panel"' not in receiver_home


@pytest.mark.django_db
def test_a_print_inside_the_morning_window_is_the_receipt_and_the_windows_attendance(cast):
    """第三十七条 + seed 000: printing at 10:12 on a working day (2026-10-09) receives in that window."""
    import datetime
    from zoneinfo import ZoneInfo

    from zhengtong.exchange.models import WindowAttendance

    at = datetime.datetime(2026, 10, 9, 10, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    delivery = make_delivery(cast, copies=1)
    record, pdf = printing.print_copy(actor=cast.outsider, delivery=delivery, at=at)
    assert record.printed_at == at and "2026-10-09 10:12" in page_text(pdf)[0]
    delivery.refresh_from_db()
    assert delivery.received_at == at
    window = WindowAttendance.objects.get(unit=cast.other_unit)
    assert window.attended_at == at and window.attended_by == cast.outsider
