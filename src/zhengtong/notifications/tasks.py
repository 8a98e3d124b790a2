"""Background work of notifications: thin huey wrappers around the sending services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def send_messages(ids: list[int]) -> int:
    """Send the messages just queued by ``services.notify`` (dispatched on commit)."""
    from zhengtong.notifications import services

    return services.send_messages(ids=ids)


@db_periodic_task(crontab(minute="*"))
def send_due_messages() -> int:
    """Every minute: send held messages after quiet hours, retries that are due, missed dispatches."""
    from zhengtong.notifications import services

    return services.send_due_messages()
