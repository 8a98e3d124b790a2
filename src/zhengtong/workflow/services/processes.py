"""Running processes: start, complete a step, send back (退回), withdraw (撤回), transfer (转办), cancel."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.util.task import TaskState

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import Department, User
from zhengtong.directory.selectors import has_role
from zhengtong.workflow import engine, registry
from zhengtong.workflow.exceptions import (
    NotYourTask,
    TaskAlreadyHandled,
    WorkflowError,
    WorkflowPermissionDenied,
)
from zhengtong.workflow.models import ProcessDefinition, ProcessInstance, WorkItem
from zhengtong.workflow.services import _common as common


def current_definition(*, unit, key: str) -> ProcessDefinition:
    """The unit's current definition of ``key``, else the shipped default (synced from its file)."""
    own = ProcessDefinition.objects.filter(key=key, unit=unit, is_current=True).order_by("-version").first()
    if own is not None:
        return own
    shipped = registry.sync_default(key)
    if shipped is None:
        raise WorkflowError(_("There is no process “%(key)s”.") % {"key": key})
    return shipped


@transaction.atomic
def start_process(*, actor, unit, key: str, subject, title: str, data: dict | None = None) -> ProcessInstance:
    """Start process ``key`` on ``subject`` in ``unit`` and open its first step(s).

    ``actor`` must have an active post in ``unit``; ``actor=None`` means the platform starts it (e.g.
    the 联合发文会签 of a co-issuing unit, started by the drafting unit's process).
    """
    if actor is not None and not common.is_member(actor, unit):
        raise WorkflowPermissionDenied(_("You have no post in this unit, so you cannot start its processes."))
    if subject is None or getattr(subject, "pk", None) is None:
        raise WorkflowError(_("A process needs a saved subject."))
    title = (title or "").strip()
    if not title:
        raise WorkflowError(_("Give the process a title."))
    data = common.clean_data(data)
    common.check_due_values(key, data)
    definition = current_definition(unit=unit, key=key)
    ptype = registry.process_type(key)
    initial = {**(ptype.initial_data if ptype else {}), **data}
    parsed = engine.parsed_definition(definition)
    workflow = engine.start(parsed, initial)
    instance = ProcessInstance(
        definition=definition, key=key, unit=unit,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=str(subject.pk), title=title[:300], started_by=actor, revision=0)
    instance.state = engine.dump(workflow)
    instance.data = engine.display_data(workflow)
    instance.save()
    ended = common.save(instance, workflow)
    new_items = common.sync_items(instance, workflow)
    audit.record(actor=actor, actor_name=common.actor_name(actor), action="workflow.instance.start", obj=instance,
                 unit=unit, summary=_("Started “%(process)s”: %(title)s") % {"process": definition.name,
                                                                            "title": instance.title},
                 changes={"key": key, "definition": definition.pk, "version": definition.version,
                          "steps": [item.step for item in new_items]})
    return common.after_change(instance, ended=ended, new_items=new_items)


def _engine_task(workflow, item: WorkItem):
    task = engine.task_by_id(workflow, item.spiff_task_id)
    if task is None or not engine.is_ready(task):
        raise TaskAlreadyHandled()
    return task


@transaction.atomic
def complete_work_item(*, actor, work_item, revision: int, opinion: str = "", decision: str = "",
                       data: dict | None = None, assignees: dict | None = None) -> ProcessInstance:
    """Complete a step with an opinion (意见) and move the process on.

    ``revision`` is the instance revision the actor's page showed: if someone acted since, or the item
    is no longer open, nothing changes and ``TaskAlreadyHandled`` says so. ``data`` is merged into the
    process data, ``decision`` becomes the variable ``decision``, and ``assignees`` ({step: [user ids]})
    chooses who gets later steps. ``actor=None`` is the platform completing an automatic step.
    """
    item = common.fresh_item(work_item)
    instance = item.instance
    if item.status != WorkItem.Status.OPEN or instance.status != ProcessInstance.Status.RUNNING:
        raise TaskAlreadyHandled()
    on_behalf_of = None
    if actor is not None:
        may, on_behalf_of = common.acting_as(actor, item)
        if not may:
            raise NotYourTask()
    data = common.clean_data(data)
    common.check_due_values(instance.key, data)
    chosen = common.clean_assignees(assignees, instance.unit)
    decision = (decision or "").strip()[:40]
    common.claim(instance, revision)

    workflow = common.load_workflow(instance)
    task = _engine_task(workflow, item)
    task.data.update(data)
    if chosen:
        task.data["assignees"] = {**(task.data.get("assignees") or {}), **chosen}
    task.data["decision"] = decision
    try:
        task.run()
    except Exception as error:
        raise engine.engine_error(error) from error
    engine.run(workflow)

    now = timezone.now()
    item.status = WorkItem.Status.DONE
    item.acted_by = actor
    item.on_behalf_of_id = on_behalf_of
    item.opinion = (opinion or "").strip()
    item.decision = decision
    item.completed_at = now
    item.save(update_fields=["status", "acted_by", "on_behalf_of", "opinion", "decision", "completed_at"])
    ended = common.save(instance, workflow)
    new_items = common.sync_items(instance, workflow)
    audit.record(actor=actor, actor_name=common.actor_name(actor), action="workflow.item.complete", obj=instance,
                 unit=instance.unit,
                 summary=_("%(step)s done: %(title)s") % {"step": item.step_label, "title": instance.title},
                 changes={"item": item.pk, "step": item.step, "decision": decision, "opinion": item.opinion,
                          "on_behalf_of": on_behalf_of, "data": data, "assignees": chosen,
                          "next": [new.step for new in new_items], "ended": ended})
    return common.after_change(instance, ended=ended, new_items=new_items)


def send_back_targets_in(workflow, item: WorkItem) -> list:
    """The completed steps before ``item`` it may be sent back to: (engine task, previous done item)."""
    task = engine.task_by_id(workflow, item.spiff_task_id)
    if task is None:
        return []
    found = []
    for ancestor in engine.completed_user_ancestors(task):
        done = (item.instance.work_items.filter(spiff_task_id=str(ancestor.id), status=WorkItem.Status.DONE)
                .select_related("acted_by", "on_behalf_of").order_by("-completed_at", "-id").first())
        found.append((ancestor, done))
    return found


@transaction.atomic
def send_back(*, actor, work_item, revision: int, to_step: str, reason: str) -> ProcessInstance:
    """Send an open item back (退回) to an earlier completed step, offered to whoever completed it.

    The steps in between are undone (parallel items on the way are cancelled); the data the process
    gathered so far is kept, so the re-done step starts from the latest values.
    """
    item = common.fresh_item(work_item)
    instance = item.instance
    if item.status != WorkItem.Status.OPEN or instance.status != ProcessInstance.Status.RUNNING:
        raise TaskAlreadyHandled()
    may, on_behalf_of = common.acting_as(actor, item)
    if not may:
        raise NotYourTask()
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for sending it back."))
    common.claim(instance, revision)
    workflow = common.load_workflow(instance)
    task = _engine_task(workflow, item)
    targets = [(ancestor, done) for ancestor, done in send_back_targets_in(workflow, item)
               if engine.step_of(ancestor) == to_step]
    if not targets:
        raise WorkflowError(_("This item cannot be sent back to that step."))
    target, done = targets[-1]
    carried = common.snapshot(task)
    people = []
    if done is not None:
        # to whoever completed it; a delegate acted for someone else, so it goes back to that person
        # (their delegates, while the delegation runs, still see it)
        person = done.on_behalf_of or done.acted_by
        people = [person] if person is not None else []
    try:
        workflow.reset_from_task_id(target.id)
        target = workflow.get_task_from_id(target.id)
        target.data.update(carried)
    except Exception as error:
        raise engine.engine_error(error) from error
    engine.run(workflow)

    item.status = WorkItem.Status.SENT_BACK
    item.acted_by = actor
    item.on_behalf_of_id = on_behalf_of
    item.opinion = reason
    item.decision = "sent_back"
    item.completed_at = timezone.now()
    item.save(update_fields=["status", "acted_by", "on_behalf_of", "opinion", "decision", "completed_at"])
    ended = common.save(instance, workflow)
    new_items = common.sync_items(instance, workflow, offer={str(target.id): people} if people else None)
    audit.record(actor=actor, action="workflow.item.send_back", obj=instance, unit=instance.unit,
                 summary=_("%(step)s sent back to %(target)s: %(title)s")
                 % {"step": item.step_label, "target": engine.label_of(target), "title": instance.title},
                 changes={"item": item.pk, "step": item.step, "to_step": to_step, "reason": reason,
                          "on_behalf_of": on_behalf_of})
    return common.after_change(instance, ended=ended, new_items=new_items)


@transaction.atomic
def withdraw(*, actor, work_item) -> ProcessInstance:
    """Withdraw (撤回) a step one has completed, while nobody has acted on the steps that followed."""
    item = common.fresh_item(work_item)
    instance = item.instance
    if actor is None or item.acted_by_id != actor.pk:
        raise NotYourTask(_("Only the person who handled this step may withdraw it."))
    if item.status != WorkItem.Status.DONE:
        raise WorkflowError(_("Only a completed step can be withdrawn."))
    if instance.status != ProcessInstance.Status.RUNNING:
        raise WorkflowError(_("The process has ended, so its steps can no longer be withdrawn."))
    common.claim(instance, instance.revision)
    workflow = common.load_workflow(instance)
    task = engine.task_by_id(workflow, item.spiff_task_id)
    if task is None or not engine.is_completed(task):
        raise WorkflowError(_("This step can no longer be withdrawn."))
    refused = WorkflowError(_("Someone has already acted on the following step, so this one can no longer "
                              "be withdrawn."))
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, MultiInstanceTask):
        # A child of a multi-instance step (会签 of one department): it has no steps of its own after it;
        # it can be taken back while the other departments are still at it.
        if parent.state != TaskState.STARTED:
            raise refused
        task._set_state(TaskState.READY)
        merged = parent.internal_data.get("merged", [])
        if str(task.id) in merged:
            merged.remove(str(task.id))
    else:
        if any(engine.is_completed(node) for node in engine.user_descendants(task)):
            raise refused
        try:
            workflow.reset_from_task_id(task.id)
        except Exception as error:
            raise engine.engine_error(error) from error
    engine.run(workflow)

    item.status = WorkItem.Status.WITHDRAWN
    item.save(update_fields=["status"])
    ended = common.save(instance, workflow)
    new_items = common.sync_items(instance, workflow, offer={item.spiff_task_id: [actor]})
    audit.record(actor=actor, action="workflow.item.withdraw", obj=instance, unit=instance.unit,
                 summary=_("%(step)s withdrawn: %(title)s") % {"step": item.step_label, "title": instance.title},
                 changes={"item": item.pk, "step": item.step})
    return common.after_change(instance, ended=ended, new_items=new_items)


@transaction.atomic
def transfer(*, actor, work_item, revision: int, reason: str, to_department=None, to_person=None) -> WorkItem:
    """Transfer (转办) an open item to another department's holders of the step's role, or to one person.

    Its candidates may transfer it, and so may the unit admin (who also places unassigned items).
    """
    item = common.fresh_item(work_item)
    instance = item.instance
    if item.status != WorkItem.Status.OPEN or instance.status != ProcessInstance.Status.RUNNING:
        raise TaskAlreadyHandled()
    may, _on_behalf_of = common.acting_as(actor, item)
    if not may and not has_role(actor, item.unit, roles.UNIT_ADMIN):
        raise NotYourTask()
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for the transfer."))
    if (to_department is None) == (to_person is None):
        raise WorkflowError(_("Choose either a department or a person to transfer it to."))
    if to_department is not None:
        department = to_department if isinstance(to_department, Department) else (
            Department.objects.filter(pk=getattr(to_department, "pk", to_department)).first())
        if department is None or department.unit_id != item.unit_id:
            raise WorkflowError(_("The department is not part of this unit."))
        role_code = item.lane or None
        people = list(common.role_holders(item.unit, role_code, department)) if role_code else []
        if not people:
            raise WorkflowError(_("Nobody in that department holds the role this step needs."))
        target = {"department": department.pk, "department_name": department.name}
    else:
        person = to_person if isinstance(to_person, User) else User.objects.filter(
            pk=getattr(to_person, "pk", to_person)).first()
        if person is None or not common.active_people(item.unit).filter(pk=person.pk).exists():
            raise WorkflowError(_("The person has no post in this unit."))
        department = None
        people = [person]
        target = {"person": person.pk, "person_name": person.name}
    common.claim(instance, revision)
    before = sorted(item.candidates.values_list("pk", flat=True))
    item.candidates.set(people)
    item.department = department
    item.save(update_fields=["department"])
    audit.record(actor=actor, action="workflow.item.transfer", obj=instance, unit=instance.unit,
                 summary=_("%(step)s transferred: %(title)s") % {"step": item.step_label, "title": instance.title},
                 changes={"item": item.pk, "step": item.step, "reason": reason, "candidates": [before, [
                     p.pk for p in people]], **target})
    return item


@transaction.atomic
def cancel_process(*, actor, instance, reason: str) -> ProcessInstance:
    """Cancel (终止) a running instance: by whoever started it or by the unit admin."""
    instance = ProcessInstance.objects.select_related("definition", "unit").get(pk=instance.pk)
    if actor is None or not (instance.started_by_id == actor.pk or has_role(actor, instance.unit, roles.UNIT_ADMIN)):
        raise WorkflowPermissionDenied(_("Only the person who started the process or the unit admin may cancel it."))
    if instance.status != ProcessInstance.Status.RUNNING:
        raise WorkflowError(_("The process has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for cancelling."))
    common.claim(instance, instance.revision)
    workflow = common.load_workflow(instance)
    workflow.cancel()
    now = timezone.now()
    instance.work_items.filter(status=WorkItem.Status.OPEN).update(status=WorkItem.Status.CANCELLED,
                                                                   completed_at=now)
    instance.status = ProcessInstance.Status.CANCELLED
    instance.completed_at = now
    instance.cancel_reason = reason
    instance.state = engine.dump(workflow)
    instance.waits_for_timer = False
    instance.save(update_fields=["state", "status", "completed_at", "cancel_reason", "waits_for_timer",
                                 "revision"])
    audit.record(actor=actor, action="workflow.instance.cancel", obj=instance, unit=instance.unit,
                 summary=_("Cancelled: %(title)s") % {"title": instance.title}, changes={"reason": reason})
    return common.after_change(instance, ended=True, new_items=[])
