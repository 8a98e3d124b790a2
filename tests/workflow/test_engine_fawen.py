"""The shipped 发文 and 联合发文会签 processes, end to end with real directory people (seed 004)."""

from __future__ import annotations

import pytest

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


def test_fawen_runs_end_to_end_without_countersign(world, subject_hooks):
    from zhengtong.workflow import selectors
    from zhengtong.workflow.models import ProcessInstance, WorkItem

    instance = start_fawen(world)
    assert instance.status == ProcessInstance.Status.RUNNING
    assert instance.definition.unit is None and instance.definition.version == 1
    assert open_steps(instance) == ["draft"]
    assert candidates(instance, "draft") == {"张拟稿"}  # offered to the starter
    instance = act(world.drafter, instance, "draft", opinion="请审核")
    # the section chief of the drafting department only, not the chiefs of other departments
    assert candidates(instance, "section_review") == {"李综合"}
    assert open_item(instance, "section_review").department == world.general
    instance = act(world.general_chief, instance, "section_review")
    assert open_steps(instance) == ["office_check"]
    for user, step in [(world.checker, "office_check"), (world.deputy, "leader_review"),
                       (world.leader, "sign_off"), (world.checker, "recheck"), (world.clerk, "numbering"),
                       (world.clerk, "compose"), (world.seal_keeper, "seal"), (world.clerk, "distribute"),
                       (world.clerk, "archive")]:
        assert open_steps(instance) == [step]
        instance = act(user, instance, step, opinion=f"{step} 意见")
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert instance.completed_at is not None
    assert subject_hooks["completed"] == [(instance.pk, ProcessInstance.Status.COMPLETED)]
    history = selectors.history_for(instance)
    assert [item.step for item in history] == [
        "draft", "section_review", "office_check", "leader_review", "sign_off", "recheck", "numbering", "compose",
        "seal", "distribute", "archive"]
    assert history[4].acted_by == world.leader and history[4].opinion == "sign_off 意见"
    assert not WorkItem.objects.filter(instance=instance, status=WorkItem.Status.OPEN).exists()
    trace = selectors.trace_for(instance)
    assert trace["current"] == [] and "countersign" not in trace["completed"]
    assert 'id="sign_off"' in trace["bpmn_xml"] and "bpmndi:BPMNShape" in trace["bpmn_xml"]


def test_countersign_runs_in_parallel_for_two_departments(world, subject_hooks):
    from zhengtong.workflow import selectors

    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    instance = act(world.general_chief, instance, "section_review",
                   data={"countersign_departments": [world.planning.pk, world.finance.pk]})
    items = list(instance.work_items.filter(step="countersign", status="open").order_by("sequence"))
    assert len(items) == 2
    assert {(item.department.name, tuple(c.name for c in item.candidates.all())) for item in items} == {
        ("规划科", ("王规划",)), ("财务科", ("赵财务",))}
    # each chief sees only their own department's countersign item
    assert [item.department for item in selectors.todo_for(world.planning_chief, world.unit)] == [world.planning]
    instance = act(world.finance_chief, instance, "countersign", item_filters={"department": world.finance},
                   opinion="财务科无意见")
    assert open_steps(instance) == ["countersign"]  # waits for the other department
    instance = act(world.planning_chief, instance, "countersign", item_filters={"department": world.planning})
    assert open_steps(instance) == ["office_check"]
    # the drafting department survives the countersign, whose element variable has the same name
    assert instance.data["department"] == world.general.pk
    trace = selectors.trace_for(instance)
    assert trace["completed"] == ["draft", "section_review", "countersign"] and trace["current"] == ["office_check"]


def test_joint_issue_waits_for_the_co_issuing_units_joint_sign(world, subject_hooks):
    """联合发文: joint_review is completed by the platform (actor=None) once every joint_sign ended."""
    from zhengtong.audit.models import AuditRecord
    from zhengtong.workflow import services
    from zhengtong.workflow.models import ProcessInstance, WorkItem

    instance = start_fawen(world, co_units=[world.other_unit.pk])
    for user, step in [(world.drafter, "draft"), (world.general_chief, "section_review"),
                       (world.checker, "office_check"), (world.deputy, "leader_review"), (world.leader, "sign_off"),
                       (world.checker, "recheck")]:
        instance = act(user, instance, step)
    assert open_steps(instance) == ["joint_review"]
    joint = services.start_process(actor=None, unit=world.other_unit, key="joint_sign", subject=world.general,
                                   title=instance.title)
    assert candidates(joint, "joint_check") == {"冯核稿"}
    joint = act(world.other_checker, joint, "joint_check")
    assert candidates(joint, "joint_sign_off") == {"财政局长"}
    # a person of the drafting unit cannot act in the co-issuing unit
    with pytest.raises(Exception) as refused:
        act(world.leader, joint, "joint_sign_off")
    assert "NotYourTask" in type(refused.value).__name__
    joint = act(world.other_leader, joint, "joint_sign_off")
    assert joint.status == ProcessInstance.Status.COMPLETED
    instance = act(None, instance, "joint_review", opinion="联合发文单位均已签发")
    item = instance.work_items.get(step="joint_review")
    assert item.status == WorkItem.Status.DONE and item.acted_by is None
    assert AuditRecord.objects.filter(action="workflow.item.complete", actor_id__isnull=True).exists()
    assert open_steps(instance) == ["numbering"]


def test_on_step_hook_may_complete_an_automatic_step(world, subject_hooks):
    """The documents app completes joint_review from on_step when the co-issuers already signed."""
    from zhengtong.workflow import services

    def complete_joint_review(item):
        if item.step == "joint_review":
            item.instance.refresh_from_db()
            services.complete_work_item(actor=None, work_item=item, revision=item.instance.revision,
                                        opinion="自动完成")

    subject_hooks["handlers"]["step"] = complete_joint_review
    instance = start_fawen(world, co_units=[world.other_unit.pk])
    for user, step in [(world.drafter, "draft"), (world.general_chief, "section_review"),
                       (world.checker, "office_check"), (world.deputy, "leader_review"), (world.leader, "sign_off"),
                       (world.checker, "recheck")]:
        instance = act(user, instance, step)
    assert open_steps(instance) == ["numbering"]
    assert instance.work_items.get(step="joint_review").opinion == "自动完成"
    assert "joint_review" in subject_hooks["step"]


def test_assignees_choose_the_person_of_a_later_step(world):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory

    second_checker, _ = directory.create_person(actor=None, unit=world.unit, name="第二核稿", role_codes=[roles.CHECKER])
    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    assert candidates(instance, "section_review") == {"李综合"}
    instance = act(world.general_chief, instance, "section_review", assignees={"office_check": [second_checker.pk]})
    assert candidates(instance, "office_check") == {"第二核稿"}


def test_assignees_outside_the_unit_are_refused_and_nothing_changes(world):
    from zhengtong.workflow.exceptions import WorkflowError

    instance = start_fawen(world)
    with pytest.raises(WorkflowError) as refused:
        act(world.drafter, instance, "draft", assignees={"section_review": [world.outsider.pk]})
    assert "本单位" in str(refused.value) or "post" in str(refused.value)
    assert open_steps(instance) == ["draft"]
    instance.refresh_from_db()
    assert instance.revision == 0


def test_a_step_without_role_holders_is_created_unassigned_for_the_unit_admin(world):
    from zhengtong.directory.models import RoleAssignment
    from zhengtong.workflow import selectors

    RoleAssignment.objects.filter(unit=world.unit, role__code="checker").delete()
    instance = start_fawen(world)
    instance = act(world.drafter, instance, "draft")
    instance = act(world.general_chief, instance, "section_review")
    item = open_item(instance, "office_check")
    assert item.candidates.count() == 0
    assert list(selectors.unassigned_for(world.admin, world.unit)) == [item]
    assert list(selectors.unassigned_for(world.clerk, world.unit)) == []
