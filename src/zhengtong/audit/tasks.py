"""Background work of the audit trail."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.audit import services


# HUEY["utc"] is False in settings, so crontab times are in the platform's TIME_ZONE.
@db_periodic_task(crontab(hour=2, minute=30))
def verify_audit_chain_nightly():
    """Verify the hash chain every night at 02:30 and record the outcome in the trail itself."""
    services.record_verification()
