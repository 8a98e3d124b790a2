"""Signal receivers: keep the public cache and denormalised column keys in step with the page tree."""

from __future__ import annotations

from django.db import transaction


def invalidate_cache(sender=None, **kwargs) -> None:
    from zhengtong.portal.services import invalidate_public_cache

    transaction.on_commit(invalidate_public_cache)


def invalidate_cache_on_delete(sender=None, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_cache()


def page_moved(sender=None, instance=None, **kwargs) -> None:
    """A moved column or article: its articles take the key of their new nearest column."""
    from zhengtong.portal.models import ArticlePage

    page = instance
    articles = ArticlePage.objects.filter(path__startswith=page.path)
    for article in articles:
        column = article.nearest_column()
        key = column.column_key if column is not None else ""
        if article.column_key != key:
            ArticlePage.objects.filter(pk=article.pk).update(column_key=key)
    invalidate_cache()


def complete_site_tree(sender=None, using="default", **kwargs) -> None:
    """After migrate: create the column pages that are missing (never changes existing ones)."""
    from django.core.management import call_command
    from django.db import connections

    from zhengtong.portal.services import ensure_site_tree

    if "plan" not in kwargs:
        # ``flush`` (a transactional test's teardown) sends post_migrate too, without a plan; it has
        # just emptied every table, Wagtail's root page and locale included: there is no tree to complete.
        return
    tables = connections[using].introspection.table_names()
    if "portal_columnpage" not in tables or "directory_unit" not in tables:
        return
    # Wagtail clears its site cache when the site changes: the database cache needs its table first.
    call_command("createcachetable", database=using, verbosity=0)
    ensure_site_tree(audited=False)
