"""Background work of the website: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.portal import services


@db_periodic_task(crontab(minute="*/15"))
def sync_cms_permissions() -> None:
    """Every quarter hour: /cms/ groups follow directory roles (also refreshed when a person opens /cms/)."""
    services.sync_cms_permissions()


@db_periodic_task(crontab(minute="*"))
def flush_article_views() -> None:
    """Every minute: write the worker's counted article views (web processes flush their own)."""
    services.flush_article_views()
