"""The shipped 收文 process (条例 第二十四条): handle ∥ co_handle ∥ circulate, finish, archive; deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from .engine_fixtures import (  # noqa: F401
    act,
    candidates,
    open_item,
    open_steps,
    start_shouwen,
    subject_hooks,
    world,
)

pytestmark = pytest.mark.django_db


def _to_direct(world, instance):
    instance = act(world.clerk, instance, "register", opinion="已登记")
    instance = act(world.checker, instance, "initial_review")
    instance = act(world.checker, instance, "propose", opinion="拟请规划科办理")
    return instance


def test_shouwen_with_co_handling_and_circulation_end_to_end(world, subject_hooks):
    from zhengtong.workflow import selectors
    from zhengtong.workflow.models import ProcessInstance

    instance = start_shouwen(world)
    assert candidates(instance, "register") == {"收发员乙"}
    instance = _to_direct(world, instance)
    assert candidates(instance, "direct") == {"局长丁"}
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    instance = act(world.leader, instance, "direct", opinion="请规划科牵头办理，财务科协办，孙副局长阅",
                   data={"lead_department": world.planning.pk, "co_departments": [world.finance.pk],
                         "circulate_to": [world.deputy.pk], "deadline": deadline})
    assert open_steps(instance) == ["circulate", "co_handle", "handle"]
    assert candidates(instance, "handle") == {"吴承办"}
    assert candidates(instance, "co_handle") == {"郑承办"}
    assert candidates(instance, "circulate") == {"孙副局长"}
    handle = open_item(instance, "handle")
    assert handle.department == world.planning
    assert timezone.localtime(handle.due_at).date().isoformat() == deadline
    assert open_item(instance, "co_handle").department == world.finance
    assert open_item(instance, "circulate").due_at is None

    instance = act(world.planning_handler, instance, "handle", opinion="已按要求办理", data={"result": "已落实"})
    instance = act(world.deputy, instance, "circulate", opinion="已阅")
    assert open_steps(instance) == ["co_handle"]  # the parallel join waits for the co-handler
    instance = act(world.finance_handler, instance, "co_handle", opinion="经费已落实")
    assert open_steps(instance) == ["finish"]
    assert candidates(instance, "finish") == {"吴承办"}  # the handler who handled
    instance = act(world.planning_handler, instance, "finish", opinion="办结", data={"outcome": "已办结"})
    assert candidates(instance, "archive") == {"收发员乙"}
    instance = act(world.clerk, instance, "archive")
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert instance.data["result"] == "已落实" and instance.data["outcome"] == "已办结"
    assert instance.data["lead_department"] == world.planning.pk
    steps = [item.step for item in selectors.history_for(instance)]
    assert steps[:4] == ["register", "initial_review", "propose", "direct"]
    assert set(steps[4:7]) == {"handle", "circulate", "co_handle"} and steps[7:] == ["finish", "archive"]


def test_shouwen_without_co_handling_or_circulation_goes_straight_to_finish(world, subject_hooks):
    instance = _to_direct(world, start_shouwen(world))
    instance = act(world.leader, instance, "direct", data={"lead_department": world.finance.pk})
    assert open_steps(instance) == ["handle"]
    assert candidates(instance, "handle") == {"郑承办"}
    assert open_item(instance, "handle").due_at is None
    instance = act(world.finance_handler, instance, "handle")
    assert open_steps(instance) == ["finish"]


def test_a_deadline_that_is_not_a_date_is_refused_and_nothing_changes(world, subject_hooks):
    from zhengtong.workflow.exceptions import WorkflowError

    instance = _to_direct(world, start_shouwen(world))
    with pytest.raises(WorkflowError) as refused:
        act(world.leader, instance, "direct", data={"lead_department": world.planning.pk, "deadline": "下周五"})
    assert "下周五" in str(refused.value)
    assert open_steps(instance) == ["direct"]


def test_handler_transfers_handling_to_another_department(world, subject_hooks):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.workflow import selectors, services
    from zhengtong.workflow.exceptions import TaskAlreadyHandled, WorkflowError

    instance = _to_direct(world, start_shouwen(world))
    instance = act(world.leader, instance, "direct", data={"lead_department": world.planning.pk})
    item = open_item(instance, "handle")
    instance.refresh_from_db()
    with pytest.raises(WorkflowError):  # a reason is required
        services.transfer(actor=world.planning_handler, work_item=item, revision=instance.revision, reason=" ",
                          to_department=world.finance)
    with pytest.raises(WorkflowError):  # nobody in the office holds the handler role
        services.transfer(actor=world.planning_handler, work_item=item, revision=instance.revision,
                          reason="不属本科职责", to_department=world.office)
    moved = services.transfer(actor=world.planning_handler, work_item=item, revision=instance.revision,
                              reason="不属本科职责", to_department=world.finance)
    assert moved.department == world.finance
    assert {user.name for user in moved.candidates.all()} == {"郑承办"}
    assert list(selectors.todo_for(world.planning_handler, world.unit)) == []
    assert list(selectors.todo_for(world.finance_handler, world.unit)) == [moved]
    assert AuditRecord.objects.filter(action="workflow.item.transfer").count() == 1
    with pytest.raises(TaskAlreadyHandled):  # the old page is stale now
        services.transfer(actor=world.finance_handler, work_item=item, revision=instance.revision,
                          reason="再转", to_person=world.planning_handler)
    instance.refresh_from_db()
    person = services.transfer(actor=world.admin, work_item=item, revision=instance.revision, reason="指定承办人",
                               to_person=world.planning_handler)
    assert list(person.candidates.all()) == [world.planning_handler] and person.department is None


def test_outsider_cannot_transfer(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import NotYourTask

    instance = _to_direct(world, start_shouwen(world))
    instance = act(world.leader, instance, "direct", data={"lead_department": world.planning.pk})
    item = open_item(instance, "handle")
    instance.refresh_from_db()
    with pytest.raises(NotYourTask):
        services.transfer(actor=world.outsider, work_item=item, revision=instance.revision, reason="抢",
                          to_person=world.outsider)
    assert candidates(instance, "handle") == {"吴承办"}


def test_the_handler_withdraws_while_the_parallel_branches_are_still_open(world, subject_hooks):
    from zhengtong.workflow import services

    instance = _to_direct(world, start_shouwen(world))
    instance = act(world.leader, instance, "direct",
                   data={"lead_department": world.planning.pk, "co_departments": [world.finance.pk],
                         "circulate_to": [world.deputy.pk]})
    instance = act(world.planning_handler, instance, "handle", opinion="初步意见")
    done = instance.work_items.get(step="handle", status="done")
    circulate = open_item(instance, "circulate")
    instance = services.withdraw(actor=world.planning_handler, work_item=done)
    assert open_steps(instance) == ["circulate", "co_handle", "handle"]
    assert open_item(instance, "circulate") == circulate  # the other branches are untouched
    assert candidates(instance, "handle") == {"吴承办"}
    for user, step in ((world.planning_handler, "handle"), (world.deputy, "circulate"),
                       (world.finance_handler, "co_handle")):
        instance = act(user, instance, step)
    assert open_steps(instance) == ["finish"]
    instance = act(world.planning_handler, instance, "finish")
    instance = act(world.clerk, instance, "archive")
    assert instance.status == "completed"
