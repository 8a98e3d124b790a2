"""Due dates, overdue reminders once per working day, and BPMN timer events fired by the periodic task."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from .engine_fixtures import act, open_item, open_steps, start_shouwen, subject_hooks, world  # noqa: F401

pytestmark = pytest.mark.django_db

TIMER_PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs" targetNamespace="t">
  <bpmn:process id="joint_sign_wait" name="会签（等待一秒）" isExecutable="true">
    <bpmn:laneSet id="Lanes">
      <bpmn:lane id="Lane_checker" name="checker"><bpmn:flowNodeRef>joint_check</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="Lane_leader" name="主要领导"><bpmn:flowNodeRef>joint_sign_off</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="joint_check" name="核稿" />
    <bpmn:intermediateCatchEvent id="wait" name="等待">
      <bpmn:timerEventDefinition id="wait_timer"><bpmn:timeDuration>"PT1S"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="joint_sign_off" name="签发" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="joint_check" />
    <bpmn:sequenceFlow id="f2" sourceRef="joint_check" targetRef="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="joint_sign_off" />
    <bpmn:sequenceFlow id="f4" sourceRef="joint_sign_off" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _handle_due(world, deadline):
    instance = start_shouwen(world)
    instance = act(world.clerk, instance, "register")
    instance = act(world.checker, instance, "initial_review")
    instance = act(world.checker, instance, "propose")
    return act(world.leader, instance, "direct", data={"lead_department": world.planning.pk, "deadline": deadline})


def _local(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def test_overdue_items_are_reminded_once_per_working_day(world, subject_hooks):
    from zhengtong.workflow import selectors, services

    instance = _handle_due(world, "2026-11-20")  # a Friday, before today
    item = open_item(instance, "handle")
    assert item.is_overdue
    assert list(selectors.todo_for(world.planning_handler, world.unit, overdue=True)) == [item]
    assert list(selectors.todo_for(world.planning_handler, world.unit, overdue=False)) == []
    assert selectors.counts_for(world.planning_handler, world.unit)["overdue"] == 1

    monday = _local(2026, 11, 23)
    assert services.refresh_timers(now=monday) == 1
    item.refresh_from_db()
    assert item.reminded_at == monday
    assert subject_hooks["overdue"] == [item.pk]
    assert services.refresh_timers(now=monday + datetime.timedelta(hours=3)) == 0  # once a day
    assert services.refresh_timers(now=_local(2026, 11, 28)) == 0  # a Saturday: no reminders
    assert services.refresh_timers(now=_local(2026, 11, 24, 9)) == 1  # the next working day
    assert subject_hooks["overdue"] == [item.pk, item.pk]


def test_items_not_yet_due_are_not_reminded(world, subject_hooks):
    from zhengtong.workflow import services

    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    instance = _handle_due(world, later)
    item = open_item(instance, "handle")
    assert not item.is_overdue
    assert services.refresh_timers() == 0
    item.refresh_from_db()
    assert item.reminded_at is None and subject_hooks["overdue"] == []


def test_a_bpmn_timer_event_fires_from_the_periodic_task(world, subject_hooks):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.workflow import services
    from zhengtong.workflow.tasks import refresh_workflow_timers

    services.upload_definition(actor=world.admin, unit=world.unit, key="joint_sign",
                               uploaded=TIMER_PROCESS.encode("utf-8"))
    instance = services.start_process(actor=world.clerk, unit=world.unit, key="joint_sign", subject=world.general,
                                      title="会签测试")
    instance = act(world.checker, instance, "joint_check")
    assert open_steps(instance) == [] and instance.waits_for_timer
    assert services.refresh_timers() == 0  # not yet
    time.sleep(1.2)
    refresh_workflow_timers.call_local()
    instance.refresh_from_db()
    assert open_steps(instance) == ["joint_sign_off"] and not instance.waits_for_timer
    assert AuditRecord.objects.filter(action="workflow.instance.timer", object_id=str(instance.pk)).count() == 1
    assert {user.name for user in open_item(instance, "joint_sign_off").candidates.all()} == {"局长丁"}
    instance = act(world.leader, instance, "joint_sign_off")
    assert instance.status == "completed"


def test_due_dates_from_the_due_map_of_any_step(world, subject_hooks):
    instance = start_shouwen(world, due={"initial_review": "2026-12-01T12:00:00"})
    instance = act(world.clerk, instance, "register")
    due = open_item(instance, "initial_review").due_at
    assert timezone.localtime(due).replace(tzinfo=None) == datetime.datetime(2026, 12, 1, 12, 0)


def test_due_in_working_days_follows_the_holiday_calendar(world, subject_hooks):
    from zhengtong.workdays.selectors import deadline

    instance = start_shouwen(world, due={"initial_review": 3})
    before = timezone.now()
    instance = act(world.clerk, instance, "register")
    due = open_item(instance, "initial_review").due_at
    assert deadline(before, 3) <= due <= deadline(timezone.now(), 3)
