"""A receiving clerk prints a copy in the browser; the sender grants more copies; the QR page.

Screenshots of each page go to test-artifacts/ (printing-*.png) for a look at what a clerk sees.
"""

from __future__ import annotations

import pytest

try:
    from exchange.printing_helpers import make_delivery, self_signed_pdf
except ImportError:
    import sys
    from pathlib import Path as _Path

    sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "exchange"))
    from printing_helpers import make_delivery, self_signed_pdf

import os
from pathlib import Path

ARTIFACTS = Path(os.environ.get("ZHENGTONG_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"printing-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_print_request_grant_and_check_the_paper_copy(cast, page, sign_in_as, live_server, browser, settings):
    from zhengtong.exchange.models import PrintRecord

    from concurrent.futures import ThreadPoolExecutor

    settings.PUBLIC_BASE_URL = live_server.url
    with ThreadPoolExecutor(1) as pool:  # pyHanko runs its own event loop; Playwright's is running here
        pool.submit(self_signed_pdf).result()
    delivery = make_delivery(cast, copies=1)
    sign_in_as(cast.outsider, cast.password)
    page.goto(f"{live_server.url}/office/exchange/deliveries/{delivery.pk}/")
    assert page.locator("[data-testid=print-actions] [data-testid=print-button]").count() == 1
    _shot(page, "receiver-delivery")
    page.goto(f"{live_server.url}/office/exchange/deliveries/{delivery.pk}/printing/")
    assert "可打印 1 份/共 1 份" in page.inner_text("[data-testid=copies-left]")
    _shot(page, "receiver-before")
    with page.context.expect_page() as opened:
        page.click("[data-testid=print-button]")
    pdf_tab = opened.value
    pdf_tab.wait_for_load_state()
    assert PrintRecord.objects.filter(delivery=delivery, copy_number=1).exists()
    page.reload()
    assert "可打印 0 份/共 1 份" in page.inner_text("[data-testid=copies-left]")
    assert "第 1 份/共 1 份" in page.inner_text("[data-testid=print-log]")
    page.click("[data-testid=request-link]")
    page.fill("#id_copies", "2")
    page.fill("#id_reason", "第1份打印时卡纸，请追加2份")
    page.click("[data-testid=copy-request-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=request-waiting]").count() == 1
    _shot(page, "receiver-after")

    sender = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in_as(cast.clerk, cast.password, target=sender)
    sender.goto(f"{live_server.url}/office/exchange/requests/")
    assert "第1份打印时卡纸" in sender.inner_text("[data-testid=pending-requests]")
    _shot(sender, "sender-requests")
    sender.click("[data-testid=pending-requests] button[value=grant]")
    sender.wait_for_load_state("networkidle")
    delivery.refresh_from_db()
    assert delivery.copies_allowed == 3
    sender.goto(f"{live_server.url}/office/exchange/sent/{delivery.dispatch_id}/")
    _shot(sender, "sender-tracking")
    sender.context.close()

    record = PrintRecord.objects.get(delivery=delivery)
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/verify/c/{record.token}")
    assert "第 1 份/共 1 份" in public.inner_text("[data-testid=copy-card]")
    _shot(public, "verify-phone")
    public.context.close()
