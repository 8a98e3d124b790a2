"""The quota pages: who sees what (operator, unit admin, clerk, outsider), bad input, scores and export."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhengtong.quotas import periods as P
from zhengtong.quotas import services
from zhengtong.quotas.models import MonthlyScore, QuotaRule, Reminder

pytestmark = pytest.mark.django_db

INDEX = reverse("quotas:index")


@pytest.fixture
def rules(cast, site, make_rule, no_default_rules):
    """招商引资 (农业局) weekly; 部门工作动态 weekly for both units; April 2026 articles."""
    investment = make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1)
    news = make_rule("部门工作动态每周至少 1 篇", ["dept_news"], "week", 1, part="information")
    site.article(site.investment, "2026-04-01", unit=cast.unit)
    site.article(site.other_news, "2026-04-08", unit=cast.other_unit)
    return investment, news


def unit_url(unit, month="2026-04"):
    return f"{reverse('quotas:unit', args=[unit.pk])}?month={month}"


def test_the_operator_sees_every_unit_with_a_chart_and_its_table(cast, signed_in, rules):
    response = signed_in(cast.operator).get(f"{INDEX}?month=2026-04")
    assert response.status_code == 200
    rows = {row.unit.pk: (row.met, row.behind, row.missed) for row in response.context["rows"]}
    # weeks ending in April: 4. 农业局: 招商引资 1 of 4 weeks, 工作动态 0 of 4; 财政局: 工作动态 1 of 4.
    assert rows == {cast.unit.pk: (1, 0, 7), cast.other_unit.pk: (1, 0, 3)}
    html = response.content.decode()
    chart = json.loads(html.split('id="quotas-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart["labels"] == ["农业局", "财政局"]
    assert chart["series"][2] == {"key": "missed", "label": "未完成", "data": [7, 3]}
    assert f'data-unit="{cast.unit.pk}"' in html and "vendor/chart.js/chart.umd.js" in html


def test_a_unit_admin_is_sent_to_their_own_unit(cast, signed_in, rules):
    client = signed_in(cast.admin)
    response = client.get(f"{INDEX}?month=2026-04")
    assert response.status_code == 302 and response["Location"] == unit_url(cast.unit)
    page = client.get(unit_url(cast.unit))
    assert page.status_code == 200
    states = [(row.rule.name, row.period.key, row.state) for _rule, rows in page.context["groups"]
              for row, _department in rows]
    assert ("招商引资每周至少 1 篇", "2026-W14", "met") in states
    assert ("部门工作动态每周至少 1 篇", "2026-W17", "missed") in states
    assert client.get(unit_url(cast.other_unit)).status_code == 404


def test_an_outsider_cannot_see_another_units_page(cast, signed_in, rules):
    client = signed_in(cast.outsider)
    assert client.get(unit_url(cast.unit)).status_code == 404
    assert client.get(f"{INDEX}?month=2026-04")["Location"] == unit_url(cast.other_unit)
    assert client.get(unit_url(cast.other_unit)).status_code == 200


def test_people_without_a_website_role_see_no_quota_pages(cast, signed_in, rules):
    client = signed_in(cast.clerk)
    assert client.get(INDEX).status_code == 404
    assert client.get(unit_url(cast.unit)).status_code == 404


@pytest.mark.parametrize("who", ["admin", "outsider", "leader"])
def test_only_the_operator_reaches_the_rules_and_scores(cast, signed_in, rules, who):
    client = signed_in(getattr(cast, who))
    rule = rules[0]
    for url in (reverse("quotas:rules"), reverse("quotas:add"), reverse("quotas:edit", args=[rule.pk]),
                reverse("quotas:scores"), f"{reverse('quotas:export')}?month=2026-04"):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("quotas:edit", args=[rule.pk]), {
        "name": "改了", "column_keys": ["news"], "scope": "column_owners", "period": "month", "minimum": "9",
        "part": "public", "weight": "10", "remind_days": "2"})
    assert response.status_code == 404
    assert client.post(reverse("quotas:compute"), {"month": "2026-04"}).status_code == 404
    rule.refresh_from_db()
    assert (rule.name, rule.minimum) == ("招商引资每周至少 1 篇", 1)
    assert not MonthlyScore.objects.exists()


def _post_rule(client, rule, **change):
    data = {"name": rule.name, "column_keys": rule.column_keys, "scope": rule.scope, "period": rule.period,
            "minimum": str(rule.minimum), "part": rule.part, "weight": str(rule.weight),
            "remind_days": str(rule.remind_days), "active": "on", **change}
    return client.post(reverse("quotas:edit", args=[rule.pk]), data)


@pytest.mark.parametrize(("change", "message"), [
    ({"minimum": "-3"}, "最少篇数不能为负数。"),
    ({"column_keys": ["nonsense"]}, "未知栏目：nonsense。请选择网站的栏目。"),
    ({"minimum": "abc"}, "请输入整数。"),
    ({"scope": "named_unit"}, "请选择适用的单位。"),
])
def test_bad_rule_input_gets_a_chinese_message_and_changes_nothing(cast, signed_in, rules, change, message):
    rule = rules[0]
    response = _post_rule(signed_in(cast.operator), rule, **change)
    assert response.status_code == 400
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert (rule.minimum, rule.column_keys, rule.scope) == (1, ["investment"], "column_owners")


def test_the_operator_changes_a_rule_through_the_form(cast, signed_in, rules):
    rule = rules[0]
    response = _post_rule(signed_in(cast.operator), rule, minimum="2", column_keys=["investment", "news"])
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.minimum, rule.column_keys) == (2, ["investment", "news"])
    assert signed_in(cast.operator).get(reverse("quotas:rules")).status_code == 200


def test_the_operator_computes_and_exports_the_scores(cast, signed_in, rules):
    client = signed_in(cast.operator)
    response = client.post(reverse("quotas:compute"), {"month": "2026-04"})
    assert response.status_code == 302
    assert MonthlyScore.objects.filter(month="2026-04-01").count() == 2
    page = client.get(f"{reverse('quotas:scores')}?month=2026-04")
    assert [score.unit_id for score in page.context["scores"]] == [cast.other_unit.pk, cast.unit.pk]
    export = client.get(f"{reverse('quotas:export')}?month=2026-04")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["B3"].value == "鹤山区财政局" and sheet["B4"].value == "鹤山区农业农村局"


def test_the_running_month_cannot_be_scored(cast, signed_in, rules):
    month = P.period_containing(P.MONTH, timezone.localdate())
    response = signed_in(cast.operator).post(reverse("quotas:compute"), {"month": month.key}, follow=True)
    assert "尚未结束" in response.content.decode()
    assert not MonthlyScore.objects.exists()


def test_a_bad_month_is_not_found(cast, signed_in, rules):
    assert signed_in(cast.operator).get(f"{INDEX}?month=2026-13").status_code == 404
    assert signed_in(cast.admin).get(unit_url(cast.unit, "abc")).status_code == 404


def test_the_home_panel_shows_this_periods_state_and_reminders(cast, signed_in, rules):
    now = timezone.now()
    week = P.period_containing(P.WEEK, P.local_date(now))
    Reminder.objects.create(rule=rules[0], unit=cast.unit, period_start=week.start, period_end=week.end,
                            count=0, minimum=1)
    html = signed_in(cast.admin).get(reverse("office:home")).content.decode()
    assert 'data-testid="quotas-panel"' in html and "本单位网站更新" in html
    panel = html.split('data-testid="quotas-panel"')[1]
    assert "招商引资每周至少 1 篇" in panel and "1 条催报" in panel
    assert 'data-state="behind"' in panel  # this week has no 招商引资 article yet and is running


def test_the_home_panel_is_not_shown_to_people_without_a_website_role(cast, signed_in, rules):
    html = signed_in(cast.clerk).get(reverse("office:home")).content.decode()
    assert 'data-testid="quotas-panel"' not in html
    assert "网站更新考核" not in html  # nor the navigation entry


def test_the_operator_adds_a_rule_for_each_department_of_a_named_unit(cast, signed_in, rules):
    client = signed_in(cast.operator)
    assert "统计的栏目" in client.get(reverse("quotas:add")).content.decode()
    response = client.post(reverse("quotas:add"), {
        "name": "农业局各科室每月至少 1 条", "column_keys": ["dept_news"], "scope": "each_department",
        "unit": str(cast.unit.pk), "period": "month", "minimum": "1", "part": "information", "weight": "5",
        "remind_days": "3", "active": "on", "notes": "seed 003 第十六条"})
    assert response.status_code == 302
    rule = QuotaRule.objects.get(name="农业局各科室每月至少 1 条")
    assert (rule.scope, rule.unit, rule.weight, rule.notes) == ("each_department", cast.unit, 5, "seed 003 第十六条")


def test_the_unit_page_lists_only_the_in_time_rules_that_apply_to_the_unit(cast, signed_in, site, rules, make_rule):
    from zhengtong.portal.models import ColumnPage

    site.home.add_child(instance=ColumnPage(title="区长信箱", slug="mailbox", column_key="mayor_mailbox",
                                            owner_unit=cast.other_unit))
    make_rule("区长信箱及时办结", ["mayor_mailbox"], "in_time", 0)
    assert signed_in(cast.admin).get(unit_url(cast.unit)).context["in_time_rules"] == []
    page = signed_in(cast.outsider).get(unit_url(cast.other_unit))
    assert [rule.name for rule in page.context["in_time_rules"]] == ["区长信箱及时办结"]
