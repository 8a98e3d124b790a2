"""Process definitions: a unit admin uploads the unit's own version of a process (流程配置)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.selectors import has_role
from zhengtong.workflow import engine, registry
from zhengtong.workflow.exceptions import InvalidDefinition, WorkflowPermissionDenied
from zhengtong.workflow.models import ProcessDefinition
from zhengtong.workflow.services import _common as common

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def validate_definition(*, key: str, uploaded: bytes) -> engine.ParsedProcess:
    """Check an uploaded BPMN file for ``key``; ``InvalidDefinition`` lists every problem found."""
    if registry.process_type(key) is None:
        raise InvalidDefinition([_("There is no process “%(key)s” to configure.") % {"key": key}])
    if not uploaded:
        raise InvalidDefinition([_("The file is empty.")])
    if len(uploaded) > MAX_UPLOAD_BYTES:
        raise InvalidDefinition([_("The file is larger than 2 MB.")])
    return engine.parse(uploaded, role_of_lane=common.role_code_for_lane,
                        required_steps=registry.required_steps(key), strict=True)


@transaction.atomic
def upload_definition(*, actor, unit, key: str, uploaded: bytes, name: str = "") -> ProcessDefinition:
    """Store a new version of the unit's process ``key``; running instances keep the version they started on."""
    if not has_role(actor, unit, roles.UNIT_ADMIN):
        raise WorkflowPermissionDenied(_("Only the unit admin may change the unit's processes."))
    if isinstance(uploaded, str):
        uploaded = uploaded.encode("utf-8")
    parsed = validate_definition(key=key, uploaded=uploaded)
    try:
        xml = uploaded.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidDefinition([_("The file must be encoded in UTF-8.")]) from None
    ptype = registry.process_type(key)
    existing = ProcessDefinition.objects.select_for_update().filter(key=key, unit=unit)
    version = (existing.aggregate(top=Max("version"))["top"] or 0) + 1
    existing.filter(is_current=True).update(is_current=False)
    definition = ProcessDefinition.objects.create(
        key=key, name=(name or "").strip()[:100] or ptype.name, unit=unit, version=version, bpmn_xml=xml,
        process_id=parsed.process_id, is_current=True, uploaded_by=actor,
        checksum=hashlib.sha256(uploaded).hexdigest())
    audit.record(actor=actor, action="workflow.definition.upload", obj=definition, unit=unit,
                 summary=_("Uploaded version %(version)s of “%(name)s”") % {"version": version,
                                                                           "name": definition.name},
                 changes={"key": key, "version": version, "steps": list(parsed.user_tasks)})
    return definition


@transaction.atomic
def restore_default_definition(*, actor, unit, key: str) -> None:
    """Go back to the shipped process: the unit's versions stay stored but none is current."""
    if not has_role(actor, unit, roles.UNIT_ADMIN):
        raise WorkflowPermissionDenied(_("Only the unit admin may change the unit's processes."))
    changed = ProcessDefinition.objects.filter(key=key, unit=unit, is_current=True).update(is_current=False)
    if changed:
        audit.record(actor=actor, action="workflow.definition.restore_default", obj=unit, unit=unit,
                     summary=_("Went back to the shipped process “%(key)s”") % {"key": key}, changes={"key": key})
