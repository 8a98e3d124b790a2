"""Background work of the process engine: a thin huey wrapper around the timer service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.workflow import services


@db_periodic_task(crontab(minute="*/5"))
def refresh_workflow_timers():
    """Every five minutes: fire BPMN timer events and remind overdue to-do items."""
    return services.refresh_timers()
