"""Delegations (委托): while one is away, a colleague acts on their to-do items, recorded as 代 X 办理."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.selectors import has_role
from zhengtong.workflow.exceptions import WorkflowError, WorkflowPermissionDenied
from zhengtong.workflow.models import Delegation
from zhengtong.workflow.services import _common as common


@transaction.atomic
def delegate(*, actor, unit, delegate, starts_at, ends_at, reason: str = "") -> Delegation:
    """Let ``delegate`` act on ``actor``'s work items in ``unit`` from ``starts_at`` until ``ends_at``."""
    if not common.is_member(actor, unit):
        raise WorkflowPermissionDenied(_("You have no post in this unit."))
    if delegate is None or not common.is_member(delegate, unit):
        raise WorkflowError(_("The person you delegate to must have a post in this unit."))
    if delegate.pk == actor.pk:
        raise WorkflowError(_("You cannot delegate to yourself."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise WorkflowError(_("The delegation must end after it starts."))
    if ends_at <= timezone.now():
        raise WorkflowError(_("The delegation would already be over."))
    delegation = Delegation.objects.create(delegator=actor, delegate=delegate, unit=unit, starts_at=starts_at,
                                           ends_at=ends_at, reason=(reason or "").strip()[:200])
    audit.record(actor=actor, action="workflow.delegation.create", obj=delegation, unit=unit,
                 summary=_("Delegated to-do items to %(name)s") % {"name": delegate.name},
                 changes={"delegate": delegate.pk, "starts_at": starts_at, "ends_at": ends_at,
                          "reason": delegation.reason})
    return delegation


@transaction.atomic
def revoke_delegation(*, actor, delegation) -> Delegation:
    """End a delegation now: by the delegator or the unit admin."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if actor is None or not (actor.pk == delegation.delegator_id or has_role(actor, delegation.unit,
                                                                             roles.UNIT_ADMIN)):
        raise WorkflowPermissionDenied(_("Only the person who delegated or the unit admin may revoke it."))
    if delegation.revoked_at is not None:
        raise WorkflowError(_("The delegation has already been revoked."))
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="workflow.delegation.revoke", obj=delegation, unit=delegation.unit,
                 summary=_("Revoked the delegation to %(name)s") % {"name": delegation.delegate.name})
    return delegation
