"""The periodic tasks are thin: they call the services with the current time."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhengtong.quotas import services, tasks

pytestmark = pytest.mark.django_db


def test_the_daily_task_sends_the_reminders(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "remind_units_behind", lambda *, now: calls.append(now) or [])
    tasks.remind_behind_daily.call_local()
    assert len(calls) == 1 and abs((calls[0] - timezone.now()).total_seconds()) < 60


def test_the_monthly_task_scores_the_previous_month(cast):
    from zhengtong.quotas.models import MonthlyScore

    tasks.score_previous_month.call_local()
    month = services.previous_month(timezone.now())
    # the default rules apply to no column of the test database's units: no unit is scored, but it ran
    assert not MonthlyScore.objects.filter(month=month.start).exists()
    from zhengtong.audit.models import AuditRecord

    record = AuditRecord.objects.filter(action="quotas.scores.compute").latest("seq")
    assert record.changes == {"month": month.key} and record.actor_id is None
