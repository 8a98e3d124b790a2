"""公文交换 in Chromium (seed 001 第二十七条–第三十八条, seed 000): 区农业农村局's seal keeper seals a composed
通知 with the seal's PIN, its clerk sends it to 30 units; 区财政局's clerk opens it, checks it, prints two copies
and signs for it inside the morning receiving window; the sender's tracking page shows the receipt with its
times, and the next day the operator's 通报 counts 区财政局 on time and the 29 units that never opened it as
overdue — on Thursday 19 November 2026 and Friday 20 November 2026, real working days.

The live server runs in this process, so the clock is Django's ``timezone.now`` set to the moments of the
story (it keeps ticking from there): sessions, deadlines, receipts and the report all read it.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from documents.flow_fixtures import BODY, PASSWORD, build_flow  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

PIN = "531864"
DAY = datetime.date(2026, 11, 19)  # a Thursday
NEXT_DAY = datetime.date(2026, 11, 20)
TITLE = "关于做好今冬明春农田水利建设工作的通知"


class Clock:
    """Django's clock for the story: ``set`` a moment; it runs on from there at real speed."""

    def __init__(self, real_now):
        self.real_now = real_now
        self.base = real_now()
        self.started = time.monotonic()

    def set(self, day: datetime.date, hour: int, minute: int) -> None:
        self.base = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        self.started = time.monotonic()

    def now(self) -> datetime.datetime:
        return (self.base + datetime.timedelta(seconds=time.monotonic() - self.started)).astimezone(datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone as django_timezone

    clock = Clock(django_timezone.now)
    monkeypatch.setattr(django_timezone, "now", clock.now)
    return clock


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SEAL_KEY_DIR = str(tmp_path / "keys")
    settings.PUBLIC_BASE_URL = "https://zw.heshan.gov.cn"


@pytest.fixture(autouse=True)
def _fresh_caches():
    from zhengtong.workdays import selectors as workdays
    from zhengtong.workflow import engine

    engine._cache.clear()
    workdays.clear_cache()
    yield
    engine._cache.clear()
    workdays.clear_cache()


def _item(document, step):
    from zhengtong.workflow.models import WorkItem

    for item in WorkItem.objects.filter(status="open", step=step).select_related("instance"):
        if item.instance.subject_id == str(document.pk):
            item.instance.refresh_from_db()
            return item
    raise AssertionError(f"no open {step} on {document.title}")


def composed_notice(flow):
    """The 通知 drafted, reviewed, signed off, numbered and composed by the services: waiting for its seal."""
    from zhengtong.documents.services import drafting, processing

    document = drafting.create_draft(actor=flow.drafter, unit=flow.unit, kind="notice", title=TITLE, body=BODY,
                                     department=flow.industry, main_recipients="各镇人民政府、各街道办事处，区直各单位")
    processing.submit_draft(actor=flow.drafter, document=document)
    for step, service, actor in (("section_review", processing.review, flow.industry_chief),
                                 ("office_check", processing.review, flow.checker),
                                 ("leader_review", processing.review, flow.deputy),
                                 ("sign_off", processing.sign_off, flow.leader),
                                 ("recheck", processing.review, flow.checker),
                                 ("numbering", processing.take_number, flow.clerk),
                                 ("compose", processing.compose, flow.clerk)):
        item = _item(document, step)
        extra = {"opinion": "同意。"} if service in (processing.review, processing.sign_off) else {}
        service(actor=actor, document=document, work_item=item, revision=item.instance.revision, **extra)
        document.refresh_from_db()
    assert document.status == "composed" and document.seal_boxes
    return document


def receiving_units(cast, count: int):
    """``count`` units with a clerk each: 区财政局 (the cast's other unit) and the towns and bureaus."""
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import UnitCategory

    towns = UnitCategory.objects.get(code="xiangzhen")
    units = [cast.other_unit]
    for number in range(1, count):
        unit = directory.register_unit(actor=None, name=f"鹤山区第{number}镇人民政府", short_name=f"第{number}镇",
                                       code=f"TWN{number:03d}", category=towns, sort_order=number)
        directory.create_person(actor=None, unit=unit, name="收发员", username=f"town{number:03d}",
                                role_codes=[roles.CLERK])
        units.append(unit)
    return units


def off_the_loop(function, *args, **kwargs):
    """Run ``function`` in another thread: Playwright's sync API keeps an event loop running in this one,
    and pyHanko's validation starts its own."""
    from django.db import connections

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def become(page, sign_in_as, user, password):
    page.context.clear_cookies()
    sign_in_as(user, password)


def test_sealed_sent_received_in_the_window_tracked_and_reported(page, live_server, cast, sign_in_as, clock):
    from zhengtong.exchange.models import Delivery, Dispatch, PrintRecord
    from zhengtong.seals.demo import make_seal
    from zhengtong.seals.verification import verify_pdf

    clock.set(DAY, 8, 40)
    flow = build_flow(cast)
    seal = make_seal(unit=cast.unit, pin=PIN)
    document = composed_notice(flow)
    units = receiving_units(cast, 30)
    finance = cast.other_unit

    # 09:00 — the seal keeper applies the seal with its PIN; the sealed PDF verifies
    clock.set(DAY, 9, 0)
    become(page, sign_in_as, flow.seal_keeper, PASSWORD)
    page.goto(f"{live_server.url}/office/documents/{document.pk}/")
    panel = page.locator('[data-testid="action-panel"][data-step="seal"]')
    panel.locator("select[name=seal]").select_option(str(seal.pk))
    panel.locator("input[name=pin]").fill(PIN)
    panel.locator('[data-testid="step-submit"]').click()
    page.locator(".alert-success").wait_for()
    document.refresh_from_db()
    assert document.sealed_pdf and document.status == "sealed"
    with document.sealed_pdf.open("rb") as handle:
        report = off_the_loop(verify_pdf, handle.read())
    assert report.ok and report.seals[0].unit_name == cast.unit.name, report.problems

    # 09:20 — the clerk sends it to the 30 units as a 公文 (to be received by the end of today's last window)
    clock.set(DAY, 9, 20)
    become(page, sign_in_as, cast.clerk, cast.password)
    page.goto(f"{live_server.url}/office/documents/{document.pk}/")
    page.click('[data-testid="send-link"]')
    page.wait_for_url("**/office/exchange/send/**")
    for unit in units:
        page.check(f"#m{unit.pk}")
    assert page.locator("#count-main").inner_text() == "30"
    page.check('input[name=category][value="document"]')
    page.fill("input[name=default_copies]", "2")
    page.click('[data-testid="send"]')
    page.wait_for_url("**/office/exchange/sent/**")
    page.locator(".alert-success").wait_for()
    dispatch = Dispatch.objects.get(document=document)
    assert dispatch.recipient_count == 30 and dispatch.exchange_day == DAY
    assert Delivery.objects.filter(dispatch=dispatch).count() == 30
    due = timezone.localtime(Delivery.objects.get(dispatch=dispatch, unit=finance).due_at)
    assert (due.date(), due.hour, due.minute) == (DAY, 16, 30)

    # 10:05 — 区财政局's clerk, inside the morning window: opens, checks, prints two copies, signs for it
    clock.set(DAY, 10, 5)
    become(page, sign_in_as, cast.outsider, cast.password)
    page.goto(f"{live_server.url}/office/exchange/inbox/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url("**/office/exchange/deliveries/**")
    delivery = Delivery.objects.get(dispatch=dispatch, unit=finance)
    assert delivery.opened_at is not None
    page.click('[data-testid="check"]')
    page.locator('[data-testid="print-button"]').wait_for()
    for copy in (1, 2):
        # the marked PDF opens in a new tab for printing; the delivery page reloads itself behind it
        with page.expect_navigation(timeout=30000):
            with page.expect_popup() as popup:
                page.click('[data-testid="print-button"]')
            popup.value.close()
        assert PrintRecord.objects.filter(delivery=delivery).count() == copy
    # the page reloads itself behind the print tab: wait for the reloaded count
    expect(page.locator('[data-testid="copies-left"]')).to_contain_text("可打印 0 份", timeout=15000)
    assert page.locator('[data-testid="print-button"]').count() == 0  # every copy printed
    page.click('[data-testid="sign"]')
    assert "已签收并登记为收文" in page.locator(".alert-success").inner_text()  # back in the emptied inbox
    assert TITLE not in page.locator("main").inner_text().replace(page.locator(".alert-success").inner_text(), "")
    delivery.refresh_from_db()
    assert delivery.status == "signed" and delivery.copies_printed == 2
    for moment in (delivery.opened_at, delivery.checked_at, delivery.received_at, delivery.signed_at):
        local = timezone.localtime(moment)
        assert local.date() == DAY and (local.hour, local.minute) >= (10, 5) and local.hour == 10
    assert delivery.signed_at <= delivery.due_at
    assert list(PrintRecord.objects.filter(delivery=delivery).values_list("copy_number", flat=True)) == [1, 2]

    # 10:20 — the sender's tracking page shows 区财政局 signed for, with the times, and 29 waiting
    clock.set(DAY, 10, 20)
    become(page, sign_in_as, cast.clerk, cast.password)
    page.goto(f"{live_server.url}/office/exchange/sent/{dispatch.pk}/")
    row = page.locator("tr", has_text=finance.name).first
    text = row.inner_text()
    assert "11-19 10:0" in text  # opened / signed at 10:0x on the 19th
    assert "2" in text
    body = page.locator("main").inner_text()
    assert "29" in body

    # next working day 09:00 — the operator's 通报 for the 19th: 区财政局 on time, the 29 others overdue
    clock.set(NEXT_DAY, 9, 0)
    become(page, sign_in_as, cast.operator, cast.password)
    page.goto(f"{live_server.url}/office/exchange/report/?start={DAY.isoformat()}&end={DAY.isoformat()}")
    report_table = page.locator('[data-testid="report"]')
    finance_row = report_table.locator(f'tr[data-unit="{finance.pk}"]')
    assert finance_row.locator('[data-col="on_time"]').inner_text().strip() == "1"
    assert finance_row.locator('[data-col="overdue"]').inner_text().strip() == "0"
    for unit in units[1:]:
        unit_row = report_table.locator(f'tr[data-unit="{unit.pk}"]')
        assert unit_row.locator('[data-col="overdue"]').inner_text().strip() == "1", unit.name
        assert unit_row.locator('[data-col="on_time"]').inner_text().strip() == "0"
    assert page.locator('[data-testid="total-overdue"]').inner_text().strip() == "29"
    # nothing from the internet (the PDF tab loads Chromium's own chrome:// viewer resources)
    assert [url for url in page.context.outside_requests if not url.startswith("chrome")] == []


def _wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_two_clerks_print_the_last_copy_at_once_and_only_one_gets_it(browser, live_server, cast, clock):
    """Two browsers of the receiving unit press 打印 for the one copy left at the same moment."""
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.exchange.models import Delivery, PrintRecord
    from zhengtong.exchange.services import receiving, sending
    from zhengtong.seals.demo import make_seal

    clock.set(DAY, 9, 0)
    flow = build_flow(cast)
    seal = make_seal(unit=cast.unit, pin=PIN)
    document = composed_notice(flow)
    item = _item(document, "seal")
    from zhengtong.documents.services import processing

    off_the_loop(processing.confirm_seal, actor=flow.seal_keeper, document=document, work_item=item,
                 revision=item.instance.revision, seal=seal, pin=PIN, opinion="已用印。")
    dispatch = sending.send_document(actor=cast.clerk, document=document, main_units=[cast.other_unit], copies=1)
    delivery = Delivery.objects.get(dispatch=dispatch)
    second, _ = directory.create_person(actor=None, unit=cast.other_unit, name="财政收发", username="caizhengshoufa",
                                        role_codes=[roles.CLERK])
    second.set_password(cast.password)
    second.must_change_password = False
    second.save()
    clock.set(DAY, 10, 10)
    receiving.check_delivery(actor=cast.outsider, delivery=delivery)

    pages = []
    for user in (cast.outsider, second):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        one = context.new_page()
        one.goto(f"{live_server.url}/office/accounts/sign-in/")
        one.fill("#id_username", user.username)
        one.fill("#id_password", cast.password)
        one.click("button[type=submit]")
        one.wait_for_load_state("networkidle")
        one.goto(f"{live_server.url}/office/exchange/deliveries/{delivery.pk}/")
        one.locator('[data-testid="print-button"]').wait_for()
        pages.append(one)
    # both forms are posted before either answer comes back (fetch, as the form would post them)
    for one in pages:
        one.evaluate("""() => { const form = document.querySelector('[data-testid="print-button"]').form;
            window.__answer = fetch(form.action, {method: 'POST', body: new FormData(form)})
                .then(async r => [r.headers.get('content-type'), await r.text()]); }""")
    answers = [one.evaluate("() => window.__answer") for one in pages]
    kinds = sorted(kind.split(";")[0] for kind, _body in answers)
    assert kinds == ["application/pdf", "text/html"], kinds
    refused = next(body for kind, body in answers if kind.startswith("text/html"))
    assert "打印份数已用完" in refused
    assert PrintRecord.objects.filter(delivery=delivery, kind="print").count() == 1
    delivery.refresh_from_db()
    assert delivery.copies_printed == 1 and delivery.copies_left == 0
    for one in pages:
        one.context.close()
