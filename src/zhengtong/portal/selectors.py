"""Reads of the website (门户网站): columns, responsibility, published articles.

webreview and quotas read the website only through these functions.
"""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import QuerySet
from wagtail.models import Page

from zhengtong.portal.columns import DEPT_KEYS, ColumnKey
from zhengtong.portal.models import ArticlePage, ColumnPage, HomePage

ARTICLES_PER_PAGE = 20


def columns() -> QuerySet[ColumnPage]:
    """Every column of the website in tree order."""
    return ColumnPage.objects.select_related("owner_unit", "owner_department").order_by("path")


def column_of(page: Page) -> ColumnPage | None:
    """The page itself when it is a column, else its nearest column ancestor."""
    specific = page.specific_deferred if type(page) is Page else page
    if isinstance(specific, ColumnPage):
        return specific
    ancestor_paths = [page.path[:i] for i in range(page.steplen, len(page.path), page.steplen)]
    return columns().filter(path__in=ancestor_paths).order_by("-depth").first()


def dept_section_of(page: Page) -> ColumnPage | None:
    """The unit's 部门 section (column_key "dept") a page lies in, if any."""
    paths = [page.path[:i] for i in range(page.steplen, len(page.path) + 1, page.steplen)]
    return columns().filter(path__in=paths, column_key=ColumnKey.DEPT).order_by("-depth").first()


def responsible_unit_of(page: Page):
    """The unit responsible for a page's content (seed 000 (一)1: 分别由…负责维护).

    The column's owner unit; in 部门 columns without an owner, the unit's section owner, then the
    article's source unit.
    """
    column = column_of(page)
    if column is None:
        return None
    if column.owner_unit_id:
        return column.owner_unit
    if column.column_key in DEPT_KEYS:
        section = dept_section_of(column)
        if section is not None and section.owner_unit_id:
            return section.owner_unit
        specific = page.specific_deferred if type(page) is Page else page
        if isinstance(specific, ArticlePage) and specific.source_unit_id:
            return specific.source_unit
    return None


def published_articles(*, start: datetime, end: datetime) -> QuerySet[ArticlePage]:
    """Live articles first published in [start, end)."""
    return (ArticlePage.objects.live()
            .filter(first_published_at__gte=start, first_published_at__lt=end)
            .select_related("source_unit", "source_department"))


def articles_in(column: ColumnPage) -> QuerySet[ArticlePage]:
    """Live articles anywhere under a column, newest first."""
    return (ArticlePage.objects.live().descendant_of(column)
            .select_related("source_unit", "cover_image")
            .order_by("-first_published_at", "-id"))


def latest_in(home: Page, key: str, *, limit: int = 8) -> list[ArticlePage]:
    return list(ArticlePage.objects.live().descendant_of(home).filter(column_key=key)
                .select_related("source_unit").order_by("-first_published_at", "-id")[:limit])


def column_by_key(home: Page, key: str) -> ColumnPage | None:
    return ColumnPage.objects.live().descendant_of(home).filter(column_key=key).order_by("path").first()


def child_columns(page: Page) -> QuerySet[ColumnPage]:
    return ColumnPage.objects.live().child_of(page).select_related("owner_unit").order_by("path")


def home_blocks(home: HomePage) -> dict:
    """What the home page shows: top-level columns with their latest articles."""
    from zhengtong.portal import site

    return site.home_blocks(home)


def column_context(column: ColumnPage, *, page_number) -> dict:
    """A column page: its sub-columns and one page of its articles."""
    paginator = Paginator(articles_in(column), ARTICLES_PER_PAGE)
    return {
        "subcolumns": list(child_columns(column)),
        "breadcrumbs": breadcrumbs(column),
        "articles": paginator.get_page(page_number),
        "responsible_unit": responsible_unit_of(column),
    }


def breadcrumbs(page: Page) -> list[Page]:
    """The pages from the site's home page down to (not including) ``page``."""
    return list(page.get_ancestors().filter(depth__gte=2).specific().order_by("depth"))


def article_context(article: ArticlePage) -> dict:
    column = column_of(article)
    related = []
    if column is not None:
        related = list(ArticlePage.objects.live().child_of(column).exclude(pk=article.pk)
                       .order_by("-first_published_at", "-id")[:5])
    return {
        "breadcrumbs": breadcrumbs(article),
        "column": column,
        "attachments": list(article.attachments.select_related("document").order_by("sort_order")),
        "related": related,
    }


def search_articles(home: Page, query: str):
    """Live articles under ``home`` matching a Chinese query (both sides segmented with jieba)."""
    from zhengtong.portal.search import segment_query

    words = segment_query(query)
    if not words:
        return ArticlePage.objects.none()
    return (ArticlePage.objects.live().descendant_of(home)
            .search(words, operator="and"))
