"""What the workflow services share: who is offered a step, syncing work items with the engine, saving."""

from __future__ import annotations

import copy
import datetime
import json
import re

from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from zhengtong.directory.models import Department, Membership, Role, User
from zhengtong.workdays.selectors import deadline
from zhengtong.workflow import engine, hooks, registry
from zhengtong.workflow.exceptions import TaskAlreadyHandled, WorkflowError
from zhengtong.workflow.models import Delegation, ProcessInstance, WorkItem

RESERVED_NAMES = set(engine.SAFE_FUNCTIONS) | {"True", "False", "None"}
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


# --- People -------------------------------------------------------------------------------------------

def active_people(unit):
    """People with an active post in ``unit`` who have not left."""
    return (User.objects.filter(memberships__unit=unit, memberships__is_active=True)
            .exclude(status=User.Status.LEFT).distinct())


def is_member(user, unit) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, unit=unit, is_active=True).exists()


def role_code_for_lane(lane: str) -> str | None:
    """The role code a lane names: its code or its Chinese name (科室负责人 → section_chief)."""
    lane = (lane or "").strip()
    if not lane:
        return None
    if lane in _lane_roles:  # role codes never change; only found ones are remembered
        return _lane_roles[lane]
    found = Role.objects.filter(Q(code=lane) | Q(name=lane)).values_list("code", flat=True).first()
    if found is not None and found == lane:
        _lane_roles[lane] = found
    return found


_lane_roles: dict[str, str] = {}


def role_holders(unit, role_code: str, department=None):
    people = active_people(unit).filter(role_assignments__unit=unit, role_assignments__role__code=role_code)
    if department is not None:
        people = people.filter(memberships__unit=unit, memberships__department=department,
                               memberships__is_active=True)
    return people.distinct()


def delegators_of(user, unit, *, at=None):
    """Whom ``user`` stands in for in ``unit`` right now (委托)."""
    at = at or timezone.now()
    return Delegation.objects.filter(delegate=user, unit=unit, revoked_at__isnull=True, starts_at__lte=at,
                                     ends_at__gt=at).values_list("delegator_id", flat=True)


def acting_as(user, item: WorkItem) -> tuple[bool, int | None]:
    """(may act, on behalf of whom): a candidate acts for themself, a delegate for the delegator."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, None
    if item.status != WorkItem.Status.OPEN:
        return False, None
    if not Membership.objects.filter(user=user, unit_id=item.unit_id, is_active=True).exists():
        return False, None  # moved to another unit: their old items wait for a transfer
    if item.candidates.filter(pk=user.pk).exists():
        return True, None
    delegator = (item.candidates.filter(pk__in=delegators_of(user, item.unit))
                 .values_list("pk", flat=True).first())
    if delegator is not None:
        return True, delegator
    return False, None


# --- Input checks ---------------------------------------------------------------------------------------

def clean_data(data) -> dict:
    """The data a step merges into the process: a JSON object whose keys are plain identifiers."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise WorkflowError(_("The process data must be a set of named values."))
    for key in data:
        if not isinstance(key, str) or not _IDENTIFIER.match(key) or key in RESERVED_NAMES:
            raise WorkflowError(_("“%(name)s” cannot be used as the name of a process value.") % {"name": key})
    try:
        return json.loads(json.dumps(data))
    except (TypeError, ValueError):
        raise WorkflowError(_("The process data can only hold text, numbers, lists and named values.")) from None


def clean_assignees(assignees, unit) -> dict[str, list[int]]:
    """``{step: [user ids]}``: every person must have an active post in the unit."""
    if not assignees:
        return {}
    if not isinstance(assignees, dict):
        raise WorkflowError(_("The chosen people must be given per step."))
    cleaned: dict[str, list[int]] = {}
    for step, people in assignees.items():
        if isinstance(people, (int, str)) or hasattr(people, "pk"):
            people = [people]
        ids = []
        for person in people or []:
            pk = getattr(person, "pk", person)
            try:
                ids.append(int(pk))
            except (TypeError, ValueError):
                raise WorkflowError(_("The chosen person is not valid.")) from None
        found = set(active_people(unit).filter(pk__in=ids).values_list("pk", flat=True))
        if set(ids) - found:
            raise WorkflowError(_("A person chosen for the next step has no post in this unit."))
        cleaned[str(step)] = ids
    return cleaned


def parse_due(value) -> datetime.datetime | None:
    """A due time from an ISO date (due by the end of that day, local time), an ISO date-time, or a
    number of working days from now (办理时限, on the holiday calendar with its swapped workdays)."""
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0 or value > 366:
            raise ValueError(value)
        return deadline(timezone.now(), value)
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(23, 59, 59))
    else:
        text = str(value).strip()
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise ValueError(text)
            moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_due_values(key: str, data: dict) -> None:
    """Refuse a due date that cannot be read, before anything changes."""
    ptype = registry.process_type(key)
    names = set(ptype.due_from.values()) if ptype else set()
    for name in names:
        if name in data:
            try:
                parse_due(data[name])
            except (ValueError, TypeError):
                raise WorkflowError(_("The deadline “%(value)s” is not a date (use YYYY-MM-DD).")
                                    % {"value": data[name]}) from None
    due = data.get("due")
    if isinstance(due, dict):
        for value in due.values():
            try:
                parse_due(value)
            except (ValueError, TypeError):
                raise WorkflowError(_("The deadline “%(value)s” is not a date (use YYYY-MM-DD).")
                                    % {"value": value}) from None


# --- Locking and saving ---------------------------------------------------------------------------------

def claim(instance: ProcessInstance, revision: int) -> None:
    """Optimistic lock: move the instance from ``revision`` to the next one, or TaskAlreadyHandled."""
    if revision is None:
        raise TaskAlreadyHandled()
    try:
        revision = int(revision)
    except (TypeError, ValueError):
        raise TaskAlreadyHandled() from None
    updated = (ProcessInstance.objects.filter(pk=instance.pk, revision=revision,
                                              status=ProcessInstance.Status.RUNNING)
               .update(revision=F("revision") + 1))
    if updated != 1:
        raise TaskAlreadyHandled()
    instance.revision = revision + 1


def fresh_item(work_item) -> WorkItem:
    """The work item as stored now (the caller's copy may be stale), with its instance."""
    pk = getattr(work_item, "pk", work_item)
    try:
        return WorkItem.objects.select_related("instance", "instance__definition", "instance__unit", "unit").get(pk=pk)
    except WorkItem.DoesNotExist:
        raise TaskAlreadyHandled() from None


def load_workflow(instance: ProcessInstance):
    parsed = engine.parsed_definition(instance.definition)
    return engine.load(parsed, instance.state)


def save(instance: ProcessInstance, workflow, *, fields=()) -> bool:
    """Store the engine state and the display data; mark the instance completed when the engine is done.

    Returns True when the instance has just ended.
    """
    instance.state = engine.dump(workflow)
    instance.data = engine.display_data(workflow)
    instance.waits_for_timer = engine.waiting_timers(workflow)
    ended = False
    if workflow.is_completed() and instance.status == ProcessInstance.Status.RUNNING:
        instance.status = ProcessInstance.Status.COMPLETED
        instance.completed_at = timezone.now()
        ended = True
    instance.save(update_fields=["state", "data", "waits_for_timer", "status", "completed_at", "revision",
                                 *fields])
    return ended


# --- Work items ---------------------------------------------------------------------------------------

def _department(pk, unit) -> Department | None:
    try:
        return Department.objects.filter(unit=unit, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def candidates_for(instance: ProcessInstance, task, role_code: str | None, *, offer=None):
    """(people, department) offered a ready task, by the contract's order of rules.

    ``offer`` (send back, withdraw) names the people outright; the department is still worked out so
    the lists show it.
    """
    people, department = _candidates(instance, task, role_code)
    if offer:
        people = list(active_people(instance.unit).filter(pk__in=[getattr(p, "pk", p) for p in offer]))
    return people, department


def _candidates(instance: ProcessInstance, task, role_code: str | None):
    unit = instance.unit
    step = engine.step_of(task)
    ptype = registry.process_type(instance.key)
    chosen = (task.data.get("assignees") or {}).get(step)
    if chosen:
        people = list(active_people(unit).filter(pk__in=[p for p in chosen if isinstance(p, int)]))
        if people:
            return people, None
    element = engine.element_of(task)
    if element is not None:
        name, value = element
        if name == "person":
            try:
                return list(active_people(unit).filter(pk=int(value))), None
            except (TypeError, ValueError):
                return [], None
        if name == "department":
            department = _department(value, unit)
            if department is None or role_code is None:
                return [], department
            return list(role_holders(unit, role_code, department)), department
    if ptype is not None:
        if step in ptype.starter_steps and instance.started_by_id and is_member(instance.started_by, unit):
            return [instance.started_by], None
        if step in ptype.performer_of:
            done = (instance.work_items.filter(step=ptype.performer_of[step], status=WorkItem.Status.DONE,
                                               acted_by__isnull=False).order_by("-completed_at", "-id").first())
            if done is not None and is_member(done.acted_by, unit):
                return [done.acted_by], done.department
        if step in ptype.department_from:
            department = _department(task.data.get(ptype.department_from[step]), unit)
            if department is not None:
                if role_code is None:
                    return [], department
                return list(role_holders(unit, role_code, department)), department
    if role_code is None:
        return [], None
    return list(role_holders(unit, role_code)), None


def due_for(instance: ProcessInstance, task):
    step = engine.step_of(task)
    due = task.data.get("due")
    value = due.get(step) if isinstance(due, dict) else None
    if value in (None, ""):
        ptype = registry.process_type(instance.key)
        if ptype is not None and step in ptype.due_from:
            value = task.data.get(ptype.due_from[step])
    try:
        return parse_due(value)
    except (ValueError, TypeError):
        return None


def sync_items(instance: ProcessInstance, workflow, *, offer=None) -> list[WorkItem]:
    """Make the open work items match the engine's ready user tasks; return the new ones.

    Items whose task left the engine (send back, cancel) are cancelled; every ready task without an
    open item gets one. ``offer`` maps an engine task id to the people it must go to (send back,
    withdraw).
    """
    now = timezone.now()
    ready = {str(task.id): task for task in engine.ready_user_tasks(workflow)}
    open_items = list(instance.work_items.filter(status=WorkItem.Status.OPEN))
    stale = [item.pk for item in open_items if item.spiff_task_id not in ready]
    if stale:
        WorkItem.objects.filter(pk__in=stale).update(status=WorkItem.Status.CANCELLED, completed_at=now)
    kept = {item.spiff_task_id for item in open_items if item.spiff_task_id in ready}
    sequence = instance.work_items.aggregate(top=Max("sequence"))["top"] or 0
    lanes: dict[str, str | None] = {}
    created = []
    for task_id, task in ready.items():
        if task_id in kept:
            continue
        lane = engine.lane_of(task)
        if lane not in lanes:
            lanes[lane] = role_code_for_lane(lane)
        role_code = lanes[lane]
        people, department = candidates_for(instance, task, role_code, offer=(offer or {}).get(task_id))
        sequence += 1
        item = WorkItem.objects.create(
            instance=instance, unit=instance.unit, spiff_task_id=task_id, step=engine.step_of(task),
            step_label=engine.label_of(task)[:200], lane=role_code or lane[:40], department=department,
            created_at=now, due_at=due_for(instance, task), sequence=sequence)
        if people:
            through = WorkItem.candidates.through
            through.objects.bulk_create([through(workitem_id=item.pk, user_id=person.pk) for person in people])
        created.append(item)
    return created


def after_change(instance: ProcessInstance, *, ended: bool, new_items: list[WorkItem]) -> ProcessInstance:
    """Run the subject's hooks (in the transaction) and return the instance as stored now."""
    found = hooks.hooks_for(instance)
    if found is not None:
        if ended and found.on_completed is not None:
            found.on_completed(instance)
        if found.on_step is not None:
            for item in new_items:
                item.refresh_from_db()
                if item.status == WorkItem.Status.OPEN:
                    found.on_step(item)
    instance.refresh_from_db()
    return instance


def snapshot(task) -> dict:
    """A task's data without its multi-instance element (what carries on to other steps)."""
    data = copy.deepcopy(dict(task.data))
    element = engine.element_of(task)
    if element is not None:
        data.pop(element[0], None)
        if element[0] in task.parent.data:
            data[element[0]] = copy.deepcopy(task.parent.data[element[0]])
    return data


def actor_name(actor) -> str:
    """The audit trail's name for the platform itself (系统) when a step is completed with actor=None."""
    return "" if actor is not None else _("System")
