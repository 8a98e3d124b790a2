"""退回, 撤回, 委托, 终止, the optimistic lock, and what outsiders can neither do nor see."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from .engine_fixtures import (  # noqa: F401
    act,
    candidates,
    open_item,
    open_steps,
    start_fawen,
    subject_hooks,
    world,
)

pytestmark = pytest.mark.django_db


def _to_office_check(world, **data):
    instance = start_fawen(world, **data)
    instance = act(world.drafter, instance, "draft", opinion="初稿")
    instance = act(world.general_chief, instance, "section_review", opinion="同意")
    return instance


def test_send_back_to_the_drafter_and_resubmit(world, subject_hooks):
    from zhengtong.workflow import selectors, services
    from zhengtong.workflow.models import WorkItem

    instance = _to_office_check(world)
    instance = act(world.checker, instance, "office_check")
    item = open_item(instance, "leader_review")
    targets = selectors.send_back_targets(item)
    assert [(step, label, person) for step, label, person in targets] == [
        ("draft", "起草", world.drafter), ("section_review", "科室负责人审核", world.general_chief),
        ("office_check", "办公室核稿", world.checker)]
    instance = services.send_back(actor=world.deputy, work_item=item, revision=instance.revision, to_step="draft",
                                  reason="请补充依据")
    assert open_steps(instance) == ["draft"]
    assert candidates(instance, "draft") == {"张拟稿"}
    item.refresh_from_db()
    assert item.status == WorkItem.Status.SENT_BACK and item.opinion == "请补充依据" and item.acted_by == world.deputy
    history = selectors.history_for(instance)
    assert [(entry.step, entry.status) for entry in history][-1] == ("leader_review", "sent_back")
    # resubmitted, the document goes the whole way again
    instance = act(world.drafter, instance, "draft", opinion="已补充")
    assert candidates(instance, "section_review") == {"李综合"}
    instance = act(world.general_chief, instance, "section_review")
    instance = act(world.checker, instance, "office_check")
    assert open_steps(instance) == ["leader_review"]
    assert instance.data["department"] == world.general.pk


def test_send_back_goes_to_whoever_completed_the_step_before(world, subject_hooks):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.workflow import services

    directory.create_person(actor=None, unit=world.unit, name="另一核稿", role_codes=[roles.CHECKER])
    instance = _to_office_check(world)
    assert candidates(instance, "office_check") == {"陈核稿", "另一核稿"}
    instance = act(world.checker, instance, "office_check")
    item = open_item(instance, "leader_review")
    instance = services.send_back(actor=world.deputy, work_item=item, revision=instance.revision,
                                  to_step="office_check", reason="核稿意见不明确")
    assert candidates(instance, "office_check") == {"陈核稿"}


def test_send_back_cancels_the_parallel_countersign_items(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.models import WorkItem

    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    instance = act(world.general_chief, instance, "section_review",
                   data={"countersign_departments": [world.planning.pk, world.finance.pk]})
    finance = open_item(instance, "countersign", department=world.finance)
    planning = open_item(instance, "countersign", department=world.planning)
    instance = services.send_back(actor=world.finance_chief, work_item=finance, revision=instance.revision,
                                  to_step="draft", reason="涉及财务的表述需修改")
    planning.refresh_from_db()
    assert planning.status == WorkItem.Status.CANCELLED
    assert open_steps(instance) == ["draft"]


def test_send_back_needs_a_reason_and_an_earlier_step(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import WorkflowError

    instance = _to_office_check(world)
    item = open_item(instance, "office_check")
    with pytest.raises(WorkflowError):
        services.send_back(actor=world.checker, work_item=item, revision=instance.revision, to_step="draft",
                           reason="")
    with pytest.raises(WorkflowError):
        services.send_back(actor=world.checker, work_item=item, revision=instance.revision, to_step="sign_off",
                           reason="不对")
    assert open_steps(instance) == ["office_check"]


def test_withdraw_while_the_next_step_is_untouched(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.models import WorkItem

    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    done = instance.work_items.get(step="draft")
    review = open_item(instance, "section_review")
    instance = services.withdraw(actor=world.drafter, work_item=done)
    done.refresh_from_db()
    review.refresh_from_db()
    assert done.status == WorkItem.Status.WITHDRAWN
    assert review.status == WorkItem.Status.CANCELLED
    assert open_steps(instance) == ["draft"] and candidates(instance, "draft") == {"张拟稿"}
    instance = act(world.drafter, instance, "draft", opinion="改好了")
    assert open_steps(instance) == ["section_review"]


def test_withdraw_is_refused_once_the_next_step_was_handled_or_by_someone_else(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import NotYourTask, WorkflowError

    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    done = instance.work_items.get(step="draft")
    with pytest.raises(NotYourTask):
        services.withdraw(actor=world.general_chief, work_item=done)
    with pytest.raises(NotYourTask):
        services.withdraw(actor=world.outsider, work_item=done)
    instance = act(world.general_chief, instance, "section_review")
    with pytest.raises(WorkflowError) as refused:
        services.withdraw(actor=world.drafter, work_item=done)
    assert "撤回" in str(refused.value) or "withdrawn" in str(refused.value)
    assert open_steps(instance) == ["office_check"]


def test_one_department_withdraws_its_countersign_while_the_other_is_at_it(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import WorkflowError

    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    instance = act(world.general_chief, instance, "section_review",
                   data={"countersign_departments": [world.planning.pk, world.finance.pk]})
    instance = act(world.finance_chief, instance, "countersign", item_filters={"department": world.finance})
    done = instance.work_items.get(step="countersign", department=world.finance, status="done")
    instance = services.withdraw(actor=world.finance_chief, work_item=done)
    again = open_item(instance, "countersign", department=world.finance)
    assert {user.name for user in again.candidates.all()} == {"赵财务"}
    instance = act(world.finance_chief, instance, "countersign", item_filters={"department": world.finance},
                   opinion="修改后同意")
    instance = act(world.planning_chief, instance, "countersign", item_filters={"department": world.planning})
    assert open_steps(instance) == ["office_check"]
    last = instance.work_items.get(step="countersign", department=world.planning)
    with pytest.raises(WorkflowError):  # the countersign is over: office_check has started
        services.withdraw(actor=world.planning_chief, work_item=last)


def test_a_delegate_acts_on_behalf_of_the_delegator(world, subject_hooks):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.workflow import selectors, services
    from zhengtong.workflow.exceptions import WorkflowError, WorkflowPermissionDenied

    now = timezone.now()
    instance = _to_office_check(world)
    instance = act(world.checker, instance, "office_check")
    item = open_item(instance, "leader_review")
    assert not selectors.can_act(world.section_chief, item)
    with pytest.raises(WorkflowError):
        services.delegate(actor=world.deputy, unit=world.unit, delegate=world.outsider, starts_at=now,
                          ends_at=now + datetime.timedelta(days=3))
    delegation = services.delegate(actor=world.deputy, unit=world.unit, delegate=world.section_chief,
                                   starts_at=now - datetime.timedelta(minutes=1),
                                   ends_at=now + datetime.timedelta(days=3), reason="出差")
    assert AuditRecord.objects.filter(action="workflow.delegation.create").exists()
    assert selectors.can_act(world.section_chief, item)
    assert list(selectors.todo_for(world.section_chief, world.unit)) == [item]
    assert selectors.work_item_for(world.section_chief, item.pk) == item
    assert selectors.acting_for(world.section_chief, item) == world.deputy
    with pytest.raises(WorkflowPermissionDenied):  # only the delegator or the unit admin revokes it
        services.revoke_delegation(actor=world.outsider, delegation=delegation)
    instance = act(world.section_chief, instance, "leader_review", opinion="同意（代）")
    done = instance.work_items.get(step="leader_review")
    assert done.acted_by == world.section_chief and done.on_behalf_of == world.deputy
    assert list(selectors.done_for(world.deputy, world.unit)) == [done]
    services.revoke_delegation(actor=world.deputy, delegation=delegation)
    # after the revocation the delegate no longer acts for the deputy
    instance = services.send_back(actor=world.leader, work_item=open_item(instance, "sign_off"),
                                  revision=instance.revision, to_step="leader_review", reason="请分管领导本人审核")
    again = open_item(instance, "leader_review")
    assert not selectors.can_act(world.section_chief, again)
    assert selectors.can_act(world.deputy, again)


def test_a_stale_page_gets_task_already_handled_and_changes_nothing(world, subject_hooks):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import TaskAlreadyHandled
    from zhengtong.workflow.models import WorkItem

    other, _ = directory.create_person(actor=None, unit=world.unit, name="另一核稿", role_codes=[roles.CHECKER])
    instance = _to_office_check(world)
    item = open_item(instance, "office_check")
    shown = instance.revision  # both checkers opened the page at this revision
    services.complete_work_item(actor=world.checker, work_item=item, revision=shown, opinion="同意")
    with pytest.raises(TaskAlreadyHandled) as late:
        services.complete_work_item(actor=other, work_item=item, revision=shown, opinion="不同意")
    with translation.override("en"):
        assert "already been handled by someone else" in str(late.value)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.acted_by == world.checker and item.opinion == "同意"
    instance.refresh_from_db()
    assert instance.revision == shown + 1
    assert open_steps(instance) == ["leader_review"]
    # an old revision on a still-open item is refused too
    with pytest.raises(TaskAlreadyHandled):
        services.complete_work_item(actor=world.deputy, work_item=open_item(instance, "leader_review"),
                                    revision=shown, opinion="同意")


def test_outsiders_can_neither_act_nor_see(world, subject_hooks):
    from zhengtong.workflow import selectors, services
    from zhengtong.workflow.exceptions import NotYourTask, WorkflowPermissionDenied

    instance = _to_office_check(world)
    item = open_item(instance, "office_check")
    with pytest.raises(NotYourTask):
        services.complete_work_item(actor=world.outsider, work_item=item, revision=instance.revision)
    with pytest.raises(NotYourTask):  # a colleague without the role cannot act either
        services.complete_work_item(actor=world.clerk, work_item=item, revision=instance.revision)
    with pytest.raises(NotYourTask):
        services.send_back(actor=world.outsider, work_item=item, revision=instance.revision, to_step="draft",
                           reason="x")
    with pytest.raises(Http404):
        selectors.work_item_for(world.outsider, item.pk)
    with pytest.raises(Http404):
        selectors.work_item_for(world.clerk, item.pk)
    assert selectors.work_item_for(world.checker, item.pk) == item
    assert selectors.work_item_for(world.drafter, instance.work_items.get(step="draft").pk)  # who acted
    assert list(selectors.todo_for(world.outsider, world.unit)) == []
    assert list(selectors.todo_for(world.outsider, world.other_unit)) == []
    assert selectors.open_items_for(world.outsider, world.general) == []
    assert selectors.open_items_for(world.checker, world.general) == [item]
    assert not selectors.can_act(world.outsider, item)
    with pytest.raises(WorkflowPermissionDenied):
        services.start_process(actor=world.outsider, unit=world.unit, key="fawen", subject=world.general,
                               title="外单位发文")
    with pytest.raises(WorkflowPermissionDenied):
        services.cancel_process(actor=world.outsider, instance=instance, reason="x")
    assert open_steps(instance) == ["office_check"]


def test_lists_and_counts(world, subject_hooks):
    from zhengtong.workflow import hooks, selectors

    instance = _to_office_check(world)
    start_fawen(world)  # a second one, still at draft
    assert selectors.counts_for(world.drafter, world.unit) == {"todo": 1, "overdue": 0, "in_progress": 2,
                                                                "done": 1}
    assert selectors.counts_for(world.checker, world.unit)["todo"] == 1
    assert [i.pk for i in selectors.in_progress_for(world.drafter, world.unit, key="fawen")] != []
    assert list(selectors.in_progress_for(world.drafter, world.unit, key="shouwen")) == []
    assert selectors.todo_for(world.checker, world.unit, query="农田水利").count() == 1
    assert selectors.todo_for(world.checker, world.unit, query="不存在的标题").count() == 0
    assert list(selectors.instances_for(world.general))[-1] == instance
    assert hooks.describe(instance) == ("科室 综合科", f"/dept/{world.general.pk}/")


def test_the_starter_cancels_a_running_process(world, subject_hooks):
    from zhengtong.workflow import services
    from zhengtong.workflow.exceptions import WorkflowError
    from zhengtong.workflow.models import ProcessInstance, WorkItem

    instance = _to_office_check(world)
    item = open_item(instance, "office_check")
    with pytest.raises(WorkflowError):
        services.cancel_process(actor=world.drafter, instance=instance, reason="")
    instance = services.cancel_process(actor=world.drafter, instance=instance, reason="不再发文")
    item.refresh_from_db()
    assert instance.status == ProcessInstance.Status.CANCELLED and instance.cancel_reason == "不再发文"
    assert item.status == WorkItem.Status.CANCELLED
    assert subject_hooks["completed"] == [(instance.pk, ProcessInstance.Status.CANCELLED)]


def test_someone_whose_post_ended_can_no_longer_act(world, subject_hooks):
    from zhengtong.directory.models import Membership
    from zhengtong.workflow import selectors, services
    from zhengtong.workflow.exceptions import NotYourTask

    instance = _to_office_check(world)
    item = open_item(instance, "office_check")
    Membership.objects.filter(user=world.checker, unit=world.unit).update(is_active=False)
    assert not selectors.can_act(world.checker, item)
    assert list(selectors.todo_for(world.checker, world.unit)) == []
    with pytest.raises(NotYourTask):
        services.complete_work_item(actor=world.checker, work_item=item, revision=instance.revision)
    instance.refresh_from_db()
    moved = services.transfer(actor=world.admin, work_item=item, revision=instance.revision, reason="人员调动",
                              to_person=world.section_chief)
    assert list(moved.candidates.all()) == [world.section_chief]
