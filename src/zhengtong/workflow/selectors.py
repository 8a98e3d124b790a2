"""Reads of the process engine, scoped to the person asking: to-do (待办), in progress (在办), done (已办)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhengtong.directory import roles
from zhengtong.directory.models import Membership
from zhengtong.directory.selectors import has_role
from zhengtong.workflow import engine, registry
from zhengtong.workflow.models import Delegation, ProcessDefinition, ProcessInstance, WorkItem


def _authenticated(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def _delegators(user, unit, at=None):
    at = at or timezone.now()
    return Delegation.objects.filter(delegate=user, unit=unit, revoked_at__isnull=True, starts_at__lte=at,
                                     ends_at__gt=at).values("delegator_id")


def _search(qs, query: str, prefix: str = ""):
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(**{f"{prefix}title__icontains": query}))
    return qs


def todo_for(user, unit, *, key=None, query: str = "", overdue=None) -> QuerySet[WorkItem]:
    """Open items of running instances in ``unit`` the person may act on, also as a delegate (代办)."""
    if not _authenticated(user) or unit is None:
        return WorkItem.objects.none()
    if not Membership.objects.filter(user=user, unit=unit, is_active=True).exists():
        return WorkItem.objects.none()
    mine = WorkItem.candidates.through.objects.filter(workitem_id=OuterRef("pk"), user_id=user.pk)
    delegated = WorkItem.candidates.through.objects.filter(workitem_id=OuterRef("pk"),
                                                          user_id__in=_delegators(user, unit))
    qs = (WorkItem.objects.filter(unit=unit, status=WorkItem.Status.OPEN,
                                  instance__status=ProcessInstance.Status.RUNNING)
          .filter(Q(Exists(mine)) | Q(Exists(delegated))))
    if key:
        qs = qs.filter(instance__key=key)
    qs = _search(qs, query, "instance__")
    now = timezone.now()
    if overdue is True:
        qs = qs.filter(due_at__lt=now)
    elif overdue is False:
        qs = qs.filter(Q(due_at__isnull=True) | Q(due_at__gte=now))
    return (qs.select_related("instance", "instance__subject_type", "department", "unit")
            .order_by("-created_at", "-id"))


def unassigned_for(user, unit) -> QuerySet[WorkItem]:
    """Open items nobody may act on (no holder of the role): the unit admin transfers them."""
    if not has_role(user, unit, roles.UNIT_ADMIN):
        return WorkItem.objects.none()
    return (WorkItem.objects.filter(unit=unit, status=WorkItem.Status.OPEN, candidates__isnull=True,
                                    instance__status=ProcessInstance.Status.RUNNING)
            .select_related("instance", "department").order_by("created_at", "id"))


def in_progress_for(user, unit, *, key=None, query: str = "") -> QuerySet[ProcessInstance]:
    """Running instances in ``unit`` the person started."""
    if not _authenticated(user) or unit is None:
        return ProcessInstance.objects.none()
    qs = ProcessInstance.objects.filter(unit=unit, started_by=user, status=ProcessInstance.Status.RUNNING)
    if key:
        qs = qs.filter(key=key)
    return _search(qs, query).select_related("definition", "subject_type").order_by("-started_at", "-id")


def done_for(user, unit, *, key=None, query: str = "") -> QuerySet[WorkItem]:
    """Items in ``unit`` the person handled (or that were handled on their behalf), newest first."""
    if not _authenticated(user) or unit is None:
        return WorkItem.objects.none()
    qs = WorkItem.objects.filter(unit=unit, status__in=[WorkItem.Status.DONE, WorkItem.Status.SENT_BACK]).filter(
        Q(acted_by=user) | Q(on_behalf_of=user))
    if key:
        qs = qs.filter(instance__key=key)
    qs = _search(qs, query, "instance__")
    return (qs.select_related("instance", "instance__subject_type", "acted_by", "on_behalf_of", "department")
            .order_by("-completed_at", "-id"))


def counts_for(user, unit) -> dict[str, int]:
    return {
        "todo": todo_for(user, unit).count(),
        "overdue": todo_for(user, unit, overdue=True).count(),
        "in_progress": in_progress_for(user, unit).count(),
        "done": done_for(user, unit).count(),
    }


def can_act(user, work_item) -> bool:
    """Whether the person may act on the item now (a candidate, or the delegate of one)."""
    from zhengtong.workflow.services._common import acting_as

    if work_item.instance.status != ProcessInstance.Status.RUNNING:
        return False
    return acting_as(user, work_item)[0]


def acting_for(user, work_item):
    """The person the user would act for (``on_behalf_of``), or None when acting for themself."""
    from zhengtong.directory.models import User
    from zhengtong.workflow.services._common import acting_as

    may, delegator = acting_as(user, work_item)
    return User.objects.filter(pk=delegator).first() if may and delegator else None


def work_item_for(user, pk) -> WorkItem:
    """A work item the person may see: candidate, delegate of a candidate, who acted, or the unit admin."""
    if not _authenticated(user):
        raise Http404
    try:
        item = (WorkItem.objects.select_related("instance", "instance__definition", "instance__subject_type",
                                                "unit", "department", "acted_by", "on_behalf_of").get(pk=pk))
    except (WorkItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if item.acted_by_id == user.pk or item.on_behalf_of_id == user.pk:
        return item
    if item.candidates.filter(pk=user.pk).exists():
        return item
    if item.candidates.filter(pk__in=_delegators(user, item.unit)).exists():
        return item
    if has_role(user, item.unit, roles.UNIT_ADMIN):
        return item
    raise Http404


def _subject_filter(subject) -> dict:
    return {"subject_type": ContentType.objects.get_for_model(subject, for_concrete_model=False),
            "subject_id": str(subject.pk)}


def instances_for(subject) -> QuerySet[ProcessInstance]:
    """Every instance run on ``subject`` (callers scope the subject itself), newest first."""
    return (ProcessInstance.objects.filter(**_subject_filter(subject)).select_related("definition", "unit")
            .order_by("-started_at", "-id"))


def open_items_for(user, subject) -> list[WorkItem]:
    """The open items on ``subject`` the person may act on now."""
    if not _authenticated(user):
        return []
    items = (WorkItem.objects.filter(instance__in=instances_for(subject), status=WorkItem.Status.OPEN,
                                     instance__status=ProcessInstance.Status.RUNNING)
             .select_related("instance", "unit", "department").order_by("sequence", "id"))
    return [item for item in items if can_act(user, item)]


def history_for(instance) -> list[WorkItem]:
    """The steps handled so far (done, sent back, withdrawn), in the order they were handled."""
    return list(instance.work_items.filter(status__in=[WorkItem.Status.DONE, WorkItem.Status.SENT_BACK,
                                                       WorkItem.Status.WITHDRAWN])
                .select_related("acted_by", "on_behalf_of", "department").order_by("completed_at", "sequence", "id"))


def open_items_of(instance) -> list[WorkItem]:
    """The instance's open items (for the 流程跟踪 page), with their candidates."""
    return list(instance.work_items.filter(status=WorkItem.Status.OPEN).prefetch_related("candidates")
                .select_related("department").order_by("sequence", "id"))


def send_back_targets(work_item) -> list[tuple[str, str, object]]:
    """Where an open item may be sent back to: (step, step label, who handled it), earliest first."""
    from zhengtong.workflow.services import _common as common
    from zhengtong.workflow.services.processes import send_back_targets_in

    if work_item.status != WorkItem.Status.OPEN or work_item.instance.status != ProcessInstance.Status.RUNNING:
        return []
    workflow = common.load_workflow(work_item.instance)
    targets: dict[str, tuple[str, str, object]] = {}
    for task, done in send_back_targets_in(workflow, work_item):
        step = engine.step_of(task)
        targets.pop(step, None)  # the latest run of a step wins, in its latest place
        targets[step] = (step, engine.label_of(task), done.acted_by if done is not None else None)
    return list(targets.values())


def trace_for(instance) -> dict:
    """What bpmn-js needs to draw where the process stands: the XML, completed and current step ids."""
    history = history_for(instance)
    completed = []
    for item in history:
        if item.status == WorkItem.Status.DONE and item.step not in completed:
            completed.append(item.step)
    current = []
    for item in instance.work_items.filter(status=WorkItem.Status.OPEN).order_by("sequence"):
        if item.step not in current:
            current.append(item.step)
    return {"bpmn_xml": instance.definition.bpmn_xml, "completed": completed, "current": current,
            "history": history}


# --- Definitions --------------------------------------------------------------------------------------

def definitions_for(user, unit) -> list[dict]:
    """Per process key: the definition in force for ``unit`` and the unit's uploaded versions (unit admins)."""
    if not has_role(user, unit, roles.UNIT_ADMIN):
        raise Http404
    rows = []
    for ptype in registry.process_types():
        shipped = registry.sync_default(ptype.key)
        versions = list(ProcessDefinition.objects.filter(key=ptype.key, unit=unit).select_related("uploaded_by")
                        .order_by("-version"))
        current = next((version for version in versions if version.is_current), None) or shipped
        rows.append({"key": ptype.key, "name": ptype.name, "current": current, "shipped": shipped,
                     "versions": versions, "required_steps": ptype.required_steps})
    return rows


def definition_for(user, pk) -> ProcessDefinition:
    """A shipped definition for anyone signed in; a unit's own only for that unit's admin."""
    if not _authenticated(user):
        raise Http404
    try:
        definition = ProcessDefinition.objects.select_related("unit").get(pk=pk)
    except (ProcessDefinition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if definition.unit_id is not None and not has_role(user, definition.unit, roles.UNIT_ADMIN):
        raise Http404
    return definition


def delegations_for(user, unit) -> QuerySet[Delegation]:
    """Delegations the person gave or received in ``unit``."""
    if not _authenticated(user) or unit is None:
        return Delegation.objects.none()
    return (Delegation.objects.filter(unit=unit).filter(Q(delegator=user) | Q(delegate=user))
            .select_related("delegator", "delegate").order_by("-starts_at", "-id"))
