"""Background work of the accounts app: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.accounts import services


@db_periodic_task(crontab(hour="3", minute="17"))
def clear_expired_sessions() -> None:
    """Every night: remove sessions that timed out, so the session table does not grow for ever."""
    services.clear_expired_sessions()
