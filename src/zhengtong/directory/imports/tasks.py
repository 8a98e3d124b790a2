"""Background tasks of the people import: thin wrappers around the services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def run_people_import(import_id: int) -> None:
    """Create the people of a confirmed import (see ``services.run_import``)."""
    from zhengtong.directory.imports import services

    services.run_import(import_id=import_id)


@db_periodic_task(crontab(minute="23"))
def tidy_people_imports() -> None:
    """Every hour: delete one-time passwords nobody downloaded in time; fail imports whose worker died."""
    from zhengtong.directory.imports import services

    services.wipe_stale_passwords()
    services.fail_stalled_imports()
