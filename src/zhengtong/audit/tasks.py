"""Background work of the audit trail."""

from __future__ import annotations

from datetime import UTC

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from zhengtong.audit import services


def local_crontab(**fields):
    """huey's ``crontab``, read in the platform's time zone (TIME_ZONE) even when huey keeps UTC."""
    matches = crontab(**fields)

    def validate(moment):
        if HUEY.utc:  # huey hands periodic checks a naive UTC time unless configured with utc=False
            from django.utils import timezone

            moment = moment.replace(tzinfo=UTC).astimezone(timezone.get_default_timezone()).replace(tzinfo=None)
        return matches(moment)

    return validate


@db_periodic_task(local_crontab(hour=2, minute=30))
def verify_audit_chain_nightly():
    """Verify the hash chain every night at 02:30 and record the outcome in the trail itself."""
    services.record_verification()
