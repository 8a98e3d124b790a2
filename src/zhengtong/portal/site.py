"""What the public home page shows, per layout (seed 000 columns or seed 003's eight columns)."""

from __future__ import annotations

from zhengtong.portal import selectors
from zhengtong.portal.columns import ColumnKey
from zhengtong.portal.models import ArticlePage, ColumnPage, HomePage


def _block(column: ColumnPage, *, limit: int) -> dict:
    return {
        "column": column,
        "articles": list(ArticlePage.objects.live().descendant_of(column)
                         .select_related("source_unit").order_by("-first_published_at", "-id")[:limit]),
        "children": list(selectors.child_columns(column)),
    }


def home_blocks(home: HomePage) -> dict:
    top = list(selectors.child_columns(home))
    by_key = {column.column_key: column for column in top}
    context: dict = {"top_columns": top}
    if home.layout == HomePage.Layout.OFFICE:
        context["blocks"] = [_block(column, limit=6) for column in top]
        return context

    def block(key, limit):
        column = by_key.get(key)
        return _block(column, limit=limit) if column is not None else None

    topics = by_key.get(ColumnKey.TOPICS)
    topic_blocks = []
    if topics is not None:
        for column in selectors.child_columns(topics):
            topic_blocks.append(_block(column, limit=4))
    departments = by_key.get(ColumnKey.DEPARTMENTS)
    lead = (ArticlePage.objects.live().descendant_of(home).filter(column_key=ColumnKey.NEWS)
            .exclude(cover_image=None).select_related("cover_image").order_by("-first_published_at").first())
    context.update({
        "lead": lead,
        "news": block(ColumnKey.NEWS, 8),
        "general": block(ColumnKey.GENERAL, 8),
        "topics": topics,
        "topic_blocks": topic_blocks,
        "departments": departments,
        "department_sections": list(selectors.child_columns(departments)) if departments else [],
        "interaction": block(ColumnKey.INTERACTION, 4),
        "disclosure": block(ColumnKey.DISCLOSURE, 6),
    })
    return context
