"""A small website for the quota tests: columns owned by the cast's units, articles on given days."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from .helpers import at


@dataclass
class Site:
    home: object
    news: object  # 新闻快报, owned by cast.unit
    investment: object  # 招商引资, owned by cast.unit
    special: object  # 专题专栏, no owner
    agriculture: object  # 专题专栏 › 农业, owned by cast.unit
    finance_tax: object  # 专题专栏 › 财税, owned by cast.other_unit
    unit_news: object  # cast.unit's 部门工作动态 (the owner is on its 部门 section)
    other_news: object  # cast.other_unit's 部门工作动态
    office_progress: object  # office website 工作进展, owned by cast.unit (departments assessed)
    department: object  # a second department of cast.unit besides cast.office

    def article(self, column, day: str, *, unit=None, department=None, hour: int = 10, minute: int = 0,
                live: bool = True, title: str = "文章"):
        """A live article first published at ``day`` ``hour``:``minute`` local time."""
        from zhengtong.portal.models import ArticlePage

        article = ArticlePage(title=title, slug=f"a{ArticlePage.objects.count() + 1}", live=live, body="<p>正文</p>",
                              first_published_at=at(day, hour, minute), source_unit=unit,
                              source_department=department)
        column.add_child(instance=article)
        return article


@pytest.fixture
def site(cast) -> Site:
    from wagtail.models import Page

    from zhengtong.directory import services as directory
    from zhengtong.portal.models import ColumnPage, HomePage

    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the tree that migrations made
        from wagtail.models import Locale

        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="鹤山区人民政府", slug="heshan-quotas"))

    numbers = itertools.count(1)

    def column(parent, key, title, owner=None):
        return parent.add_child(instance=ColumnPage(title=title, slug=f"{key}-{next(numbers)}", column_key=key,
                                                    owner_unit=owner))

    special = column(home, "special", "专题专栏")
    departments = column(home, "departments", "部门")
    unit_section = column(departments, "dept", "农业局", cast.unit)
    other_section = column(departments, "dept", "财政局", cast.other_unit)
    return Site(
        home=home,
        news=column(home, "news", "新闻快报", cast.unit),
        investment=column(home, "investment", "招商引资", cast.unit),
        special=special,
        agriculture=column(special, "agriculture", "农业", cast.unit),
        finance_tax=column(special, "finance_tax", "财税", cast.other_unit),
        unit_news=column(unit_section, "dept_news", "工作动态"),
        other_news=column(other_section, "dept_news", "工作动态"),
        office_progress=column(home, "office_progress", "工作进展", cast.unit),
        department=directory.create_department(actor=None, unit=cast.unit, name="产业发展科"),
    )


@pytest.fixture
def make_rule(cast):
    """Create a rule through the service, as the platform operator."""
    from zhengtong.quotas import services

    def _make(name, keys, period, minimum, *, scope="column_owners", unit=None, part="public", weight=10,
              remind_days=2):
        return services.save_rule(actor=cast.operator, name=name, column_keys=keys, scope=scope, unit=unit,
                                  period=period, minimum=minimum, part=part, weight=weight, remind_days=remind_days)

    return _make


@pytest.fixture
def no_default_rules(db):
    """Start from no rules: the data migration's defaults would assess the test site too."""
    from zhengtong.quotas.models import QuotaRule

    QuotaRule.objects.all().delete()
