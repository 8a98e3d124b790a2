"""Background work of the exchange core: a thin huey wrapper around the notices' 10-minute rule."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.exchange.services import receiving


@db_periodic_task(crontab(minute="*"))
def escalate_unopened_notices():
    """Every minute: alert, then text, the clerks of units that have not opened a notice (seed 002 第八条)."""
    return receiving.escalate_unopened_notices()
