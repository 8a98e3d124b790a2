"""Browser: the navbar bell's unread count changes without a page reload, and the notices page marks read."""

from __future__ import annotations

import os

import pytest

from zhengtong.notifications import services

# Where to keep screenshots of the pages (for looking at them); none when unset.
SHOTS = os.environ.get("ZHENGTONG_NOTIFICATIONS_SHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_bell_counts_new_notices_live_and_the_notices_page_marks_them_read(page, live_server, cast, sign_in_as):
    cast.clerk.email, cast.clerk.mobile = "shoufa@example.cn", "13800138000"
    cast.clerk.save()
    services.notify(recipients=[cast.clerk], category="exchange.delivery", title="待收公文：关于做好春耕生产的通知",
                    body="区农业农村局发来，请于今日16:30前签收。", url="/office/", unit=cast.unit)
    sign_in_as(cast.clerk, cast.password)
    bell = page.locator('[data-testid="notice-bell"]')
    assert bell.locator('[data-testid="notice-count"]').get_attribute("data-count") == "1"
    assert "every 20s" in page.locator("#zt-notice-badge").get_attribute("hx-trigger")

    # Two more notices arrive while the page is open; the poll (fired now, instead of waiting 20 s) shows 3.
    page.evaluate("window.ztMarker = 'same page'")
    services.notify(recipients=[cast.clerk], category="exchange.notice", title="紧急通知：防汛值班安排", urgent=True,
                    unit=cast.unit)
    services.notify(recipients=[cast.clerk], category="quotas.reminder", title="网站更新催报：部门工作动态本周未更新")
    with page.expect_response(lambda r: "/office/notifications/badge/" in r.url):
        page.evaluate("htmx.trigger(document.body, 'zt-notices-changed')")
    page.wait_for_selector('[data-testid="notice-count"][data-count="3"]')
    assert page.evaluate("window.ztMarker") == "same page"  # no reload
    _shot(page, "home-with-badge")

    bell.click()
    page.wait_for_load_state("networkidle")
    items = page.locator('[data-testid="notices"] li')
    assert items.count() == 3 and "紧急" in items.nth(1).inner_text()  # newest first
    _shot(page, "notices")
    page.locator('[data-testid="mark-read"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="notice-count"]').get_attribute("data-count") == "2"
    page.click('[data-testid="read-all"]')
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="notice-count"]').count() == 0

    page.goto(f"{live_server.url}/office/notifications/preferences/")
    page.fill("#id_quiet_start", "22:00")
    page.fill("#id_quiet_end", "07:30")
    _shot(page, "preferences")
    page.click('[data-testid="save"]')
    page.wait_for_load_state("networkidle")
    assert "通知设置已保存" in page.content()
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_the_operator_reads_the_message_log(page, live_server, cast, sign_in_as, settings, tmp_path):
    settings.SMS_FILE_DIR = tmp_path
    cast.clerk.email, cast.clerk.mobile = "shoufa@example.cn", "13800138000"
    cast.clerk.save()
    services.notify(recipients=[cast.clerk], category="exchange.delivery", title="待收公文：关于做好春耕生产的通知")
    services.notify(recipients=[cast.clerk], category="quotas.reminder", title="网站更新催报", channels=("sms",))
    sign_in_as(cast.operator, cast.password)
    page.goto(f"{live_server.url}/office/notifications/log/")
    rows = page.locator('[data-testid="messages"] tbody tr')
    assert rows.count() == 3
    assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.status)")) == {"sent"}
    _shot(page, "message-log")
