"""Unit admins upload their own BPMN versions: validation, permissions, version pinning, default sync."""

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


def shipped(key):
    from zhengtong.workflow import registry

    return registry.process_type(key).read()


def upload(world, text, key="fawen", actor=None):
    from zhengtong.workflow import services

    return services.upload_definition(actor=actor or world.admin, unit=world.unit, key=key,
                                      uploaded=text.encode("utf-8"))


def refused(world, text, key="fawen", actor=None) -> list[str]:
    from zhengtong.workflow.exceptions import InvalidDefinition
    from zhengtong.workflow.models import ProcessDefinition

    before = ProcessDefinition.objects.count()
    with pytest.raises(InvalidDefinition) as error:
        upload(world, text, key, actor)
    assert ProcessDefinition.objects.count() == before  # nothing stored
    return [str(message) for message in error.value.messages]


def test_malformed_xml_is_refused_with_its_line(world):
    messages = refused(world, shipped("fawen").replace("</bpmn:process>", "</bpmn:proces>"))
    assert len(messages) == 1 and "XML" in messages[0]


def test_a_file_that_is_not_bpmn_is_refused(world):
    assert refused(world, "<html><body>流程</body></html>")


def test_schema_errors_are_refused(world):
    messages = refused(world, shipped("joint_sign").replace("<bpmn:sequenceFlow id=\"f_start\"",
                                                            "<bpmn:sequenceFlowX id=\"f_start\""), "joint_sign")
    assert "BPMN" in messages[0]


def test_a_flow_to_a_missing_element_is_refused(world):
    messages = refused(world, shipped("fawen").replace('targetRef="office_check"', 'targetRef="nowhere"'))
    assert any("f_office" in m and "nowhere" in m for m in messages)


def test_no_executable_process_is_refused(world):
    messages = refused(world, shipped("fawen").replace('isExecutable="true"', 'isExecutable="false"'))
    assert any("executable" in m or "可执行" in m for m in messages)


def test_a_lane_naming_no_role_and_tasks_outside_lanes_are_each_reported(world):
    text = shipped("fawen").replace('<bpmn:lane id="Lane_seal_keeper" name="seal_keeper">',
                                    '<bpmn:lane id="Lane_seal_keeper" name="秘书长">')
    text = text.replace("<bpmn:flowNodeRef>numbering</bpmn:flowNodeRef>", "")
    messages = refused(world, text)
    assert len(messages) == 2
    assert any("Lane_seal_keeper" in m and "秘书长" in m for m in messages)
    assert any("numbering" in m for m in messages)


def test_dropping_a_required_step_is_refused(world):
    text = shipped("fawen").replace('<bpmn:userTask id="compose"', '<bpmn:task id="compose"').replace(
        "</bpmn:userTask>\n    <bpmn:userTask id=\"seal\"", "</bpmn:task>\n    <bpmn:userTask id=\"seal\"")
    messages = refused(world, text)
    assert any("compose" in m for m in messages)


def test_script_tasks_and_unsafe_expressions_are_refused(world):
    text = shipped("fawen").replace("len(countersign_departments) &gt; 0",
                                    "__import__('os').system('true')")
    text = text.replace('<bpmn:userTask id="seal"', '<bpmn:scriptTask id="seal"').replace(
        "</bpmn:userTask>\n    <bpmn:userTask id=\"distribute\"",
        "</bpmn:scriptTask>\n    <bpmn:userTask id=\"distribute\"")
    messages = refused(world, text)
    assert any("f_countersign_yes" in m for m in messages)
    assert any("seal" in m and "scriptTask" in m for m in messages)


def test_an_unknown_process_key_is_refused(world):
    assert refused(world, shipped("fawen"), key="no_such_process")


def test_only_the_unit_admin_of_that_unit_may_upload(world):
    from zhengtong.workflow.exceptions import WorkflowPermissionDenied
    from zhengtong.workflow.models import ProcessDefinition

    for person in (world.outsider, world.clerk, world.operator):
        with pytest.raises(WorkflowPermissionDenied):
            upload(world, shipped("fawen"), actor=person)
    assert not ProcessDefinition.objects.filter(unit=world.unit).exists()


def test_lanes_may_name_the_role_in_chinese(world):
    from zhengtong.audit.models import AuditRecord

    text = shipped("joint_sign").replace('name="checker"', 'name="核稿人"')
    definition = upload(world, text, key="joint_sign")
    assert definition.version == 1 and definition.is_current and definition.uploaded_by == world.admin
    assert AuditRecord.objects.filter(action="workflow.definition.upload").count() == 1


def test_running_instances_keep_their_version(world, subject_hooks):
    from zhengtong.workflow import services

    first = upload(world, shipped("fawen").replace('name="办公室核稿"', 'name="办公室主任核稿"'))
    old = start_fawen(world)
    assert old.definition == first
    second = upload(world, shipped("fawen").replace('name="办公室核稿"', 'name="办公室审核"'))
    first.refresh_from_db()
    assert second.version == 2 and second.is_current and not first.is_current
    new = start_fawen(world)
    assert new.definition == second
    for instance, label in ((old, "办公室主任核稿"), (new, "办公室审核")):
        instance = act(world.drafter, instance, "draft")
        instance = act(world.general_chief, instance, "section_review")
        assert open_item(instance, "office_check").step_label == label
    # back to the shipped process: new instances use the default again
    services.restore_default_definition(actor=world.admin, unit=world.unit, key="fawen")
    assert start_fawen(world).definition.unit is None


def test_a_changed_shipped_file_becomes_a_new_default_version(world, subject_hooks, tmp_path):
    from zhengtong.workflow import registry
    from zhengtong.workflow.models import ProcessDefinition

    running = start_fawen(world)
    v1 = running.definition
    ptype = registry.process_type("fawen")
    changed = tmp_path / "fawen.bpmn"
    changed.write_text(shipped("fawen").replace('name="编号"', 'name="编文号"'), encoding="utf-8")
    registry.register_default_process("fawen", ptype.name, changed, required_steps=ptype.required_steps,
                                      initial_data=ptype.initial_data, starter_steps=ptype.starter_steps,
                                      department_from=ptype.department_from)
    try:
        later = start_fawen(world)
    finally:
        registry.register_default_process("fawen", ptype.name, ptype.path, required_steps=ptype.required_steps,
                                          initial_data=ptype.initial_data, starter_steps=ptype.starter_steps,
                                          department_from=ptype.department_from)
    assert later.definition.version == 2 and later.definition.unit is None and "编文号" in later.definition.bpmn_xml
    assert list(ProcessDefinition.objects.filter(key="fawen", unit__isnull=True, is_current=True)) == [
        later.definition]
    running.refresh_from_db()
    assert running.definition == v1
    assert open_steps(act(world.drafter, running, "draft")) == ["section_review"]


def test_definitions_list_for_the_unit_admin_only(world):
    from django.http import Http404

    from zhengtong.workflow import selectors

    rows = selectors.definitions_for(world.admin, world.unit)
    assert [row["key"] for row in rows] == ["fawen", "joint_sign", "shouwen"]
    assert all(row["current"].unit is None for row in rows)
    with pytest.raises(Http404):
        selectors.definitions_for(world.outsider, world.unit)
    own = upload(world, shipped("fawen"))
    assert selectors.definition_for(world.admin, own.pk) == own
    with pytest.raises(Http404):
        selectors.definition_for(world.outsider, own.pk)


def test_expressions_are_restricted():
    from zhengtong.workflow import engine

    assert engine.check_expression("len(countersign_departments) > 0") is None
    assert engine.check_expression("decision == 'agree' and amount >= 10000") is None
    for bad in ("__import__('os')", "().__class__", "open('/etc/passwd')", "[x for x in range(9)]",
                "lambda: 1"):
        assert engine.check_expression(bad) is not None, bad


DECISION_PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="t">
  <bpmn:process id="joint_sign_decision" name="会签（可不同意）" isExecutable="true">
    <bpmn:laneSet id="Lanes">
      <bpmn:lane id="Lane_checker" name="核稿人"><bpmn:flowNodeRef>joint_check</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="Lane_leader" name="principal_leader"><bpmn:flowNodeRef>joint_sign_off</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="joint_check" name="核稿" />
    <bpmn:exclusiveGateway id="agreed" name="是否同意" default="f_yes" />
    <bpmn:userTask id="joint_sign_off" name="签发" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="refused_end" name="不同意" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="joint_check" />
    <bpmn:sequenceFlow id="f2" sourceRef="joint_check" targetRef="agreed" />
    <bpmn:sequenceFlow id="f_yes" sourceRef="agreed" targetRef="joint_sign_off" />
    <bpmn:sequenceFlow id="f_no" sourceRef="agreed" targetRef="refused_end">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "reject"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="joint_sign_off" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.mark.parametrize(("decision", "next_steps", "status"), [("reject", [], "completed"),
                                                                 ("agree", ["joint_sign_off"], "running")])
def test_an_uploaded_gateway_branches_on_the_decision(world, subject_hooks, decision, next_steps, status):
    from zhengtong.workflow import services

    upload(world, DECISION_PROCESS, key="joint_sign")
    instance = services.start_process(actor=world.checker, unit=world.unit, key="joint_sign", subject=world.general,
                                      title="会签")
    instance = act(world.checker, instance, "joint_check", decision=decision)
    assert open_steps(instance) == next_steps and instance.status == status
    assert instance.work_items.get(step="joint_check").decision == decision
