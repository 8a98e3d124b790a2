"""Compliance per unit and period on real pages: counts, met / behind / missed, scopes (seed 000 (一)3)."""

from __future__ import annotations

import pytest

from .helpers import at
from zhengtong.quotas import periods as P
from zhengtong.quotas import selectors

pytestmark = pytest.mark.django_db


def _states(rule, month, now, **kwargs):
    return {(s.subject.unit_id, s.subject.department_id, s.period.key): (s.count, s.state)
            for s in selectors.month_statuses(P.parse_month(month), now=at(now), rules_=[rule], **kwargs)}


def test_weekly_and_monthly_counts_across_the_month_boundary(cast, site, make_rule, no_default_rules):
    """Articles on Mon 30 Mar, Tue 31 Mar, Wed 1 Apr, Sun 5 Apr, Mon 6 Apr (hand count in comments)."""
    for day in ("2026-03-30", "2026-03-31", "2026-04-01", "2026-04-05", "2026-04-06"):
        site.article(site.investment, day, unit=cast.unit)
    weekly = make_rule("招商引资每周至少 1 篇", ["investment"], "week", 1)
    monthly = make_rule("招商引资每月至少 4 篇", ["investment"], "month", 4)
    u = cast.unit.pk
    # April, seen on Wednesday 8 April: the week of 30 Mar–5 Apr ends in April and holds 4 articles;
    # the week of 6–12 April holds 1 and runs; the weeks of 13 and 20 April have not started.
    assert _states(weekly, "2026-04", "2026-04-08") == {
        (u, None, "2026-W14"): (4, "met"),
        (u, None, "2026-W15"): (1, "met"),
        (u, None, "2026-W16"): (0, "not_started"),
        (u, None, "2026-W17"): (0, "not_started"),
    }
    # March has the weeks ending 1, 8, 15, 22 and 29 March: all over, none with an article.
    march = _states(weekly, "2026-03", "2026-04-08")
    assert len(march) == 5 and {value for value in march.values()} == {(0, "missed")}
    # Months split the same articles differently: March 2 (30, 31 Mar), April 3 (1, 5, 6 Apr).
    assert _states(monthly, "2026-03", "2026-04-08") == {(u, None, "2026-03"): (2, "missed")}
    assert _states(monthly, "2026-04", "2026-04-08") == {(u, None, "2026-04"): (3, "behind")}
    assert _states(monthly, "2026-04", "2026-05-01") == {(u, None, "2026-04"): (3, "missed")}
    site.article(site.investment, "2026-04-30", unit=cast.unit)
    assert _states(monthly, "2026-04", "2026-05-01") == {(u, None, "2026-04"): (4, "met")}


def test_behind_or_missed_depends_on_now(cast, site, make_rule, no_default_rules):
    rule = make_rule("新闻快报每月至少 2 篇", ["news"], "month", 2)
    site.article(site.news, "2026-04-03", unit=cast.unit)
    assert _states(rule, "2026-04", "2026-04-30")[(cast.unit.pk, None, "2026-04")] == (1, "behind")
    # 23:59 on 30 April local time is still inside April; midnight is not.
    assert selectors.month_statuses(P.parse_month("2026-04"), now=at("2026-04-30", 23, 59),
                                    rules_=[rule])[0].state == "behind"
    assert selectors.month_statuses(P.parse_month("2026-04"), now=at("2026-05-01", 0, 0),
                                    rules_=[rule])[0].state == "missed"


def test_the_local_date_decides_the_period(cast, site, make_rule, no_default_rules):
    """00:30 on 1 April in 鹤山区 is 31 March in UTC: the article counts in April."""
    rule = make_rule("新闻快报每月至少 1 篇", ["news"], "month", 1)
    site.article(site.news, "2026-04-01", unit=cast.unit, hour=0, minute=30)
    assert _states(rule, "2026-03", "2026-05-02")[(cast.unit.pk, None, "2026-03")] == (0, "missed")
    assert _states(rule, "2026-04", "2026-05-02")[(cast.unit.pk, None, "2026-04")] == (1, "met")


def test_drafts_and_other_columns_do_not_count(cast, site, make_rule, no_default_rules):
    rule = make_rule("新闻快报每月至少 1 篇", ["news"], "month", 1)
    site.article(site.news, "2026-04-03", unit=cast.unit, live=False)
    site.article(site.investment, "2026-04-03", unit=cast.unit)
    assert _states(rule, "2026-04", "2026-05-02")[(cast.unit.pk, None, "2026-04")] == (0, "missed")


def test_column_owners_answer_for_their_sub_columns(cast, site, make_rule, no_default_rules):
    """专题专栏: 农业 is the 农业局's and 财政 the 财政局's, whoever supplied the article (seed 000 (一)1)."""
    rule = make_rule("专题专栏每周至少 1 篇", ["special", "industry", "agriculture", "urban_rural", "finance_tax"],
                     "week", 1)
    site.article(site.agriculture, "2026-04-14", unit=cast.other_unit)  # supplied by someone else
    site.article(site.finance_tax, "2026-04-07", unit=cast.other_unit)
    states = _states(rule, "2026-04", "2026-04-26")
    assert states[(cast.unit.pk, None, "2026-W16")] == (1, "met")
    assert states[(cast.unit.pk, None, "2026-W15")] == (0, "missed")
    assert states[(cast.other_unit.pk, None, "2026-W15")] == (1, "met")
    # the 专题专栏 itself has no owner, so nobody else is assessed
    assert {unit for unit, _d, _k in states} == {cast.unit.pk, cast.other_unit.pk}


def test_department_sections_take_their_owner_from_the_section(cast, site, make_rule, no_default_rules):
    """部门工作动态 columns have no owner of their own: each unit's section owner answers for it."""
    rule = make_rule("部门工作动态每周至少 1 篇", ["dept_news"], "week", 1, part="information")
    site.article(site.unit_news, "2026-04-08", unit=cast.unit)
    site.article(site.other_news, "2026-04-09", unit=cast.other_unit)
    site.article(site.other_news, "2026-04-10", unit=cast.other_unit)
    states = _states(rule, "2026-04", "2026-04-20")
    assert states[(cast.unit.pk, None, "2026-W15")] == (1, "met")
    assert states[(cast.other_unit.pk, None, "2026-W15")] == (2, "met")
    assert states[(cast.unit.pk, None, "2026-W16")] == (0, "missed")  # 13–19 April is over on the 20th
    assert states[(cast.unit.pk, None, "2026-W17")] == (0, "behind")  # 20–26 April runs


def test_each_department_is_assessed_by_its_own_articles(cast, site, make_rule, no_default_rules):
    """Seed 003 第十六条: each 科室 at least one piece of work news a month."""
    rule = make_rule("各科室每月至少 1 条动态信息", ["office_progress"], "month", 1, scope="each_department",
                     part="information")
    site.article(site.office_progress, "2026-04-02", unit=cast.unit, department=cast.office)
    site.article(site.office_progress, "2026-04-03", unit=cast.unit, department=cast.office)
    states = _states(rule, "2026-04", "2026-05-01")
    assert states == {
        (cast.unit.pk, cast.office.pk, "2026-04"): (2, "met"),
        (cast.unit.pk, site.department.pk, "2026-04"): (0, "missed"),
    }


def test_every_unit_and_named_unit_count_by_the_supplying_unit(cast, site, make_rule, no_default_rules):
    every = make_rule("每个单位每月至少 1 篇新闻", ["news"], "month", 1, scope="every_unit")
    named = make_rule("财政局每月至少 1 篇新闻", ["news"], "month", 1, scope="named_unit", unit=cast.other_unit)
    site.article(site.news, "2026-04-03", unit=cast.other_unit)
    states = _states(every, "2026-04", "2026-05-01")
    assert states[(cast.other_unit.pk, None, "2026-04")] == (1, "met")
    assert states[(cast.unit.pk, None, "2026-04")] == (0, "missed")
    assert len(states) == 3  # the cast's three active units
    assert _states(named, "2026-04", "2026-05-01") == {(cast.other_unit.pk, None, "2026-04"): (1, "met")}


def test_yearly_rules_show_progress_but_score_only_in_december(cast, site, make_rule, no_default_rules):
    rule = make_rule("理论研讨每年至少 5 篇", ["news"], "year", 5)
    site.article(site.news, "2026-02-03", unit=cast.unit)
    november = selectors.month_statuses(P.parse_month("2026-11"), now=at("2026-11-21"), rules_=[rule])
    assert [(s.period.key, s.count, s.state, s.scored) for s in november] == [("2026", 1, "behind", False)]
    december = selectors.month_statuses(P.parse_month("2026-12"), now=at("2027-01-01"), rules_=[rule])
    assert [(s.period.key, s.count, s.state, s.scored) for s in december] == [("2026", 1, "missed", True)]


def test_in_time_rules_are_listed_without_a_count(cast, site, make_rule, no_default_rules):
    make_rule("部门简介及时更新", ["dept_profile", "dept_news"], "in_time", 0)
    current = selectors.current_statuses(cast.unit, now=at("2026-04-08"))
    assert [(s.rule.name, s.state, s.period) for s in current] == [("部门简介及时更新", "in_time", None)]
    assert selectors.month_statuses(P.parse_month("2026-04"), now=at("2026-04-08")) == []


def test_an_owned_column_counts_articles_of_its_sub_columns_with_other_keys(cast, site, make_rule, no_default_rules):
    """A rule on the 部门 section (key "dept") counts the articles of its 工作动态 column (key "dept_news")."""
    rule = make_rule("部门网页每月至少 2 篇", ["dept"], "month", 2)
    site.article(site.unit_news, "2026-04-08", unit=cast.unit)
    site.article(site.unit_news, "2026-04-09", unit=cast.unit)
    site.article(site.other_news, "2026-04-09", unit=cast.other_unit)
    assert _states(rule, "2026-04", "2026-05-01") == {
        (cast.unit.pk, None, "2026-04"): (2, "met"),
        (cast.other_unit.pk, None, "2026-04"): (1, "missed"),
    }
