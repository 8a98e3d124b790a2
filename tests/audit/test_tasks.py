"""The nightly verification writes its outcome into the trail (thin task over a service)."""

from __future__ import annotations

from datetime import datetime

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.tasks import verify_audit_chain_nightly
from zhengtong.audit.verify import verify_chain

from .tamper import TABLE, sql


def test_the_nightly_task_records_an_intact_chain_as_verified(chain):
    verify_audit_chain_nightly.call_local()
    outcome = AuditRecord.objects.get(seq=121)
    assert outcome.action == "audit.chain.verified"
    assert outcome.changes["checked"] == 120
    assert outcome.changes["head_hash"] == AuditRecord.objects.get(seq=120).hash
    assert verify_chain().ok  # the outcome is itself a proper link of the chain


def test_the_nightly_task_records_a_broken_chain_with_the_first_bad_record(chain):
    sql(f"UPDATE {TABLE} SET summary = %s WHERE seq = %s", ["x", 42])
    verify_audit_chain_nightly.call_local()
    outcome = AuditRecord.objects.get(seq=121)
    assert outcome.action == "audit.chain.broken"
    assert outcome.changes["seq"] == 42
    assert outcome.changes["reason"] == "altered"
    assert "42" in outcome.summary


def test_the_nightly_task_runs_at_half_past_two_beijing_time():
    from huey.contrib.djhuey import HUEY

    assert HUEY.utc is False  # huey hands periodic checks the local time of TIME_ZONE
    task = verify_audit_chain_nightly.s()
    assert task.validate_datetime(datetime(2026, 3, 2, 2, 30))
    assert not task.validate_datetime(datetime(2026, 3, 2, 2, 31))
    assert not task.validate_datetime(datetime(2026, 3, 1, 18, 30))
