"""The update assessment in Chromium: the operator's chart and its table, the same figures without JavaScript,
and a unit admin's home panel with the reminder."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True, scope="module")
def _no_site_tree_after_flush():
    """The portal's post_migrate hook rebuilds its column tree after every flush, and fails once the flush has
    removed Wagtail's Locale; these tests build their own pages, so the hook is off while they run."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from zhengtong.portal import signals

    sender = apps.get_app_config("portal")
    post_migrate.disconnect(sender=sender, dispatch_uid="portal-site-tree")
    yield
    post_migrate.connect(signals.complete_site_tree, sender=sender, dispatch_uid="portal-site-tree")


def _website(cast):
    """招商引资 (农业局) and 部门工作动态 (财政局); articles in April 2026; two weekly rules."""
    from wagtail.models import Locale, Page

    from zhengtong.portal.models import ArticlePage, ColumnPage, HomePage
    from zhengtong.quotas import services
    from zhengtong.quotas.models import QuotaRule

    QuotaRule.objects.all().delete()
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="鹤山区人民政府", slug="heshan-e2e"))
    investment = home.add_child(instance=ColumnPage(title="招商引资", slug="investment", column_key="investment",
                                                    owner_unit=cast.unit))
    news = home.add_child(instance=ColumnPage(title="工作动态", slug="dept-news", column_key="dept_news",
                                              owner_unit=cast.other_unit))
    for number, (column, day, unit) in enumerate([(investment, 1, cast.unit), (investment, 8, cast.unit),
                                                  (news, 8, cast.other_unit)]):
        column.add_child(instance=ArticlePage(
            title=f"文章{number}", slug=f"a{number}", body="<p>正文</p>", live=True, source_unit=unit,
            first_published_at=datetime.datetime(2026, 4, day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))))
    for name, key in (("招商引资每周至少 1 篇", "investment"), ("部门工作动态每周至少 1 篇", "dept_news")):
        services.save_rule(actor=cast.operator, name=name, column_keys=[key], scope="column_owners", unit=None,
                           period="week", minimum=1)


def _cells(page, unit):
    row = page.locator(f'table[data-testid="overview"] tr[data-unit="{unit.pk}"]')
    return [row.locator(f'[data-col="{col}"]').inner_text() for col in ("met", "behind", "missed")]


def test_the_operator_sees_the_chart_and_the_table_with_the_same_figures(page, live_server, cast, sign_in_as):
    _website(cast)
    sign_in_as(cast.operator, cast.password)
    page.goto(f"{live_server.url}/office/quotas/?month=2026-04")
    page.wait_for_selector('#quotas-chart[data-ready="1"]')
    # April's weeks end on 5, 12, 19 and 26 April: 农业局 met 2 (1 and 8 April), 财政局 met 1 (8 April).
    assert _cells(page, cast.unit) == ["2", "0", "2"]
    assert _cells(page, cast.other_unit) == ["1", "0", "3"]
    chart = page.evaluate("Chart.getChart(document.getElementById('quotas-chart')).data.datasets"
                          ".map(d => [d.label, d.data])")
    assert chart == [["达标", [2, 1]], ["滞后", [0, 0]], ["未完成", [2, 3]]]
    page.click(f'tr[data-unit="{cast.unit.pk}"] a')
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="unit-periods"] tr[data-period="2026-W15"]').get_attribute("data-state") == "met"
    assert page.context.outside_requests == []


def test_without_javascript_the_table_carries_the_figures(browser, live_server, cast):
    _website(cast)
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/office/accounts/sign-in/")
    page.fill("#id_username", cast.operator.username)
    page.fill("#id_password", cast.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/office/quotas/?month=2026-04")
    assert _cells(page, cast.unit) == ["2", "0", "2"]
    assert page.locator("#quotas-chart").get_attribute("data-ready") is None
    assert "各单位周期数（图表数据）" in page.locator('table[data-testid="overview"] caption').inner_text()
    context.close()


def test_a_unit_admin_sees_the_reminder_on_the_home_panel(page, live_server, cast, sign_in_as):
    _website(cast)
    from zhengtong.quotas import periods as P
    from zhengtong.quotas.models import QuotaRule, Reminder

    week = P.period_containing(P.WEEK, P.local_date(timezone.now()))
    Reminder.objects.create(rule=QuotaRule.objects.get(column_keys=["investment"]), unit=cast.unit,
                            period_start=week.start, period_end=week.end, count=0, minimum=1)
    sign_in_as(cast.admin, cast.password)
    panel = page.locator('[data-testid="quotas-panel"]')
    assert "1 条催报" in panel.locator('[data-testid="quotas-panel-reminders"]').inner_text()
    assert panel.locator('li[data-state="behind"]').first.inner_text().startswith("招商引资每周至少 1 篇")
    page.click("text=查看本单位网站更新考核")
    page.wait_for_load_state("networkidle")
    assert "鹤山区农业农村局网站更新" in page.locator("h1").inner_text()
    assert page.context.outside_requests == []
