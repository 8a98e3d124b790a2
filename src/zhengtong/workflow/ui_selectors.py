"""Reads the workflow pages need beyond the engine's selectors: who may see a trace, the definitions
page of a unit admin, delegations, and how a row names and links its subject.

Like every selector, a missing right looks like a missing page (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhengtong.directory import roles
from zhengtong.directory.selectors import has_role, role_codes_in
from zhengtong.workflow.models import Delegation, ProcessDefinition, ProcessInstance, WorkItem

# Besides the participants, these roles of the instance's unit see every trace of the unit.
OVERSEEING_ROLES = {roles.UNIT_ADMIN, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER}


def is_unit_admin(user, unit) -> bool:
    return bool(unit) and user.is_authenticated and has_role(user, unit, roles.UNIT_ADMIN)


def require_unit(request):
    """The unit the person works in now, or 404 for someone with no post anywhere."""
    unit = getattr(request, "unit", None)
    if not unit:
        raise Http404
    return unit


def require_unit_admin(request):
    """The unit of a unit admin's pages (流程定义), else 404."""
    unit = require_unit(request)
    if not is_unit_admin(request.user, unit):
        raise Http404
    return unit


# --- Process kinds and definitions -------------------------------------------------------------

def process_kinds(unit=None) -> list[tuple[str, str]]:
    """(key, name) of the processes the platform runs, for the list filters and the upload form."""
    from zhengtong.workflow import registry

    return [(ptype.key, ptype.name) for ptype in registry.process_types()]


def definition_for(user, unit, pk: int) -> ProcessDefinition:
    """A shipped definition or one of the unit's own, for the unit's admin only; else 404."""
    from zhengtong.workflow import selectors

    if not is_unit_admin(user, unit):
        raise Http404
    definition = selectors.definition_for(user, pk)
    if definition.unit_id is not None and definition.unit_id != unit.pk:
        raise Http404
    return definition


# --- Who may see an instance -----------------------------------------------------------------

def _active_delegators(user, unit, moment=None) -> QuerySet:
    moment = moment or timezone.now()
    return (Delegation.objects.filter(delegate=user, unit=unit, revoked_at__isnull=True,
                                      starts_at__lte=moment, ends_at__gt=moment)
            .values("delegator_id"))


def can_see_instance(user, instance: ProcessInstance) -> bool:
    """Participants (starter, candidates, actors, their delegates) and the unit's admin and leaders."""
    if not user.is_authenticated:
        return False
    if instance.started_by_id == user.pk:
        return True
    items = WorkItem.objects.filter(instance=instance)
    if items.filter(Q(candidates=user) | Q(acted_by=user) | Q(on_behalf_of=user)).exists():
        return True
    if items.filter(status=WorkItem.Status.OPEN,
                    candidates__in=_active_delegators(user, instance.unit_id)).exists():
        return True
    return bool(role_codes_in(user, instance.unit) & OVERSEEING_ROLES)


def can_cancel(user, instance: ProcessInstance) -> bool:
    """Whether 终止 is offered: a running process, to whoever started it and to the unit admin."""
    return instance.is_running and (instance.started_by_id == user.pk or is_unit_admin(user, instance.unit))


def instance_for(user, pk: int) -> ProcessInstance:
    """An instance the person may follow (流程跟踪), else 404."""
    instance = get_object_or_404(ProcessInstance.objects.select_related("definition", "unit", "started_by"), pk=pk)
    if not can_see_instance(user, instance):
        raise Http404
    return instance


# --- Delegations -------------------------------------------------------------------------------

def delegations_given(user, unit) -> QuerySet[Delegation]:
    return Delegation.objects.filter(delegator=user, unit=unit).select_related("delegate").order_by("-created_at")


def delegations_received(user, unit) -> QuerySet[Delegation]:
    return (Delegation.objects.filter(delegate=user, unit=unit, revoked_at__isnull=True,
                                      ends_at__gt=timezone.now())
            .select_related("delegator").order_by("starts_at"))


def acting_for(user, unit) -> list:
    """The people whose to-do items I may handle right now (shown as a banner on 待办)."""
    if not unit:
        return []
    now = timezone.now()
    return [delegation.delegator for delegation in
            Delegation.objects.filter(delegate=user, unit=unit, revoked_at__isnull=True,
                                      starts_at__lte=now, ends_at__gt=now).select_related("delegator")]


def delegation_given_for(user, unit, pk: int) -> Delegation:
    """One of my own delegations in the unit (to revoke it), else 404."""
    return get_object_or_404(Delegation.objects.filter(delegator=user, unit=unit), pk=pk)


# --- How rows show their subject and marks ------------------------------------------------------

NOT_URGENT = ("", "普通", "normal")


def subject_link(instance: ProcessInstance, *, fallback: str) -> tuple[str, str]:
    """(title, url) of the instance's subject as its app describes it (hooks.describe), else ``fallback``."""
    from zhengtong.workflow import hooks

    try:
        title, url = hooks.describe(instance)
    except Exception:  # noqa: BLE001 — a deleted subject or a failing describe() must not break a whole list
        title, url = instance.title, ""
    return (title or instance.title), (url or fallback)


def urgency_of(instance: ProcessInstance) -> str:
    """The urgency (紧急程度: 特急/加急) from the process data, else from a subject that has one (a document)."""
    urgency = (instance.data or {}).get("urgency", "")
    if isinstance(urgency, str) and urgency not in NOT_URGENT:
        return urgency
    from zhengtong.workflow import hooks

    if hooks.hooks_for(instance) is None:  # only subjects an app describes are loaded
        return ""
    try:
        subject = instance.subject  # cached by the generic relation once describe() has run
    except Exception:  # noqa: BLE001 — a deleted subject has no urgency
        return ""
    value = getattr(subject, "urgency", "")
    if not isinstance(value, str) or value in NOT_URGENT:
        return ""
    display = getattr(subject, "get_urgency_display", None)
    return str(display()) if callable(display) else value


def acting_for_names(user, item: WorkItem) -> str:
    """On an open item offered to others: the names of those I act for (代 X 办理), else ""."""
    candidates = list(item.candidates.all())
    if any(person.pk == user.pk for person in candidates):
        return ""
    return "、".join(person.name or person.username for person in candidates
                    if person.pk in _delegator_ids(user, item.unit_id))


def _delegator_ids(user, unit_id) -> set[int]:
    return set(_active_delegators(user, unit_id).values_list("delegator_id", flat=True))


def open_step_labels(instance: ProcessInstance) -> list[str]:
    """The steps an instance waits at now (each once)."""
    labels: list[str] = []
    for item in instance.work_items.all():
        if item.status == WorkItem.Status.OPEN and item.step_label not in labels:
            labels.append(item.step_label)
    return labels


def handled_between(items: QuerySet[WorkItem], since, until) -> QuerySet[WorkItem]:
    """已办 filtered by the day the item was handled (both ends included)."""
    if since:
        items = items.filter(completed_at__date__gte=since)
    if until:
        items = items.filter(completed_at__date__lte=until)
    return items


def as_instances(instances) -> list[ProcessInstance]:
    """A page of 在办 instances with their open items fetched at once (for "now at")."""
    instances = list(instances)
    if instances:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(instances, "work_items")
    return instances


# --- What a row or an item offers ---------------------------------------------------------------

# Steps handled per department or by a handler (承办, 协办, 会签): these may be passed on (转办).
TRANSFERABLE_LANES = {roles.HANDLER, roles.SECTION_CHIEF}


def can_transfer(item: WorkItem) -> bool:
    """Whether the action form offers 转办 for this step: handling steps and per-department steps."""
    return item.department_id is not None or item.lane in TRANSFERABLE_LANES


def decisions_for(item: WorkItem) -> list[tuple[str, str, str]]:
    """(value, label, button class) of the decisions a step offers; the shipped processes need none."""
    return []


def decision_label(decision: str) -> str:
    from django.utils.translation import gettext

    return gettext("Sent back") if decision == "sent_back" else decision


def can_withdraw(user, item: WorkItem) -> bool:
    """Whether 撤回 is offered: I handled the step, the process runs, and nobody has acted after me.

    The service decides for certain (it looks into the engine); this is the cheap test for the lists."""
    if item.status != WorkItem.Status.DONE or item.acted_by_id != getattr(user, "pk", None):
        return False
    if item.instance.status != ProcessInstance.Status.RUNNING:
        return False
    later = (WorkItem.objects.filter(instance_id=item.instance_id, created_at__gte=item.completed_at)
             .exclude(pk=item.pk))
    return not later.filter(status__in=[WorkItem.Status.DONE, WorkItem.Status.SENT_BACK]).exists()
