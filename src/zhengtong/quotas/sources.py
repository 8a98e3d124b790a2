"""What the quotas read from the website (the portal app), reduced to plain facts.

The counting in ``compliance`` works on these facts only, so the period arithmetic and the states
can be tested without building pages; this module is the one place that knows the portal's models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from zhengtong.quotas.periods import Period, local_date


@dataclass(frozen=True)
class ColumnFact:
    """A column page (栏目): its key, the unit (and department) responsible for it, its tree path."""

    key: str
    owner_unit_id: int | None
    owner_department_id: int | None
    path: str


@dataclass(frozen=True)
class ArticleFact:
    """A live article: where it sits, who supplied it, the local date it was first published."""

    path: str
    column_key: str
    unit_id: int | None
    department_id: int | None
    day: datetime.date


def column_facts() -> list[ColumnFact]:
    """Every column of the website with the unit responsible for it (as ``responsible_unit_of``).

    A column of a unit's 部门 section without an owner of its own belongs to the section's owner.
    """
    from zhengtong.portal.columns import DEPT_KEYS, ColumnKey
    from zhengtong.portal.models import ColumnPage

    rows = list(ColumnPage.objects.order_by("path").values_list(
        "column_key", "owner_unit_id", "owner_department_id", "owner_department__unit_id", "path"))
    sections = {path: unit_id or department_unit_id for key, unit_id, _d, department_unit_id, path in rows
                if key == ColumnKey.DEPT}
    facts = []
    for key, unit_id, department_id, department_unit_id, path in rows:
        owner = unit_id or department_unit_id
        if owner is None and key in DEPT_KEYS:
            enclosing = [section for section in sections if path.startswith(section) and sections[section]]
            owner = sections[max(enclosing, key=len)] if enclosing else None
        facts.append(ColumnFact(key=key, owner_unit_id=owner, owner_department_id=department_id, path=path))
    return facts


def article_facts(start: datetime.date, end: datetime.date, *, keys: Iterable[str] | None = None) -> list[ArticleFact]:
    """Live articles first published on local dates ``[start, end)`` (the portal's contract).

    ``keys`` limits them to articles of those columns (an article carries its column's key).
    """
    from zhengtong.portal.selectors import published_articles

    span = Period(start, end, "span")
    articles = published_articles(start=span.start_at(), end=span.end_at())
    if keys is not None:
        articles = articles.filter(column_key__in=sorted(set(keys)))
    rows = articles.values_list(
        "path", "column_key", "source_unit_id", "source_department_id", "first_published_at")
    return [ArticleFact(path=path, column_key=key, unit_id=unit_id, department_id=department_id,
                        day=local_date(published))
            for path, key, unit_id, department_id, published in rows]
