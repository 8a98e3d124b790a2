"""Periodic work of the update quotas: thin wrappers around the services."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtong.quotas import services


@db_periodic_task(crontab(hour="8", minute="30"))
def remind_behind_daily():
    """Every morning: remind the units that are behind when a period is about to end."""
    services.remind_units_behind(now=timezone.now())


@db_periodic_task(crontab(day="1", hour="3", minute="10"))
def score_previous_month():
    """On the first of each month: compute the scores of the month just ended (双百考核)."""
    now = timezone.now()
    services.compute_monthly_scores(actor=None, month=services.previous_month(now), now=now)
