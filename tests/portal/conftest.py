"""Website fixtures: the column tree for the standard cast, and its information officers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Web:
    home: object
    agriculture: object  # 农业 column, owned by the cast's unit (农业农村局)
    finance_tax: object  # 财税 column, owned by other_unit (财政局)
    officer: object  # 信息员 of 农业局
    other_officer: object  # 信息员 of 财政局
    reviewer: object  # 审核人 of 区政府办
    password: str


def _person(cast, name, unit, codes):
    from zhengtong.directory import services as directory

    user, _ = directory.create_person(actor=None, unit=unit, name=name, role_codes=codes)
    user.set_password(cast.password)
    user.must_change_password = False
    user.save()
    return user


@pytest.fixture(autouse=True)
def _fresh_page_memory():
    """Each process keeps recently served pages in memory; a test's rolled-back pages must not leak."""
    from zhengtong.portal import services
    from zhengtong.portal.middleware import forget_local_pages

    forget_local_pages()
    yield
    forget_local_pages()
    services._pending_views.clear()  # counted views of rolled-back articles


@pytest.fixture
def web(cast) -> Web:
    from zhengtong.directory import roles
    from zhengtong.directory.models import Unit
    from zhengtong.portal import services
    from zhengtong.portal.columns import ColumnKey
    from zhengtong.portal.models import ColumnPage

    government_office = Unit.objects.get(name="鹤山区人民政府办公室")
    officer = _person(cast, "信息员庚", cast.unit, [roles.INFO_OFFICER])
    other_officer = _person(cast, "信息员辛", cast.other_unit, [roles.INFO_OFFICER])
    reviewer = _person(cast, "审核人壬", government_office, [roles.CONTENT_REVIEWER])
    tree = services.ensure_site_tree()
    services.sync_cms_permissions()
    return Web(home=tree.home,
               agriculture=ColumnPage.objects.get(column_key=ColumnKey.AGRICULTURE, path__startswith=tree.home.path),
               finance_tax=ColumnPage.objects.get(column_key=ColumnKey.FINANCE_TAX, path__startswith=tree.home.path),
               officer=officer, other_officer=other_officer, reviewer=reviewer, password=cast.password)


@pytest.fixture
def make_article():
    """make_article(column, title=..., body=..., when=datetime) → a published ArticlePage."""
    from django.utils import timezone

    from zhengtong.portal.models import ArticlePage

    counter = iter(range(1, 10_000))

    def _make(column, *, title="测试文章", body="<p>正文。</p>", when=None, **fields):
        when = when or timezone.now()
        page = ArticlePage(title=title, slug=f"t{next(counter)}", body=body, first_published_at=when,
                           last_published_at=when, live=True, **fields)
        column.add_child(instance=page)
        return page

    return _make
