"""Rules as audited data, reminders once per period, monthly 双百考核 scores and their Excel export."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from zhengtong.audit.models import AuditRecord
from zhengtong.quotas import periods as P
from zhengtong.quotas import services
from zhengtong.quotas.exceptions import QuotasPermissionDenied
from zhengtong.quotas.exports import write_scores
from zhengtong.quotas.models import MonthlyScore, QuotaRule, Reminder

from .helpers import at

pytestmark = pytest.mark.django_db

RULE = {"name": "新闻快报每月至少 1 篇", "column_keys": ["news"], "scope": "column_owners", "unit": None,
        "period": "month", "minimum": 1, "part": "public", "weight": 10, "remind_days": 3}


# --- rules -----------------------------------------------------------------------------------------

def test_the_migration_loads_the_default_rules_of_seed_000_and_003():
    rules = {rule.name: rule for rule in QuotaRule.objects.all()}
    assert (rules["综合信息每月至少 8 篇"].period, rules["综合信息每月至少 8 篇"].minimum) == ("month", 8)
    assert rules["部门工作动态每周至少 1 篇"].period == "week"
    assert rules["部门工作动态每周至少 1 篇"].part == "information"
    assert rules["理论研讨每年至少 5 篇"].minimum == 5
    assert rules["部门简介及时更新"].period == "in_time"
    assert rules["办公室各科室每月至少 1 条动态信息"].scope == "each_department"
    assert set(rules["专题专栏每周至少 1 篇"].column_keys) == {"special", "industry", "agriculture", "urban_rural",
                                                            "finance_tax"}


def test_the_operator_adds_and_changes_a_rule_with_an_audit_record(cast):
    rule = services.save_rule(actor=cast.operator, **RULE)
    services.save_rule(actor=cast.operator, rule=rule, **{**RULE, "minimum": 2})
    rule.refresh_from_db()
    assert rule.minimum == 2 and rule.updated_by == cast.operator
    record = AuditRecord.objects.filter(action="quotas.rule.update").latest("seq")
    assert record.changes == {"minimum": [1, 2]}
    assert AuditRecord.objects.filter(action="quotas.rule.create", actor_id=cast.operator.pk).exists()


@pytest.mark.parametrize("who", ["admin", "outsider", "clerk"])
def test_nobody_but_the_operator_changes_rules(cast, who):
    before = QuotaRule.objects.count()
    with pytest.raises(QuotasPermissionDenied):
        services.save_rule(actor=getattr(cast, who), **RULE)
    assert QuotaRule.objects.count() == before


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"minimum": -1}, "minimum", "最少篇数不能为负数。"),
    ({"column_keys": ["nonsense"]}, "column_keys", "未知栏目：nonsense。请选择网站的栏目。"),
    ({"column_keys": []}, "column_keys", "请至少选择一个统计的栏目。"),
    ({"minimum": 0}, "minimum", "计篇数的要求最少篇数至少为 1。"),
    ({"scope": "named_unit"}, "unit", "请选择适用的单位。"),
    ({"weight": 0}, "weight", "权重必须是 1 到 100 之间的整数。"),
    ({"name": "  "}, "name", "请填写要求名称，例如“部门工作动态每周至少 1 篇”。"),
])
def test_bad_rules_are_refused_in_chinese_and_change_nothing(cast, change, field, message):
    rule = services.save_rule(actor=cast.operator, **RULE)
    records = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.save_rule(actor=cast.operator, rule=rule, **{**RULE, **change})
    assert raised.value.message_dict[field] == [message]
    rule.refresh_from_db()
    assert (rule.minimum, rule.column_keys, rule.scope, rule.weight, rule.name) == (
        1, ["news"], "column_owners", 10, "新闻快报每月至少 1 篇")
    assert AuditRecord.objects.count() == records


# --- reminders -------------------------------------------------------------------------------------

def test_units_behind_are_reminded_once_in_the_last_working_days(cast, site, make_rule, no_default_rules):
    """Week of 13–19 April 2026: with 2 working days left (Thursday 16, Friday 17) the 农业局 is reminded."""
    rule = make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1, remind_days=2)
    assert services.remind_units_behind(now=at("2026-04-15")) == []  # Wednesday: 3 working days left
    sent = services.remind_units_behind(now=at("2026-04-16"))
    assert [(r.rule, r.unit, r.period_start.isoformat(), r.count, r.minimum) for r in sent] == [
        (rule, cast.unit, "2026-04-13", 0, 1)]
    assert services.remind_units_behind(now=at("2026-04-16", 15)) == []
    assert services.remind_units_behind(now=at("2026-04-17")) == []  # once per unit, rule and period
    assert Reminder.objects.count() == 1
    assert AuditRecord.objects.filter(action="quotas.reminder.send", unit_id=cast.unit.pk).count() == 1
    from zhengtong.notifications.models import Notice

    notices = Notice.objects.filter(category="quotas.reminder")
    assert [(n.recipient, n.unit) for n in notices] == [(cast.admin, cast.unit)]
    assert "招商引资每周至少 1 篇" in notices[0].title
    # the next week is a new period
    assert len(services.remind_units_behind(now=at("2026-04-23"))) == 1


def test_units_that_met_the_quota_or_are_not_assessed_get_no_reminder(cast, site, make_rule, no_default_rules):
    make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1, remind_days=2)
    site.article(site.investment, "2026-04-14", unit=cast.unit)
    assert services.remind_units_behind(now=at("2026-04-16")) == []


def test_department_reminders_name_the_department(cast, site, make_rule, no_default_rules):
    make_rule("各科室每月至少 1 条动态信息", ["office_progress"], "month", 1, scope="each_department",
              remind_days=3)
    site.article(site.office_progress, "2026-04-02", unit=cast.unit, department=cast.office)
    # April 2026 ends on Thursday 30: 28, 29, 30 are its last three working days
    assert services.remind_units_behind(now=at("2026-04-27")) == []
    sent = services.remind_units_behind(now=at("2026-04-28"))
    assert [(r.unit, r.department) for r in sent] == [(cast.unit, site.department)]
    assert services.remind_units_behind(now=at("2026-04-29")) == []


def test_the_working_day_calendar_decides_when_to_remind(cast, site, make_rule, no_default_rules):
    """Week of 28 Sep – 4 Oct 2026: National Day from Thursday 1 October, so Mon–Wed are its only working days
    and the reminder goes out on Tuesday 29, not Thursday."""
    make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1, remind_days=2)
    week = P.period_containing(P.WEEK, datetime.date(2026, 9, 28))
    assert services.working_days_left(week, datetime.date(2026, 9, 28)) == 3
    assert services.remind_units_behind(now=at("2026-09-28")) == []
    assert len(services.remind_units_behind(now=at("2026-09-29"))) == 1


# --- scores ----------------------------------------------------------------------------------------

@pytest.fixture
def april(cast, site, make_rule, no_default_rules):
    """April 2026, hand-counted. Weeks ending in April: 30 Mar–5 Apr, 6–12, 13–19, 20–26.

    农业局: 招商引资 (weekly, public, weight 10) on 30, 31 Mar, 1, 5 Apr (week 1) and 6 Apr (week 2):
    2 of 4 weeks. 新闻快报 (monthly ≥ 2, public, weight 30): 1 article, missed: 0 of 1. 部门工作动态
    (weekly, information, weight 10): 14 Apr only: 1 of 4.
        public = 100 × (10 × 2/4 + 30 × 0/1) ÷ 40 = 12.5; information = 100 × 1/4 = 25.0; total 37.5
    财政局: 部门工作动态 on 1, 8, 15, 22 Apr: 4 of 4 → information 100; no public rule → 100; total 200.
    """
    make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1, weight=10)
    make_rule("新闻快报每月至少 2 篇", ["news"], "month", 2, weight=30)
    make_rule("部门工作动态每周至少 1 篇", ["dept_news"], "week", 1, part="information", weight=10)
    for day in ("2026-03-30", "2026-03-31", "2026-04-01", "2026-04-05", "2026-04-06"):
        site.article(site.investment, day, unit=cast.unit)
    site.article(site.news, "2026-04-10", unit=cast.unit)
    site.article(site.unit_news, "2026-04-14", unit=cast.unit)
    for day in ("2026-04-01", "2026-04-08", "2026-04-15", "2026-04-22"):
        site.article(site.other_news, day, unit=cast.other_unit)
    return P.month_period(2026, 4)


def test_monthly_scores_match_the_hand_count(cast, april):
    rows = services.compute_monthly_scores(actor=cast.operator, month=april, now=at("2026-05-02"))
    scores = {row.unit_id: row for row in rows}
    unit, other = scores[cast.unit.pk], scores[cast.other_unit.pk]
    assert (unit.public_score, unit.information_score, unit.total, unit.rank) == (
        Decimal("12.5"), Decimal("25.0"), Decimal("37.5"), 2)
    assert (other.public_score, other.information_score, other.total, other.rank) == (
        Decimal("100"), Decimal("100"), Decimal("200"), 1)
    assert (unit.periods_met, unit.periods_missed) == (3, 6)
    assert {row["name"]: (row["met"], row["assessed"]) for row in unit.details} == {
        "招商引资每周至少 1 篇": (2, 4), "新闻快报每月至少 2 篇": (0, 1), "部门工作动态每周至少 1 篇": (1, 4)}
    assert set(scores) == {cast.unit.pk, cast.other_unit.pk}  # the 政府办 owns no assessed column


def test_scores_are_recomputed_in_place_and_audited(cast, site, april):
    services.compute_monthly_scores(actor=cast.operator, month=april, now=at("2026-05-02"))
    site.article(site.news, "2026-04-20", unit=cast.unit)  # now 2 news articles: met
    services.compute_monthly_scores(actor=cast.operator, month=april, now=at("2026-05-03"))
    assert MonthlyScore.objects.filter(month=april.start).count() == 2
    unit = MonthlyScore.objects.get(unit=cast.unit, month=april.start)
    assert unit.public_score == Decimal("87.5")  # 100 × (10 × 2/4 + 30 × 1) ÷ 40
    record = AuditRecord.objects.filter(action="quotas.scores.compute").latest("seq")
    assert record.changes["totals"] == {str(cast.unit.pk): ["37.5", "112.5"]}


def test_a_month_that_is_not_over_cannot_be_scored(cast, april):
    with pytest.raises(ValidationError) as raised:
        services.compute_monthly_scores(actor=cast.operator, month=april, now=at("2026-04-30", 23, 59))
    assert "尚未结束" in raised.value.messages[0]
    assert not MonthlyScore.objects.exists()


def test_only_the_operator_or_the_task_computes_scores(cast, april):
    with pytest.raises(QuotasPermissionDenied):
        services.compute_monthly_scores(actor=cast.admin, month=april, now=at("2026-05-02"))
    assert not MonthlyScore.objects.exists()
    assert len(services.compute_monthly_scores(actor=None, month=april, now=at("2026-05-02"))) == 2


def test_the_excel_export_holds_the_ranked_scores(cast, april):
    services.compute_monthly_scores(actor=cast.operator, month=april, now=at("2026-05-02"))
    stream = io.BytesIO()
    from zhengtong.quotas.selectors import scores_of_month

    assert write_scores(scores_of_month(april), april, stream) == 2
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    assert sheet["A1"].value == "2026年4月网站更新考核（双百考核）得分"
    assert [cell.value for cell in sheet[2]] == ["名次", "单位", "公共部分", "信息考核", "总分", "达标周期",
                                                 "未完成周期", "各项要求（达标/考核周期）"]
    assert [cell.value for cell in sheet[3]][:7] == [1, "鹤山区财政局", 100, 100, 200, 4, 0]
    assert [cell.value for cell in sheet[4]][:7] == [2, "鹤山区农业农村局", 12.5, 25, 37.5, 3, 6]
    assert "招商引资每周至少 1 篇 2/4" in sheet["H4"].value
    assert sheet["B4"].border.left.style == "thin" and sheet["H2"].border.bottom.style == "thin"
    assert sheet.column_dimensions["B"].width == 36
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert "A1:H1" in {str(merged) for merged in sheet.merged_cells.ranges}
