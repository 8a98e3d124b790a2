"""Periodic work of the receiving windows: thin wrappers around exchange.services.windows.

Imported by ``setup_reporting.ready()`` so that huey registers the tasks (its autodiscovery only
imports modules named ``tasks``).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.exchange.services import windows


@db_periodic_task(crontab(minute="*"))
def receiving_windows_every_minute():
    """Each minute: remind clerks when a window opens; close the windows that have ended (seed 000)."""
    windows.remind_window_start()
    return [closed.missed for closed in windows.close_finished_windows()]
