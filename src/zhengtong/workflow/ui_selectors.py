"""Reads the workflow pages need beyond the engine's selectors: who may see a trace, the definitions
page of a unit admin, delegations, and how a row names and links its subject.

Like every selector, a missing right looks like a missing page (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

def _current_definitions(unit) -> dict[str, ProcessDefinition]:
    """key → the definition new processes of the unit start from: the unit's own, else the shipped one."""
    current: dict[str, ProcessDefinition] = {}
    qs = ProcessDefinition.objects.filter(Q(unit__isnull=True) | Q(unit=unit), is_current=True)
    for definition in qs.order_by("key", "-version"):
        if definition.unit_id is not None or definition.key not in current:
            current[definition.key] = definition
    return current


def process_kinds(unit) -> list[tuple[str, str]]:
    """(key, name) of the processes of a unit, for the list filters and the upload form."""
    return sorted(((key, d.name) for key, d in _current_definitions(unit).items()), key=lambda kind: kind[0])


@dataclass
class DefinitionGroup:
    key: str
    name: str
    current: ProcessDefinition | None
    shipped: list[ProcessDefinition] = field(default_factory=list)
    own: list[ProcessDefinition] = field(default_factory=list)


def definitions_overview(unit) -> list[DefinitionGroup]:
    """Every process key with its shipped versions and the unit's own, and the one now in use."""
    current = _current_definitions(unit)
    groups: dict[str, DefinitionGroup] = {}
    qs = (ProcessDefinition.objects.filter(Q(unit__isnull=True) | Q(unit=unit))
          .select_related("uploaded_by").defer("bpmn_xml").order_by("key", "-version"))
    for definition in qs:
        group = groups.get(definition.key)
        if group is None:
            in_use = current.get(definition.key)
            group = groups[definition.key] = DefinitionGroup(
                key=definition.key, name=in_use.name if in_use else definition.name, current=in_use)
        (group.own if definition.unit_id else group.shipped).append(definition)
    return sorted(groups.values(), key=lambda group: group.key)


def definition_for(user, unit, pk: int) -> ProcessDefinition:
    """A shipped definition or one of the unit's own, for the unit's admin only; else 404."""
    if not is_unit_admin(user, unit):
        raise Http404
    return get_object_or_404(ProcessDefinition.objects.filter(Q(unit__isnull=True) | Q(unit=unit)), pk=pk)


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

def subject_link(instance: ProcessInstance, *, fallback: str) -> tuple[str, str]:
    """(title, url) of the instance's subject as its app describes it, else the instance title and ``fallback``."""
    from zhengtong.workflow import hooks

    try:
        described = hooks.describe(instance)
    except Exception:  # a subject deleted or an app that describes badly must not break a whole list
        described = None
    if described:
        title, url = described
        return (title or instance.title), (url or fallback)
    return instance.title, fallback


def urgency_of(instance: ProcessInstance) -> str:
    """The urgency (紧急程度: 特急/加急) the subject put into the process data, if any."""
    urgency = (instance.data or {}).get("urgency", "")
    return urgency if isinstance(urgency, str) and urgency not in ("", "普通", "normal") else ""


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
