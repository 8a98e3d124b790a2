"""The periodic task's work: fire BPMN timer events and remind people of overdue items."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.workdays.selectors import is_working_day
from zhengtong.workflow import engine, hooks, registry
from zhengtong.workflow.exceptions import TaskAlreadyHandled, WorkflowError
from zhengtong.workflow.models import ProcessInstance, WorkItem
from zhengtong.workflow.services import _common as common

logger = logging.getLogger("zhengtong.workflow")


@transaction.atomic
def _fire_timers(instance_pk: int) -> bool:
    instance = ProcessInstance.objects.select_related("definition", "unit").get(pk=instance_pk)
    if instance.status != ProcessInstance.Status.RUNNING:
        return False
    workflow = common.load_workflow(instance)
    before = {str(task.id) for task in engine.ready_user_tasks(workflow)}
    engine.run(workflow)  # refreshes the timers and runs what they released
    after = {str(task.id) for task in engine.ready_user_tasks(workflow)}
    still_waiting = engine.waiting_timers(workflow)
    if before == after and not workflow.is_completed() and still_waiting == instance.waits_for_timer:
        return False
    common.claim(instance, instance.revision)
    ended = common.save(instance, workflow)
    new_items = common.sync_items(instance, workflow)
    audit.record(actor=None, actor_name=common.actor_name(None), action="workflow.instance.timer", obj=instance,
                 unit=instance.unit, summary=_("A timer fired: %(title)s") % {"title": instance.title},
                 changes={"next": [item.step for item in new_items], "ended": ended})
    common.after_change(instance, ended=ended, new_items=new_items)
    return before != after or ended


def refresh_timers(*, now=None) -> int:
    """Fire due timer events and remind overdue items once per working day; return how many changed.

    Timer events follow the real clock (SpiffWorkflow compares with the current UTC time); ``now`` is
    the moment used for the overdue reminders.
    """
    now = now or timezone.now()
    registry.sync_defaults()
    changed = 0
    for pk in ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING,
                                             waits_for_timer=True).values_list("pk", flat=True):
        try:
            changed += int(_fire_timers(pk))
        except (TaskAlreadyHandled, WorkflowError) as error:  # someone acted meanwhile, or a broken step
            logger.warning("timers of process instance %s not fired: %s", pk, error)
    changed += remind_overdue(now=now)
    return changed


def remind_overdue(*, now=None) -> int:
    """Mark overdue open items reminded (at most once per working day) and call ``on_overdue`` hooks."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not is_working_day(today):
        return 0
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    due = (WorkItem.objects.filter(status=WorkItem.Status.OPEN, due_at__lt=now,
                                   instance__status=ProcessInstance.Status.RUNNING)
           .exclude(reminded_at__gte=start_of_today).select_related("instance", "instance__subject_type"))
    count = 0
    for item in due:
        with transaction.atomic():
            updated = (WorkItem.objects.filter(pk=item.pk, status=WorkItem.Status.OPEN)
                       .exclude(reminded_at__gte=start_of_today).update(reminded_at=now))
            if not updated:
                continue
            item.reminded_at = now
            found = hooks.hooks_for(item.instance)
            if found is not None and found.on_overdue is not None:
                found.on_overdue(item)
            count += 1
    return count
