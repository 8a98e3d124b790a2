"""The column tree of seed 000 and seed 003, and the selectors other apps read it through."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhengtong.portal import selectors, services
from zhengtong.portal.columns import ColumnKey
from zhengtong.portal.models import ArticlePage, ColumnPage, HomePage


def test_tree_has_seed_000_columns_with_owner_units(web, cast):
    keys = set(ColumnPage.objects.descendant_of(web.home).values_list("column_key", flat=True))
    for key in (ColumnKey.NEWS, ColumnKey.GENERAL, ColumnKey.INVESTMENT, ColumnKey.CULTURE_TOURISM,
                ColumnKey.SPECIAL, ColumnKey.INDUSTRY, ColumnKey.AGRICULTURE, ColumnKey.URBAN_RURAL,
                ColumnKey.FINANCE_TAX, ColumnKey.DEPT, ColumnKey.DEPT_NEWS, ColumnKey.DEPT_WORK,
                ColumnKey.DEPT_PROFILE, ColumnKey.MESSAGES, ColumnKey.MAYOR_MAILBOX, ColumnKey.SURVEY,
                ColumnKey.THEORY, ColumnKey.DISCLOSURE):
        assert key in keys, key
    assert web.agriculture.owner_unit == cast.unit  # 农业 → 农业局
    assert web.finance_tax.owner_unit == cast.other_unit  # 财税 → 财政局
    assert web.agriculture.get_parent().specific.column_key == ColumnKey.SPECIAL
    news = ColumnPage.objects.get(column_key=ColumnKey.NEWS)
    assert news.owner_unit.name == "鹤山区人民政府办公室"


def test_every_active_unit_has_its_department_section(web, cast):
    sections = ColumnPage.objects.filter(column_key=ColumnKey.DEPT)
    assert set(sections.values_list("owner_unit", flat=True)) >= {cast.unit.pk, cast.other_unit.pk}
    section = sections.get(owner_unit=cast.unit)
    assert sorted(ColumnPage.objects.child_of(section).values_list("column_key", flat=True)) == \
        sorted([ColumnKey.DEPT_NEWS, ColumnKey.DEPT_WORK, ColumnKey.DEPT_PROFILE])


def test_setup_is_idempotent_and_keeps_edits(web):
    web.agriculture.title = "现代农业"
    web.agriculture.save()
    again = services.ensure_site_tree()
    assert again.created == []
    assert ColumnPage.objects.filter(column_key=ColumnKey.AGRICULTURE).count() == 1
    web.agriculture.refresh_from_db()
    assert web.agriculture.title == "现代农业"


def test_default_site_points_at_the_home_page(web, client):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_page_id == web.home.pk
    assert client.get("/").status_code == 200


def test_office_layout_has_the_eight_columns_of_seed_003(cast):
    result = services.ensure_site_tree(layout=HomePage.Layout.OFFICE)
    keys = list(ColumnPage.objects.child_of(result.home).values_list("column_key", flat=True))
    assert len(keys) == 8 and all(key.startswith("office_") for key in keys)
    assert result.home.layout == "office"


def test_only_the_operator_may_run_setup(web, cast):
    with pytest.raises(services.PortalPermissionDenied):
        services.ensure_site_tree(actor=web.officer)
    assert services.ensure_site_tree(actor=cast.operator).created == []


def test_article_takes_the_key_of_its_nearest_column(web, make_article, cast):
    article = make_article(web.agriculture, source_unit=cast.unit)
    assert article.column_key == ColumnKey.AGRICULTURE
    assert selectors.column_of(article) == web.agriculture
    assert selectors.responsible_unit_of(article) == cast.unit


def test_moving_an_article_updates_its_column_key(web, make_article):
    article = make_article(web.agriculture)
    article.move(web.finance_tax, pos="last-child")
    article.refresh_from_db()
    assert article.column_key == ColumnKey.FINANCE_TAX


def test_department_articles_are_the_responsibility_of_the_section_unit(web, make_article, cast):
    section = ColumnPage.objects.get(column_key=ColumnKey.DEPT, owner_unit=cast.unit)
    dept_news = ColumnPage.objects.child_of(section).get(column_key=ColumnKey.DEPT_NEWS)
    ColumnPage.objects.filter(pk=dept_news.pk).update(owner_unit=None)
    article = make_article(dept_news, source_unit=cast.other_unit)
    assert article.column_key == ColumnKey.DEPT_NEWS
    assert selectors.responsible_unit_of(article) == cast.unit
    ColumnPage.objects.filter(pk=section.pk).update(owner_unit=None)
    assert selectors.responsible_unit_of(article) == cast.other_unit  # falls back to the source unit


def test_published_articles_are_live_and_in_the_half_open_range(web, make_article):
    start = timezone.make_aware(datetime(2026, 10, 1))
    end = timezone.make_aware(datetime(2026, 11, 1))
    inside = make_article(web.agriculture, when=start)
    make_article(web.agriculture, when=end)  # end is excluded
    make_article(web.agriculture, when=start - timedelta(seconds=1))
    draft = make_article(web.agriculture, when=start + timedelta(days=1))
    draft.live = False
    draft.save()
    assert list(selectors.published_articles(start=start, end=end)) == [inside]


def test_columns_selector_lists_columns_in_tree_order(web):
    paths = [column.path for column in selectors.columns()]
    assert paths == sorted(paths) and len(paths) > 20
